"""Scores committed model folders on a month's cleaned rows through onnxruntime, as the serving side would."""

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .data import TARGET, sha256_file
from .metrics import regression_metrics
from .parity import onnx_predict, onnx_session


class ModelFolderError(Exception):
    """A model folder that cannot be evaluated; the message names the file and the fix."""


@dataclass(frozen=True)
class ModelFolder:
    dir: Path
    metadata: dict

    @property
    def version(self) -> str:
        return self.metadata["version"]

    @classmethod
    def open(cls, dir: Path, how_to_make: str) -> "ModelFolder":
        meta_path = dir / "metadata.json"
        if not meta_path.is_file():
            raise ModelFolderError(f"{meta_path} not found: {how_to_make}")
        metadata = json.loads(meta_path.read_text())
        model = dir / metadata.get("model_file", "model.onnx")
        if not model.is_file():
            raise ModelFolderError(f"{model} not found: restore it (git checkout) or retrain the version")
        actual = sha256_file(model)
        if actual != metadata["model_sha256"]:
            raise ModelFolderError(f"{model} has sha256 {actual} but its metadata.json says "
                                   f"{metadata['model_sha256']}: the folder is corrupt; restore or retrain it")
        return cls(dir, metadata)

    def evaluate(self, frame: pd.DataFrame) -> dict:
        """rows, rmse, mae, bias (mean predicted - actual) in minutes on the frame's cleaned rows."""
        predicted = onnx_predict(onnx_session(self.dir / self.metadata.get("model_file", "model.onnx")), frame)
        return {"rows": int(len(frame)), **regression_metrics(frame[TARGET].to_numpy(), predicted)}
