# Shared by the HTTP benchmarks (source it): start a release Trestle on loopback with a user and
# an API token, and print one wrk run as a table row. Only loopback is used.

# build_trestle — installs wrk if missing, builds the release binary and sets $binary.
build_trestle() {
  command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
  swift build -c release --product trestle >&2
  binary=$(swift build -c release --show-bin-path)/trestle
}

# start_trestle BINARY [DATABASE_URL] — sets $trestle_pid, $base and $token; stop_trestle ends it.
start_trestle() {
  local binary=$1 url=${2:-} port email
  trestle_data=$(mktemp -d /tmp/trestle-bench.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export TRESTLE_DATA_DIR=$trestle_data LOG_LEVEL=error
  if [ -n "$url" ]; then export DATABASE_URL=$url; "$binary" migrate >/dev/null; else unset DATABASE_URL; fi
  "$binary" serve --hostname 127.0.0.1 --port "$port" >"$trestle_data/server.log" 2>&1 &
  trestle_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "$base/healthz" >/dev/null || { echo "server did not start:" >&2; cat "$trestle_data/server.log" >&2; return 1; }
  email="bench-$RANDOM@example.com"
  "$binary" user create --email "$email" --password "benchmark password" --workspace Bench >/dev/null
  token=$("$binary" token create --email "$email" --name bench)
}

# memory_row — the server's resident memory now and at its peak (VmRSS, VmHWM from /proc).
memory_row() {
  local rss hwm
  rss=$(awk '/^VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$trestle_pid/status")
  hwm=$(awk '/^VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$trestle_pid/status")
  printf 'server memory: resident %s, peak %s\n' "$rss" "$hwm"
}

stop_trestle() {
  kill "$trestle_pid" 2>/dev/null || true
  wait "$trestle_pid" 2>/dev/null || true
  rm -rf "$trestle_data"
}

# wrk_row LABEL TARGET CONNECTIONS SECONDS [wrk options…] — one line: req/s, p50, p99, errors.
wrk_row() {
  local label=$1 target=$2 connections=$3 seconds=$4 out rps p50 p99 errors
  shift 4
  out=$(wrk -t"$((connections < 2 ? connections : 2))" -c"$connections" -d"${seconds}s" --latency "$@" \
    -H "Authorization: Bearer $token" "$base${target#* }")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
  printf '%-10s %-28s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$target" "$rps" "$p50" "$p99" "$errors"
}
