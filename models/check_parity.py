"""Re-checks a committed model version without the training data: model.onnx against metadata.json's sha256, and
onnxruntime-python against the native predictions stored in parity-fixture.json.

    models/.venv/bin/python models/check_parity.py [models/ride-duration/1.0.0]

Exits non-zero when either check fails; prints the max absolute difference in minutes.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MODELS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(MODELS_DIR))

from pipeline.data import sha256_file  # noqa: E402
from pipeline.parity import PARITY_TOLERANCE_MIN, onnx_predict, onnx_session  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    current = (MODELS_DIR / "ride-duration" / "CURRENT").read_text().strip()
    parser.add_argument("model_dir", nargs="?", type=Path, default=MODELS_DIR / "ride-duration" / current)
    model_dir = parser.parse_args().model_dir

    metadata = json.loads((model_dir / "metadata.json").read_text())
    actual_sha = sha256_file(model_dir / "model.onnx")
    if actual_sha != metadata["model_sha256"]:
        sys.exit(f"model.onnx sha256 {actual_sha} != metadata model_sha256 {metadata['model_sha256']}")

    fixture = pd.DataFrame(json.loads((model_dir / "parity-fixture.json").read_text()))
    predicted = onnx_predict(onnx_session(model_dir / "model.onnx"), fixture)
    diff = np.abs(predicted - fixture["prediction"].to_numpy())
    worst = int(np.argmax(diff))
    print(f"{len(fixture)} fixture rows: max |onnx - native| = {diff[worst]:.3e} min "
          f"(case {fixture['case'][worst]!r}), tolerance {PARITY_TOLERANCE_MIN}")
    if diff[worst] > PARITY_TOLERANCE_MIN:
        sys.exit("parity check failed")


if __name__ == "__main__":
    main()
