#!/usr/bin/env bash
# The publisher under load, with a release build, on loopback only:
# - 10,000 deliveries due within one minute, published by real `trestle worker` processes to a
#   fake instance answering each post in 20 ms: lateness p50/p99/max and deliveries per second,
#   one worker on SQLite, one and four on PostgreSQL;
# - on the same PostgreSQL cluster: the job runner's claim-and-complete rate on no-op jobs,
#   a bare SQL FOR UPDATE SKIP LOCKED loop (the ceiling), and pgqueuer (PyPI) on no-op jobs;
# - a worker's memory with 100,000 deliveries scheduled.
#   usage: benchmarks/publishing.sh [deliveries, default 10000] [jobs, default 50000]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
deliveries=${1:-10000}
jobs=${2:-50000}
build_trestle
python3 -c "import pgqueuer, asyncpg" 2>/dev/null || python3 -m pip install --quiet pgqueuer asyncpg

python3 benchmarks/fake_instance.py 0.02 > /tmp/trestle-fake-instance.out &
fake_pid=$!
for _ in $(seq 1 50); do [ -s /tmp/trestle-fake-instance.out ] && break; sleep 0.1; done
instance=$(head -n 1 /tmp/trestle-fake-instance.out)
export TRESTLE_FETCH_ALLOW=127.0.0.1 LOG_LEVEL=error
echo "release build, $(nproc) cores, fake instance at $instance (20 ms a post)"

# run_on DATABASE_URL COMMAND… — a fresh data folder (and database) for one measurement.
run_on() {
  local url=$1; shift
  local data; data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
  export TRESTLE_DATA_DIR=$data
  if [ -n "$url" ]; then export DATABASE_URL=$url; "$binary" migrate >/dev/null; else unset DATABASE_URL; fi
  "$binary" benchmark "$@" --instance "$instance"
  rm -rf "$data"
}

echo "sqlite:"
run_on "" publishing --count "$deliveries" --workers 1
run_on "" memory --count 100000

pgdir=$(mktemp -d /tmp/trestle-bench-pg.XXXXXX)
if pgurl=$(scripts/postgres-start "$pgdir" 55435 2>/dev/null); then
  trap 'scripts/postgres-stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; kill $fake_pid 2>/dev/null || true' EXIT
  echo "postgres:"
  for workers in 1 4; do
    psql "$pgurl" -qc "CREATE DATABASE bench_publishing_$workers" >/dev/null
    run_on "${pgurl%/*}/bench_publishing_$workers" publishing --count "$deliveries" --workers "$workers"
  done
  # 16 jobs at a time, as a worker runs its publishing, and 1,000 (claimed in batches of up to
  # 1,000, as a kind of many short jobs would be); pgqueuer in batches of 10 (its default) and 100.
  for concurrency in 16 1000; do
    psql "$pgurl" -qc "CREATE DATABASE bench_jobs_$concurrency" >/dev/null
    run_on "${pgurl%/*}/bench_jobs_$concurrency" jobs --count "$jobs" --concurrency "$concurrency"
  done
  for batch in 10 100; do
    psql "$pgurl" -qc "CREATE DATABASE bench_pgqueuer_$batch" >/dev/null
    python3 benchmarks/pgqueuer_noop.py "${pgurl%/*}/bench_pgqueuer_$batch" "$jobs" "$batch"
  done
else
  echo "postgres (skipped: could not start PostgreSQL)"
  trap 'kill $fake_pid 2>/dev/null || true' EXIT
fi
kill -TERM $fake_pid; wait $fake_pid 2>/dev/null || true
tail -n 1 /tmp/trestle-fake-instance.out
