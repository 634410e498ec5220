#!/usr/bin/env bash
# The retraining gate (models/gate.py): venv, the month's data, then the comparison and maybe a promotion.
# Usage: bash models/gate.sh --candidate <version> --month <YYYY-MM> [--margin-minutes 0.0] [--mlflow-uri URI]
# Exit 0 promoted, 3 refused, 2 bad arguments.
set -euo pipefail

models_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$models_dir")"

month=""
mlflow=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --month) month="${args[i + 1]:-}" ;;
    --month=*) month="${args[i]#--month=}" ;;
    --mlflow-uri | --mlflow-uri=*) mlflow=1 ;;
  esac
done

if [[ ! -x "$models_dir/.venv/bin/python" ]]; then
  bash "$models_dir/setup-venv.sh" >&2
fi
if [[ -n "$mlflow" ]]; then
  bash "$models_dir/setup-mlflow-venv.sh" >/dev/null
fi
# A bad month is gate.py's to report (exit 2); fetch only a well-formed one, into the default data folder.
if [[ "$month" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ && ! " $* " =~ " --data-dir" ]]; then
  if ! bash "$repo_root/scripts/fetch-data.sh" --months "$month" "$repo_root/data" >&2; then
    echo "gate: no trip data for --month $month (see above): pick a month the TLC has published" >&2
    exit 2
  fi
fi
exec "$models_dir/.venv/bin/python" "$models_dir/gate.py" "$@"
