"""The retraining gate: promotes a candidate model version only if it beats the serving champion on a labelled month.

    bash models/gate.sh --candidate 1.1.0 --month 2022-01 [--margin-minutes 0.0] [--mlflow-uri http://...]

Scores the month's cleaned rows (1..60 minute rides, as in training) with the candidate's model.onnx and the
champion's through onnxruntime, prints rows, RMSE, MAE and bias (mean predicted - actual) for both, and promotes the
candidate when its RMSE is lower than the champion's by more than the margin. The champion is the version named in
<models-dir>/CURRENT, which a promotion rewrites atomically; with --mlflow-uri it is models:/<name>@<alias>, and a
promotion registers the candidate (unless a version with its model_sha256 is registered) and moves the alias.
The comparison is written to <candidate>/gate-<month>.json either way.

Exit 0 promoted (or already the champion), 3 refused, 2 bad arguments or missing folders/files, 1 other failures.
"""

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(MODELS_DIR))

from pipeline.promotion import decide, read_current, write_current  # noqa: E402

EXIT_PROMOTED, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3
MLFLOW_PYTHON = MODELS_DIR / ".venv-mlflow" / "bin" / "python"


class UsageError(Exception):
    """Bad arguments or a missing input; the message names it and the fix (exit 2)."""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidate", required=True, help="version folder under --models-dir, e.g. 1.1.0")
    parser.add_argument("--month", required=True, help="the labelled month to compare on, YYYY-MM")
    parser.add_argument("--margin-minutes", type=float, default=0.0,
                        help="the candidate's RMSE must be lower than the champion's by more than this")
    parser.add_argument("--mlflow-uri", help="compare with and promote in this MLflow registry instead of CURRENT")
    parser.add_argument("--name", default="ride-duration", help="registered model name (MLflow mode)")
    parser.add_argument("--alias", default="champion", help="the champion's alias (MLflow mode)")
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR / "ride-duration")
    parser.add_argument("--data-dir", type=Path, default=MODELS_DIR.parent / "data")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
        raise UsageError(f"--month {args.month!r} is not YYYY-MM: pass the labelled month, e.g. --month 2022-01")
    if not math.isfinite(args.margin_minutes) or args.margin_minutes < 0:
        raise UsageError(f"--margin-minutes {args.margin_minutes} must be a finite number >= 0")
    return args


def open_folder(dir: Path, how_to_make: str):
    """The model folder (pipeline.evaluation.ModelFolder, imported here: it loads pandas and onnxruntime)."""
    from pipeline.evaluation import ModelFolder, ModelFolderError

    try:
        return ModelFolder.open(dir, how_to_make)
    except ModelFolderError as err:
        raise UsageError(str(err)) from err


def mlflow_helper(args, action: str, *extra: str) -> tuple[int, dict]:
    if not MLFLOW_PYTHON.is_file():
        raise UsageError(f"{MLFLOW_PYTHON} not found: run bash models/setup-mlflow-venv.sh (gate.sh does)")
    command = [str(MLFLOW_PYTHON), str(MODELS_DIR / "mlflow_champion.py"), action, "--tracking-uri",
               args.mlflow_uri, "--name", args.name, "--alias", args.alias, *extra]
    run = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode not in (0, 3) or not lines:
        raise RuntimeError(f"mlflow_champion.py {action} failed (exit {run.returncode}):\n{run.stderr[-2000:]}")
    return run.returncode, json.loads(lines[-1])


def champion_folder(args, scratch: Path) -> tuple[object, str]:
    """The champion and where it came from, for the table and the report."""
    if args.mlflow_uri:
        code, found = mlflow_helper(args, "fetch", "--dest", str(scratch))
        if code == 3:
            raise UsageError(f"{found['error']}: register the serving model first "
                             f"(models/register_mlflow.py --alias {args.alias})")
        source = f"models:/{args.name}@{args.alias} (registry version {found['registry_version']}) at {args.mlflow_uri}"
        return open_folder(Path(found["dir"]), f"the registry's {source} has no model folder"), source
    try:
        version = read_current(args.models_dir)
    except (FileNotFoundError, ValueError) as err:
        raise UsageError(str(err)) from err
    current = args.models_dir / "CURRENT"
    folder = open_folder(args.models_dir / version, f"{current} names {version}: restore that folder or fix {current}")
    return folder, display_path(current)


def display_path(path: Path) -> str:
    """A path inside the repository as the repository names it, so a committed report names no machine."""
    try:
        return str(path.resolve().relative_to(MODELS_DIR.parent))
    except ValueError:
        return str(path)


