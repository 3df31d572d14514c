#!/usr/bin/env bash
# The calendar under load: a month view of a workspace with 10,000 posts that month, beside
# GET /healthz, with wrk on loopback, release build, SQLite (the worker is off, so nothing
# publishes to the made-up instance the posts are for).
#   usage: benchmarks/calendar.sh [posts, default 10000] [seconds, default 10] [connections, default 32]
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
read -r email password < <("$binary" benchmark calendar --count "$posts")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" serve --no-worker --hostname 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# Sign in as a browser does: the login form's CSRF token and cookie, then the session cookie.
jar="$data/cookies"
csrf=$(curl -fs -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf" "$base/login"
session=$(awk '$6 == "trestle_session" {print $7}' "$jar")
workspace=$(curl -fs -o /dev/null -w '%{redirect_url}' -b "$jar" "$base/" | sed 's|.*/workspaces/||')
month="$base/workspaces/$workspace/calendar?view=month&zone=UTC"
items=$(curl -fs -b "trestle_session=$session" "$month" | grep -c 'class="calendar-item' || true)
echo "release build, wrk -t2 -c$connections -d${duration}s, $(nproc) cores; $posts posts this month, $items shown in the month view"
for target in "$base/healthz" "$month"; do
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: trestle_session=$session" "$target")
  printf '%-70s %10s req/s   p50 %8s   p99 %8s\n' "${target#$base}" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
done
