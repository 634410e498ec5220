#!/usr/bin/env bash
# Runs the whole suite as CI does (`bash .ci/run`: unit and integration, the short chaos profile included), N times
# in a row, each on a fresh clone of this checkout's HEAD, and prints the pass count. A flake shows here; it is then
# fixed at its cause (never retried away). Usage: bash test/chaos/suites-loop.sh [runs=5]
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
shared="$(realpath "$repo/../shared" 2>/dev/null || true)"
logs="$repo/.cache/suites-loop"
mkdir -p "$logs"
passed=0
# Each run in a process group of its own, stopped with the loop: stopping the loop never leaves a suite running.
run_pid=""
trap '[ -n "$run_pid" ] && kill -- -"$run_pid" 2>/dev/null; wait; rm -rf "${dir:-}"; exit 130' INT TERM
for i in $(seq 1 "$runs"); do
  dir="$(mktemp -d)"
  git clone -q "$repo" "$dir/p"
  [ -n "$shared" ] && ln -s "$shared" "$dir/shared"
  commit="$(git -C "$dir/p" rev-parse --short HEAD)"
  start=$(date +%s)
  ok=true
  (cd "$dir/p" && exec setsid bash .ci/run) >"$logs/run-$i.log" 2>&1 &
  run_pid=$!
  wait "$run_pid" || ok=false
  run_pid=""
  # Processes a run starts are stopped by it: a broker, consumer or JVM of this clone still alive is a failure.
  left="$(pgrep -fc "$dir/p" || true)"
  if $ok && [ "$left" = "0" ]; then
    result=pass
    passed=$((passed + 1))
  else
    result="FAIL (exit ok: $ok; processes left: $left)"
  fi
  files="$(grep -aE 'Test Files' "$logs/run-$i.log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g' | xargs)"
  echo "run $i/$runs at $commit: $result in $(($(date +%s) - start)) s ($files; log $logs/run-$i.log)"
  rm -rf "$dir"
done
echo "passed $passed of $runs"
[ "$passed" -eq "$runs" ]
