#!/usr/bin/env bash
# Fills a git-ignored data folder with the TLC files the model is trained, validated and replayed on.
#
# Usage: scripts/fetch-data.sh [--months 2021-01,2021-02] [dest]     (dest defaults to <repo>/data)
#
# Each file is copied from the shared data folder (../shared/data beside the repo, or $SHARED_DATA_DIR) when it is
# there, else downloaded from the TLC's public trip-record site. Known files are checked against their sha256 and a
# file already present with the right checksum is left alone, so the script is safe to rerun.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trip_base_url="https://d37ci6vzurychx.cloudfront.net/trip-data"
misc_base_url="https://d37ci6vzurychx.cloudfront.net/misc"

# sha256 of the files as published by the TLC (see the shared data README). Months not listed here are fetched
# without a checksum check, with a warning.
declare -A known_sha256=(
  [green_tripdata_2021-01.parquet]=b8e2c9496c5eada0f10adbd88f98d91721ec6fe2787a2b355cf0ccfa9678ee7b
  [green_tripdata_2021-02.parquet]=fd43c7afa2002716c8afadfd57665ab9c9ad99be419570a9b0a08de15cbeb64e
  [taxi_zone_lookup.csv]=2e0dc37c3d7966354c03c1de5a03a3af6da5ab96e1f5723ea210312f4e8314d6
)

usage() {
  echo "usage: $0 [--months YYYY-MM[,YYYY-MM...]] [dest]" >&2
  exit 2
}

months="2021-01,2021-02"
dest=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --months) [[ $# -ge 2 ]] || usage; months="$2"; shift 2 ;;
    --months=*) months="${1#--months=}"; shift ;;
    -h|--help) usage ;;
    -*) echo "fetch-data: unknown option $1" >&2; usage ;;
    *) [[ -z "$dest" ]] || usage; dest="$1"; shift ;;
  esac
done
dest="${dest:-$repo_root/data}"

shared_dir="${SHARED_DATA_DIR:-$repo_root/../shared/data}"
if [[ -d "$shared_dir" ]]; then
  shared_dir="$(cd "$shared_dir" && pwd)"
else
  shared_dir=""
fi

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# Succeeds when the file exists and matches its known checksum (or exists and has no known checksum).
is_valid() {
  local file="$1" name="$2"
  [[ -s "$file" ]] || return 1
  local want="${known_sha256[$name]:-}"
  [[ -z "$want" ]] && return 0
  [[ "$(sha256_of "$file")" == "$want" ]]
}

fetch_one() {
  local name="$1" url="$2"
  local target="$dest/$name"
  if is_valid "$target" "$name"; then
    echo "ok      $name (already present)"
    return 0
  fi

  local tmp="$target.partial"
  rm -f "$tmp"
  if [[ -n "$shared_dir" && -f "$shared_dir/$name" ]]; then
    cp "$shared_dir/$name" "$tmp"
    echo "copied  $name from $shared_dir"
  else
    echo "fetch   $name from $url"
    curl --fail --silent --show-error --location --retry 3 --output "$tmp" "$url"
  fi
  chmod u+w "$tmp"

  if [[ -z "${known_sha256[$name]:-}" ]]; then
    echo "warning: no known sha256 for $name; not verified" >&2
  elif ! is_valid "$tmp" "$name"; then
    echo "fetch-data: sha256 mismatch for $name (got $(sha256_of "$tmp"), want ${known_sha256[$name]})" >&2
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$target"
}

mkdir -p "$dest"
IFS=',' read -r -a month_list <<<"$months"
for month in "${month_list[@]}"; do
  if [[ ! "$month" =~ ^[0-9]{4}-[0-9]{2}$ ]]; then
    echo "fetch-data: month '$month' is not YYYY-MM" >&2
    exit 2
  fi
  fetch_one "green_tripdata_$month.parquet" "$trip_base_url/green_tripdata_$month.parquet"
done
fetch_one "taxi_zone_lookup.csv" "$misc_base_url/taxi_zone_lookup.csv"
echo "data ready in $dest"
