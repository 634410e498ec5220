#!/usr/bin/env bash
# Creates models/.venv (git-ignored) with Python 3.11 and the pinned training/export dependencies.
# Usage: bash models/setup-venv.sh   (PYTHON=/path/to/python3.11 to choose the interpreter)
set -euo pipefail

models_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$models_dir/.venv"
python="${PYTHON:-python3.11}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-venv: $python not found; install Python 3.11 or set PYTHON=..." >&2
  exit 1
fi

# Installs only when the venv is missing or requirements.txt changed since it was made (callers run this every time).
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$models_dir/requirements.txt" "$stamp"; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$models_dir/requirements.txt"
  cp "$models_dir/requirements.txt" "$stamp"
fi
"$venv/bin/python" -c 'import lightgbm, onnx, onnxruntime, onnxmltools, skl2onnx; print("venv ready:", onnxruntime.__version__)'
