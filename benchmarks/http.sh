#!/usr/bin/env bash
# Requests per second and p99 latency of GET /healthz and an authenticated GET /api/v1/me,
# on SQLite and (when PostgreSQL can be started here) on PostgreSQL, with a release build.
#   usage: benchmarks/http.sh [seconds per run, default 10] [connections, default 32]
# Needs wrk (apt-get install wrk). Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
duration=${1:-10}
connections=${2:-32}
build_trestle

echo "release build, wrk -t2 -c$connections -d${duration}s, $(nproc) cores"
start_trestle "$binary"
for target in "GET /healthz" "GET /api/v1/me"; do wrk_row sqlite "$target" "$connections" "$duration"; done
memory_row
stop_trestle

pgdir=$(mktemp -d /tmp/trestle-bench-pg.XXXXXX)
if pgurl=$(scripts/postgres-start "$pgdir" 55434 2>/dev/null); then
  trap 'scripts/postgres-stop "$pgdir" >/dev/null 2>&1 || true' EXIT
  psql "$pgurl" -qc "CREATE DATABASE trestle_bench" >/dev/null
  start_trestle "$binary" "${pgurl%/*}/trestle_bench"
  for target in "GET /healthz" "GET /api/v1/me"; do wrk_row postgres "$target" "$connections" "$duration"; done
  memory_row
  stop_trestle
else
  echo "postgres   (skipped: could not start PostgreSQL)"
fi
