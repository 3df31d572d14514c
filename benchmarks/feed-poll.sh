#!/usr/bin/env bash
# One poll cycle of the feed bridge, release build, loopback only: 1,000 subscriptions spread
# over 50 hosts (127.0.0.1 … 127.0.0.50, a Python server on each), every one with an ETag from
# an earlier poll; 19 in 20 answer 304, the rest a small new feed whose items become drafts.
# Polled by the job runner as a worker polls (16 at once, one request per host at a time).
#   usage: benchmarks/feed-poll.sh [feeds, default 1000] [hosts, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-1000}
hosts=${2:-50}
swift build -c release --product trestle >&2
binary=$(swift build -c release --show-bin-path)/trestle

out=$(mktemp /tmp/trestle-feed-server.XXXXXX)
python3 benchmarks/feed_server.py "$hosts" >"$out" &
server_pid=$!
data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
trap 'kill $server_pid 2>/dev/null; rm -rf "$data" "$out"' EXIT
for _ in $(seq 1 50); do [ -s "$out" ] && break; sleep 0.1; done
port=$(head -n 1 "$out")

export TRESTLE_DATA_DIR=$data TRESTLE_FETCH_ALLOW=127.0.0.0/8 LOG_LEVEL=error
unset DATABASE_URL
echo "release build, $(nproc) cores, SQLite, $feeds feeds on $hosts loopback hosts (port $port)"
"$binary" migrate >/dev/null
"$binary" benchmark feeds-poll --count "$feeds" --hosts "$hosts" --feed-port "$port"
