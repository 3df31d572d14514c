#!/usr/bin/env bash
# Short links under load: the redirect of /l/{code} beside GET /healthz on the same server, with
# wrk on loopback (a browser's User-Agent, so every request is a person's click), release build,
# SQLite, the worker off; then the server is stopped and the clicks in the database are counted
# against the redirects it answered (its own /metrics counter): none may be lost.
#   usage: benchmarks/links.sh [seconds, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
duration=${1:-10}
connections=${2:-32}
build_trestle
command -v sqlite3 >/dev/null || { apt-get update && apt-get install -y sqlite3; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRESTLE_PUBLIC_URL="http://127.0.0.1:$port"
data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
export TRESTLE_DATA_DIR=$data LOG_LEVEL=error
unset DATABASE_URL
"$binary" migrate >/dev/null
email="bench-$RANDOM@example.com"
created=$("$binary" user create --email "$email" --password "benchmark password" --workspace Bench)
workspace=$(sed 's/.*(//; s/)//' <<<"$created")
token=$("$binary" token create --email "$email" --name bench)
"$binary" serve --no-worker --hostname 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
short=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"url": "https://bakery.example/bread?size=large", "campaign": "benchmark"}' "$base/api/v1/workspaces/$workspace/links" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["shortURL"])')
path=${short#$base}
agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
echo "release build, wrk -t2 -c$connections -d${duration}s, $(nproc) cores, SQLite; redirect of $path"
for target in /healthz "$path"; do
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "User-Agent: $agent" "$base$target")
  printf '%-16s %10s req/s   p50 %8s   p99 %8s   %s\n' "$target" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
done
answered=$(curl -fs "$base/metrics" | awk '/^trestle_http_requests_total/ && /route="\/l\/:code"/ && /status="302"/ {sum += $NF} END {printf "%d", sum}')
kill -TERM "$server"; wait "$server" 2>/dev/null || true
clicks=$(sqlite3 "$data/trestle.sqlite" "SELECT COUNT(*) FROM link_clicks WHERE by_fetcher = 0")
visitors=$(sqlite3 "$data/trestle.sqlite" "SELECT COUNT(DISTINCT visitor) FROM link_clicks")
echo "redirects answered: $answered; clicks in the database after the server stopped: $clicks ($(( answered - clicks )) lost); distinct visitors: $visitors"
