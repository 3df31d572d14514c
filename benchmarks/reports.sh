#!/usr/bin/env bash
# A report a shop owner opens: the last 30 days of a workspace with 10,000 posts published on
# four channels (a short link each), 1,000,000 clicks (one in ten a link preview's), a thousand
# leads and sales, network counts for half the posts and a month of follower counts. Seeded with
# multi-row inserts, then the report is read and made into the API's JSON seven times, release
# build, on SQLite and on PostgreSQL. Goal: at most 1 s.
#   usage: benchmarks/reports.sh [posts, default 10000] [clicks, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-10000}
clicks=${2:-1000000}
swift build -c release --product trestle >&2
binary=$(swift build -c release --show-bin-path)/trestle
export LOG_LEVEL=error
echo "release build, $(nproc) cores; $posts posts, $clicks clicks"

# run_on DATABASE_URL — a fresh data folder (and database) for one measurement.
run_on() {
  local url=$1 data
  data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
  export TRESTLE_DATA_DIR=$data
  if [ -n "$url" ]; then export DATABASE_URL=$url; else unset DATABASE_URL; fi
  "$binary" migrate >/dev/null
  "$binary" benchmark reports --count "$posts" --clicks "$clicks"
  rm -rf "$data"
}

echo "sqlite:"
run_on ""

pgdir=$(mktemp -d /tmp/trestle-bench-pg.XXXXXX)
if pgurl=$(scripts/postgres-start "$pgdir" 55438 2>/dev/null); then
  trap 'scripts/postgres-stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
  echo "postgres:"
  psql "$pgurl" -qc "CREATE DATABASE bench_reports" >/dev/null
  run_on "${pgurl%/*}/bench_reports"
else
  echo "postgres (skipped: could not start PostgreSQL)"
fi
