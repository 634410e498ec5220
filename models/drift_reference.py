"""Adds (or recomputes) `drift_reference` in a committed model version's metadata.json without retraining.

    models/.venv/bin/python models/drift_reference.py --version 1.0.0 [--data-dir data]

Reads the version's training file named in metadata.json (`training.file`, checked against `training.sha256`),
keeps the cleaned rows exactly as train.py does, and writes the distributions back under `drift_reference`. Every
other byte of metadata.json stays as it was; model.onnx is not touched. train.py writes the same key for new
versions. Format: models/README.md, "Drift reference".
"""

import argparse
import json
import sys
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(MODELS_DIR))

from pipeline.data import load_trips  # noqa: E402
from pipeline.drift_reference import drift_reference  # noqa: E402
from pipeline.metadata import with_drift_reference  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", required=True)
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR / "ride-duration")
    parser.add_argument("--data-dir", type=Path, default=MODELS_DIR.parent / "data")
    args = parser.parse_args()

    path = args.models_dir / args.version / "metadata.json"
    if not path.is_file():
        print(f"drift_reference: {path} not found: pass the --version of a folder in {args.models_dir}",
              file=sys.stderr)
        return 2
    metadata = json.loads(path.read_text())
    training = metadata["training"]
    data_file = args.data_dir / training["file"]
    if not data_file.is_file():
        print(f"drift_reference: {data_file} not found: run scripts/fetch-data.sh --months "
              f"{training['file'].removeprefix('green_tripdata_').removesuffix('.parquet')}", file=sys.stderr)
        return 2
    trips = load_trips(data_file)
    if trips.sha256 != training["sha256"] or trips.rows_clean != training["rows_clean"]:
        print(f"drift_reference: {data_file} is not the file {args.version} was trained on (sha256 {trips.sha256}, "
              f"{trips.rows_clean} clean rows; metadata says {training['sha256']}, {training['rows_clean']})",
              file=sys.stderr)
        return 1
    reference = drift_reference(trips.frame, data_file.name, metadata["zones"], metadata["zone_borough_codes"])
    path.write_text(json.dumps(with_drift_reference(metadata, reference), indent=2) + "\n")
    print(f"wrote drift_reference of {reference['rows']} rows to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
