#!/usr/bin/env bash
# One command from a fresh clone to models/ride-duration/<version>/: venv, data, train, export, parity check.
# Usage: bash models/train.sh [train.py options, e.g. --version 1.1.0 --train-month 2021-01,2021-02
#        --validation-month 2022-01 | --baseline --version 0.1.0]
# The version is a candidate: CURRENT does not move (models/gate.sh promotes it).
set -euo pipefail

models_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$models_dir")"

# The months train.py will read (its defaults unless given), so fetch-data.sh copies exactly those.
train_months="2021-01"
validation_month="2021-02"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --train-month) train_months="${args[i + 1]:-}" ;;
    --train-month=*) train_months="${args[i]#--train-month=}" ;;
    --validation-month) validation_month="${args[i + 1]:-}" ;;
    --validation-month=*) validation_month="${args[i]#--validation-month=}" ;;
  esac
done

if [[ ! -x "$models_dir/.venv/bin/python" ]]; then
  bash "$models_dir/setup-venv.sh"
fi
bash "$repo_root/scripts/fetch-data.sh" --months "$train_months,$validation_month" "$repo_root/data"
exec "$models_dir/.venv/bin/python" "$models_dir/train.py" --data-dir "$repo_root/data" "$@"
