#!/usr/bin/env bash
# Makes sure Debian's prometheus (and promtool) are installed, for test/ops/prometheus-scrape.test.ts. Silent and
# instant when they are; else `apt-get install prometheus` (as root, or through passwordless sudo).
# Measured on the 2-core CI machine: apt-get update + install, 22.5 MB of archives, about 35 s.
set -euo pipefail

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "ensure-prometheus: prometheus is not installed; run as root: apt-get install prometheus" >&2
    exit 1
  fi
fi

# The package's maintainer scripts would start a prometheus service on a machine with an init system; a test
# machine wants the binary only. policy-rc.d answering 101 ("action forbidden") is Debian's way to say so
# (invoke-rc.d(8)); it is removed again afterwards, and left alone if the machine already had one.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  added_policy=true
fi
cleanup() { if $added_policy; then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

start=$(date +%s)
echo "ensure-prometheus: installing Debian's prometheus (apt-get update + install)" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "ensure-prometheus: $(prometheus --version 2>&1 | head -1) installed in $(($(date +%s) - start)) s" >&2
