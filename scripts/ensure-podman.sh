#!/usr/bin/env bash
# Installs Debian's podman and runc (and debootstrap, which builds a local base image where no registry image can be
# pulled) when podman is missing: the container tests use podman where no Docker engine answers. Needs root or
# passwordless sudo, like scripts/ensure-prometheus.sh. Silent when all is there.
set -euo pipefail

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || [[ -x /usr/sbin/runc ]] || missing+=(runc)
command -v debootstrap >/dev/null || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "ensure-podman: ${missing[*]} missing; install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "ensure-podman: installing ${missing[*]} from Debian's packages" >&2
"${sudo[@]}" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
