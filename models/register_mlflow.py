"""Registers a model folder (model.onnx + metadata.json) in an MLflow model registry and points an alias at it.

The folder is logged as run artifacts under `model/` exactly as it is on disk, so a consumer that resolves
`models:/<name>@<alias>` downloads the same files it would read from models/ride-duration/<version>/ and checks the
same sha256. The run also records the metadata's metrics and the files' hashes for the MLflow UI.

Usage:
  models/.venv-mlflow/bin/python models/register_mlflow.py --tracking-uri http://127.0.0.1:5000 \
      --model-dir models/ride-duration/1.0.0 [--name ride-duration] [--alias champion]
Prints one JSON line per version: {"name", "version" (registry), "model_version" (metadata), "alias", "source"}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tracking-uri", required=True, help="MLflow tracking server, e.g. http://127.0.0.1:5000")
    parser.add_argument(
        "--model-dir",
        required=True,
        type=Path,
        action="append",
        help="folder with model.onnx and metadata.json; repeat to register several versions in order",
    )
    parser.add_argument("--name", help="registered model name (default: metadata name)")
    parser.add_argument("--alias", default="champion", help="alias to point at the last new version ('' for none)")
    parser.add_argument("--experiment", default="ride-duration-registry")
    return parser.parse_args()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def register(client: MlflowClient, model_dir: Path, name: str | None) -> dict:
    """Logs one model folder as run artifacts and registers it as a new version."""
    metadata = json.loads((model_dir / "metadata.json").read_text())
    name = name or metadata["name"]
    with mlflow.start_run(run_name=f"register {name} {metadata['version']}") as run:
        mlflow.set_tags({"model_version": metadata["version"], "model_sha256": metadata["model_sha256"]})
        metrics = {k: v for k, v in metadata.get("metrics", {}).items() if isinstance(v, (int, float))}
        if metrics:
            mlflow.log_metrics(metrics)
        mlflow.log_artifacts(str(model_dir), artifact_path="model")
        source = f"{run.info.artifact_uri}/model"
        run_id = run.info.run_id
    try:
        client.create_registered_model(name, description=metadata.get("algorithm", ""))
    except MlflowException as err:
        if err.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    version = client.create_model_version(
        name,
        source=source,
        run_id=run_id,
        tags={
            "model_version": metadata["version"],
            "model_sha256": metadata["model_sha256"],
            "onnx_sha256": sha256(model_dir / metadata.get("model_file", "model.onnx")),
        },
        description=f"{name} {metadata['version']} (ONNX + metadata.json)",
    )
    return {"name": name, "version": version.version, "model_version": metadata["version"], "source": source}


def main() -> int:
    args = parse_args()
    for model_dir in args.model_dir:
        if not (model_dir / "metadata.json").is_file():
            print(f"register_mlflow: {model_dir}/metadata.json not found: point --model-dir at a model folder",
                  file=sys.stderr)
            return 2
    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_experiment(args.experiment)
    client = MlflowClient(args.tracking_uri)
    registered = [register(client, model_dir, args.name) for model_dir in args.model_dir]
    last = registered[-1]
    if args.alias:
        client.set_registered_model_alias(last["name"], args.alias, last["version"])
    for entry in registered:
        entry["alias"] = args.alias if args.alias and entry is last else None
        print(json.dumps(entry))
    return 0


if __name__ == "__main__":
    sys.exit(main())
