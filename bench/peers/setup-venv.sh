#!/usr/bin/env bash
# Creates bench/peers/.venv (git-ignored) with the pinned peer and chart dependencies.
# Usage: bash bench/peers/setup-venv.sh   (PYTHON=/path/to/python3.11 to choose the interpreter)
set -euo pipefail

peers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$peers_dir/.venv"
python="${PYTHON:-python3.11}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-venv: $python not found; install Python 3.11 or set PYTHON=..." >&2
  exit 1
fi
# Installs only when the venv is missing or requirements.txt changed since it was made (callers run this every time).
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$peers_dir/requirements.txt" "$stamp"; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$peers_dir/requirements.txt"
  cp "$peers_dir/requirements.txt" "$stamp"
fi
"$venv/bin/python" -c 'import confluent_kafka, fastavro, lightgbm, matplotlib; print("peers venv ready: librdkafka", confluent_kafka.libversion()[0])'
