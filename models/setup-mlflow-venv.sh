#!/usr/bin/env bash
# Creates models/.venv-mlflow (ignored by git through its own .gitignore) with the pinned MLflow server and client.
# Usage: bash models/setup-mlflow-venv.sh   (PYTHON=/path/to/python3.11 to choose the interpreter)
# Prints the venv's python path last, so callers can capture it.
set -euo pipefail

models_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$models_dir/.venv-mlflow"
python="${PYTHON:-python3.11}"
stamp="$venv/.requirements-installed"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-mlflow-venv: $python not found; install Python 3.11 or set PYTHON=..." >&2
  exit 1
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
  echo '*' >"$venv/.gitignore"
fi
# Reinstall only when the pinned requirements change: the install takes minutes, the check milliseconds.
if ! cmp -s "$models_dir/requirements-mlflow.txt" "$stamp" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet -r "$models_dir/requirements-mlflow.txt" >&2
  cp "$models_dir/requirements-mlflow.txt" "$stamp"
fi
"$venv/bin/python" -c 'import mlflow, sys; print("mlflow venv ready:", mlflow.__version__, file=sys.stderr)'
echo "$venv/bin/python"
