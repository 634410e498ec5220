"""The MLflow side of models/gate.py, run in the MLflow venv (models/setup-mlflow-venv.sh): the training venv has no
MLflow, the MLflow venv no onnxruntime, so the gate calls this as a subprocess. Prints one JSON line.

  fetch   --tracking-uri U --name N --alias A --dest DIR   download the version the alias points at into DIR
  promote --tracking-uri U --name N --alias A --model-dir D register D unless a version with its model_sha256
                                                           exists, then point the alias at that version
Exit 0 on success, 3 when the alias does not exist (fetch), 1 on any other failure.
"""

import argparse
import json
import sys
from pathlib import Path

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

sys.path.insert(0, str(Path(__file__).resolve().parent))

from register_mlflow import register  # noqa: E402


def fetch(client: MlflowClient, args) -> int:
    try:
        version = client.get_model_version_by_alias(args.name, args.alias)
    except MlflowException as err:
        print(json.dumps({"error": f"models:/{args.name}@{args.alias} does not exist: {err.message}"}))
        return 3
    uri = client.get_model_version_download_uri(args.name, version.version)
    local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=str(args.dest)))
    folder = local if (local / "metadata.json").is_file() else next(local.rglob("metadata.json")).parent
    print(json.dumps({"registry_version": version.version, "model_version": version.tags.get("model_version"),
                      "dir": str(folder)}))
    return 0


def promote(client: MlflowClient, args) -> int:
    metadata = json.loads((args.model_dir / "metadata.json").read_text())
    found = client.search_model_versions(f"name = '{args.name}' and tags.model_sha256 = '{metadata['model_sha256']}'")
    registered = False
    if found:
        registry_version = max(found, key=lambda v: int(v.version)).version
    else:
        registry_version = register(client, args.model_dir, args.name)["version"]
        registered = True
    client.set_registered_model_alias(args.name, args.alias, registry_version)
    print(json.dumps({"registry_version": registry_version, "model_version": metadata["version"],
                      "registered": registered, "alias": args.alias}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("fetch", "promote"))
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--name", default="ride-duration")
    parser.add_argument("--alias", default="champion")
    parser.add_argument("--dest", type=Path)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--experiment", default="ride-duration-registry")
    args = parser.parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_experiment(args.experiment)
    client = MlflowClient(args.tracking_uri)
    return fetch(client, args) if args.action == "fetch" else promote(client, args)


if __name__ == "__main__":
    sys.exit(main())
