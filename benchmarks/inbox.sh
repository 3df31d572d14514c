#!/usr/bin/env bash
# The inbox, with a release build, on loopback only, against benchmarks/fake_inbox_instance.py:
# - from a reply made on the instance to the item kept in Trestle's inbox, with a real
#   `trestle worker` listening on the streaming API (200 replies, 100 ms apart), and polling only
#   (the instance without a streaming API; 100 replies 300 ms apart, polled every 10 s and 60 s);
# - 100,000 notifications waiting on 100 accounts read in by the job runner: items per second and
#   the memory it takes; on SQLite, and on PostgreSQL when it can be started.
#   usage: benchmarks/inbox.sh [notifications, default 100000] [channels, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
notifications=${1:-100000}
channels=${2:-100}
swift build -c release --product trestle >&2
binary=$(swift build -c release --show-bin-path)/trestle
export TRESTLE_FETCH_ALLOW=127.0.0.1 LOG_LEVEL=error

fake_pid=
# start_instance [--no-streaming] — a fresh fake instance; sets $instance.
start_instance() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
  local out; out=$(mktemp /tmp/trestle-inbox-instance.XXXXXX)
  python3 benchmarks/fake_inbox_instance.py "$@" >"$out" &
  fake_pid=$!
  for _ in $(seq 1 50); do [ -s "$out" ] && break; sleep 0.1; done
  instance=$(head -n 1 "$out")
}
pgdir=
trap '[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null; [ -n "$pgdir" ] && { scripts/postgres-stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }; true' EXIT

# run_on DATABASE_URL COMMAND… — a fresh data folder (and database) for one measurement.
run_on() {
  local url=$1; shift
  local data; data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
  export TRESTLE_DATA_DIR=$data
  if [ -n "$url" ]; then export DATABASE_URL=$url; else unset DATABASE_URL; fi
  "$binary" migrate >/dev/null
  "$binary" benchmark "$@" --instance "$instance"
  rm -rf "$data"
}

echo "release build, $(nproc) cores, SQLite"
start_instance
TRESTLE_INBOX_POLL_SECONDS=60 run_on "" inbox-latency --count 200 --spacing-ms 100
start_instance --no-streaming
TRESTLE_INBOX_POLL_SECONDS=10 run_on "" inbox-latency --count 100 --spacing-ms 300 --no-stream
TRESTLE_INBOX_POLL_SECONDS=60 run_on "" inbox-latency --count 100 --spacing-ms 1500 --no-stream
start_instance
run_on "" inbox-ingest --count "$notifications" --channels "$channels"

pgdir=$(mktemp -d /tmp/trestle-bench-pg.XXXXXX)
if pgurl=$(scripts/postgres-start "$pgdir" 55436 2>/dev/null); then
  echo "PostgreSQL"
  psql "$pgurl" -qc "CREATE DATABASE bench_inbox_latency" >/dev/null
  start_instance
  TRESTLE_INBOX_POLL_SECONDS=60 run_on "${pgurl%/*}/bench_inbox_latency" inbox-latency --count 200 --spacing-ms 100
  psql "$pgurl" -qc "CREATE DATABASE bench_inbox_ingest" >/dev/null
  start_instance
  run_on "${pgurl%/*}/bench_inbox_ingest" inbox-ingest --count "$notifications" --channels "$channels"
else
  echo "PostgreSQL (skipped: could not start it)"
fi
