#!/usr/bin/env bash
# One command from a fresh clone to models/ride-duration/<version>/: venv, data, train, export, parity check.
# Usage: bash models/train.sh [train.py options, e.g. --version 1.1.0]
set -euo pipefail

models_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$models_dir")"

if [[ ! -x "$models_dir/.venv/bin/python" ]]; then
  bash "$models_dir/setup-venv.sh"
fi
bash "$repo_root/scripts/fetch-data.sh" "$repo_root/data"
exec "$models_dir/.venv/bin/python" "$models_dir/train.py" --data-dir "$repo_root/data" "$@"
