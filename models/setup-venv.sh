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

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$models_dir/requirements.txt"
"$venv/bin/python" -c 'import lightgbm, onnx, onnxruntime, onnxmltools, skl2onnx; print("venv ready:", onnxruntime.__version__)'
