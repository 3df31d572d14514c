#!/usr/bin/env bash
# A Site channel under load: its public page and its three feeds with 10,000 published posts,
# beside GET /healthz, with wrk on loopback, release build, SQLite, the worker off.
#   usage: benchmarks/site.sh [posts, default 10000] [seconds, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
posts=${1:-10000}
duration=${2:-10}
connections=${3:-32}
build_trestle

data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
export TRESTLE_DATA_DIR=$data LOG_LEVEL=error
unset DATABASE_URL
site=$("$binary" benchmark site --count "$posts")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRESTLE_PUBLIC_URL="http://127.0.0.1:$port"
"$binary" serve --no-worker --hostname 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
entries=$(curl -fs "$base$site" | grep -c 'class="site-entry' || true)
echo "release build, wrk -t2 -c$connections -d${duration}s, $(nproc) cores; a site with $posts posts, $entries on its first page"
for target in /healthz "$site" "$site/rss.xml" "$site/atom.xml" "$site/feed.json"; do
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$base$target")
  printf '%-24s %10s req/s   p50 %8s   p99 %8s\n' "$target" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
done
# A reader that polls with the ETag it was given: the 304 path.
etag=$(curl -fsI "$base$site/rss.xml" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "If-None-Match: $etag" "$base$site/rss.xml")
printf '%-24s %10s req/s   p50 %8s   p99 %8s\n' "$site/rss.xml (304)" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
  "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
