#!/usr/bin/env bash
# p50/p99 latency and requests per second of POST /api/v1/compose/check (one mixed text checked
# for all seven networks) beside GET /healthz and the authenticated GET /api/v1/me (what every API
# request pays for its token) on the same server, release build, SQLite, with one connection and
# with many.
#   usage: benchmarks/compose-check.sh [seconds per run, default 10] [connections, default 32]
# Needs wrk (apt-get install wrk). Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
duration=${1:-10}
connections=${2:-32}
build_trestle

# Emoji with ZWJ sequences and flags, CJK and Hangul, links with and without a protocol, mentions
# and hashtags: what a composer sends as someone types a real post.
body='{"text": "Launch day 🚀 for Trestle! 👩‍💻👨‍👩‍👧‍👦 Read https://trestle.dev/blog/launch?ref=social or docs.swift.org/swift-book — thanks @swiftlang @vapor_codes #ServerSideSwift #opensource 🇯🇵🇫🇷\n新しいリリース、ありがとうございます 🙏 안녕하세요 ❤️ café", "networks": ["x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", "threads"]}'

start_trestle "$binary"
trap stop_trestle EXIT
data=$trestle_data

# One request first, so that a refused request stops here instead of being measured.
status=$(curl -s -o "$data/answer.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary "$body" "$base/api/v1/compose/check")
if [ "$status" != 200 ]; then
  echo "POST /api/v1/compose/check answered $status: $(head -c 500 "$data/answer.json")" >&2
  exit 1
fi
cat >"$data/compose-check.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [=[$body]=]
EOF

echo "release build, SQLite, wrk -d${duration}s, $(nproc) cores;" \
  "compose check: $(printf '%s' "$body" | wc -c)-byte request for 7 networks, $(wc -c <"$data/answer.json")-byte answer"
for c in 1 "$connections"; do
  for target in "GET /healthz" "GET /api/v1/me" "POST /api/v1/compose/check"; do
    script=()
    [ "${target%% *}" = POST ] && script=(-s "$data/compose-check.lua")
    wrk_row "c=$c" "$target" "$c" "$duration" "${script[@]}"
  done
done
memory_row
