#!/usr/bin/env bash
# Time and server memory for uploading videos of growing size through
# POST /api/v1/workspaces/{ws}/media (multipart), release build, SQLite, loopback: what a shop's
# phone video costs the server while uploads are held in memory and stored in the database.
#   usage: benchmarks/media-upload.sh [sizes in MB, default "10 50 95"]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/server.sh
sizes=${1:-10 50 95}
build_trestle
start_trestle "$binary"
trap stop_trestle EXIT
workspace=$(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["workspaces"][0]["id"])')

echo "release build, SQLite, $(nproc) cores; one upload at a time"
memory_row
for mb in $sizes; do
  file="$trestle_data/clip-$mb.mp4"
  # An MP4 header (ftyp) followed by filler: the server reads the type from the bytes.
  python3 - "$file" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    f.write(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
    f.write(b"\x00" * (mb * 1024 * 1024 - 24))
PY
  seconds=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" \
    -F "file=@$file;type=video/mp4" -F "alt=benchmark" "$base/api/v1/workspaces/$workspace/media")
  printf '%4s MB upload: %6.2f s   ' "$mb" "$seconds"
  memory_row
done
