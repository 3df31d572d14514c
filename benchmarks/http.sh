#!/usr/bin/env bash
# Requests per second and p99 latency of GET /healthz and an authenticated GET /api/v1/me,
# on SQLite and (when PostgreSQL can be started here) on PostgreSQL, with a release build.
#   usage: benchmarks/http.sh [seconds per run, default 10] [connections, default 32]
# Needs wrk (apt-get install wrk). Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

swift build -c release --product trestle >&2
binary=$(swift build -c release --show-bin-path)/trestle

run_one() { # label database_url
  local label=$1 url=$2 data port pid token
  data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export TRESTLE_DATA_DIR=$data LOG_LEVEL=error
  if [ -n "$url" ]; then export DATABASE_URL=$url; "$binary" migrate >/dev/null; else unset DATABASE_URL; fi
  "$binary" serve --hostname 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  email="bench-$RANDOM@example.com"
  "$binary" user create --email "$email" --password "benchmark password" --workspace Bench >/dev/null
  token=$("$binary" token create --email "$email" --name bench)
  for target in "/healthz" "/api/v1/me"; do
    local out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$target")
    local rps p99 p50 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
    printf '%-10s %-12s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$target" "$rps" "$p50" "$p99" "$errors"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

echo "release build, wrk -t2 -c$connections -d${duration}s, $(nproc) cores"
run_one sqlite ""
pgdir=$(mktemp -d /tmp/trestle-bench-pg.XXXXXX)
if pgurl=$(scripts/postgres-start "$pgdir" 55434 2>/dev/null); then
  trap 'scripts/postgres-stop "$pgdir" >/dev/null 2>&1 || true' EXIT
  psql "$pgurl" -qc "CREATE DATABASE trestle_bench" >/dev/null
  run_one postgres "${pgurl%/*}/trestle_bench"
else
  echo "postgres   (skipped: could not start PostgreSQL)"
fi