def training_files(metadata: dict) -> set[str]:
    """The trip files a version was fitted on: `training.file`, or each of `training.files` for several months."""
    training = metadata.get("training", {})
    return {entry["file"] for entry in training.get("files", [training])}


def table(month_file: str, rows: dict[str, tuple[str, dict]], margin: float) -> str:
    lines = [f"gate on {month_file}, margin {margin:.2f} min",
             f"{'':10} {'version':>8} {'rows':>8} {'RMSE':>8} {'MAE':>8} {'bias':>8}"]
    for role, (version, m) in rows.items():
        lines.append(f"{role:10} {version:>8} {m['rows']:>8} {m['rmse']:>8.4f} {m['mae']:>8.4f} {m['bias']:>+8.4f}")
    return "\n".join(lines)


def gate(args) -> int:
    from pipeline.data import load_trips  # pandas: imported once the arguments are known to be good

    candidate = open_folder(args.models_dir / args.candidate,
                            f"train it with: bash models/train.sh --version {args.candidate}")
    month_file = args.data_dir / f"green_tripdata_{args.month}.parquet"
    if month_file.name in training_files(candidate.metadata):
        raise UsageError(f"candidate {candidate.version} was trained on {month_file.name}: its error there says "
                         f"nothing about new rides; gate on a later labelled month")
    if not month_file.is_file():
        raise UsageError(f"{month_file} not found: run scripts/fetch-data.sh --months {args.month} (gate.sh does)")
    with tempfile.TemporaryDirectory(prefix="gate-champion-") as scratch:
        champion, source = champion_folder(args, Path(scratch))
        if champion.metadata["model_sha256"] == candidate.metadata["model_sha256"]:
            print(f"unchanged: candidate {candidate.version} is already the champion ({source})")
            return EXIT_PROMOTED
        trips = load_trips(month_file)
        scores = {"champion": champion.evaluate(trips.frame), "candidate": candidate.evaluate(trips.frame)}
        champion_meta = champion.metadata
    print(table(month_file.name, {"champion": (champion_meta["version"], scores["champion"]),
                                  "candidate": (candidate.version, scores["candidate"])}, args.margin_minutes))
    c, ch, margin = scores["candidate"]["rmse"], scores["champion"]["rmse"], args.margin_minutes
    promoted = decide(c, ch, margin)
    versions = f"candidate {candidate.version} RMSE {c:.4f} {{}} champion {champion_meta['version']} RMSE {ch:.4f}"
    if promoted:
        message = "promoted: " + versions.format("beats") + f" by more than margin {margin:.2f} on {args.month}"
        promotion = promote(args, candidate)
    else:
        message = "refused: " + versions.format("is not below") + f" - margin {margin:.2f} on {args.month}"
        promotion = None
    write_report(args, candidate, trips, scores, champion_meta, source, message, promotion)
    print(message)
    return EXIT_PROMOTED if promoted else EXIT_REFUSED


def promote(args, candidate) -> dict:
    if args.mlflow_uri:
        _, result = mlflow_helper(args, "promote", "--model-dir", str(candidate.dir))
        return {"mlflow": args.mlflow_uri, **result}
    write_current(args.models_dir, candidate.version)
    return {"current_file": str(args.models_dir / "CURRENT"), "version": candidate.version}


def write_report(args, candidate, trips, scores, champion_meta, source, message, promotion) -> None:
    report = {
        "month": args.month,
        "data": {"file": trips.path.name, "sha256": trips.sha256, "rows_raw": trips.rows_raw,
                 "rows_clean": trips.rows_clean},
        "rule": "promote when candidate RMSE < champion RMSE - margin_minutes (cleaned rows, onnxruntime)",
        "margin_minutes": args.margin_minutes,
        "candidate": {"version": candidate.version, "model_sha256": candidate.metadata["model_sha256"],
                      **scores["candidate"]},
        "champion": {"version": champion_meta["version"], "model_sha256": champion_meta["model_sha256"],
                     "source": source, **scores["champion"]},
        "decision": "promoted" if promotion else "refused",
        "message": message,
        "promotion": promotion,
        "decided_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    (candidate.dir / f"gate-{args.month}.json").write_text(json.dumps(report, indent=2) + "\n")


def main(argv=None) -> int:
    try:
        return gate(parse_args(argv))
    except UsageError as err:
        print(f"gate: {err}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as err:
        print(f"gate: {err}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
