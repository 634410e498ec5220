#!/usr/bin/env bash
# Creates .cache/registry-venv with the pinned Schema-Registry-aware reader (requirements.txt beside this file) and
# prints its python's path last. Usage: bash test/registry/setup-venv.sh   (PYTHON=... to choose the interpreter)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../../.cache/registry-venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || { echo "setup-venv: $python not found; install Python 3.11 or set PYTHON=..." >&2; exit 1; }
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi
"$venv/bin/python" -c 'import confluent_kafka.schema_registry.avro' >&2
echo "$venv/bin/python"
