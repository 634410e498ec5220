"""The gate's decision and where a promotion is written: the CURRENT file of a model root, atomically."""

import os
from pathlib import Path

CURRENT = "CURRENT"


def decide(candidate_rmse: float, champion_rmse: float, margin: float) -> bool:
    """Promote only when the candidate's RMSE is lower than the champion's by more than the margin."""
    return candidate_rmse < champion_rmse - margin


def read_current(root: Path) -> str:
    path = root / CURRENT
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: name the serving version in it first "
                                f"(echo 1.0.0 > {path}), then gate candidates against it")
    version = path.read_text().strip()
    if not version or "/" in version or version in (".", ".."):
        raise ValueError(f"{path} holds {version!r}, not a version folder name: write e.g. 1.0.0 into it")
    return version


def write_current(root: Path, version: str) -> None:
    """Writes a temporary file beside CURRENT and renames it over CURRENT: a reader sees the old or the new one."""
    target = root / CURRENT
    tmp = root / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
