#!/usr/bin/env bash
# Texts per second of TextRules (X's weighted length alone, and all seven networks' checks) beside
# twitter-text-parser (PyPI, a Python port of twitter-text) on one generated corpus, with a release
# build; and whether the two give every text the same X weighted length.
#   usage: benchmarks/text-rules.sh [texts, default 2000] [seed, default 8]
# Installs twitter-text-parser into a virtualenv under .build/ (or $TWITTER_TEXT_VENV) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
seed=${2:-8}
venv=${TWITTER_TEXT_VENV:-.build/twitter-text-venv}
if ! "$venv/bin/python" -c 'import twitter_text' 2>/dev/null; then
  python3 -m venv "$venv"
  # twitter-text-parser 3.0.0 imports pkg_resources, which newer setuptools no longer ships.
  "$venv/bin/pip" install --quiet 'twitter-text-parser==3.0.0' 'setuptools<81' >&2
fi
python=$venv/bin/python

swift build -c release --product TextRulesBenchmark >&2
benchmark=$(swift build -c release --show-bin-path)/TextRulesBenchmark

work=$(mktemp -d /tmp/trestle-text-rules.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$python" benchmarks/text_rules_corpus.py generate --count "$count" --seed "$seed" >"$work/corpus.jsonl"
"$python" benchmarks/text_rules_corpus.py edge-cases >"$work/edge-cases.jsonl"

ours=$("$benchmark" "$work/corpus.jsonl" "$work/ours.txt")
reference=$("$python" benchmarks/twitter_text_reference.py "$work/corpus.jsonl" "$work/reference.txt")
"$benchmark" "$work/edge-cases.jsonl" "$work/edge-ours.txt" 1 >/dev/null
"$python" benchmarks/twitter_text_reference.py "$work/edge-cases.jsonl" "$work/edge-reference.txt" 1 >/dev/null

rate() { awk -v key="$1" '$1 == key { print $2 }'; }
row() { printf '%-46s %10s texts/s\n' "$1" "$2"; }
x=$(rate x <<<"$ours")
python_x=$(rate x <<<"$reference")
echo "TextRules beside $("$python" -c 'from importlib.metadata import version as v; print("twitter-text-parser", v("twitter-text-parser"))'):" \
  "$count generated texts (seed $seed), release build, $(nproc) cores"
row "TextRules, X weighted length" "$x"
row "TextRules, all 7 networks' checks" "$(rate all <<<"$ours")"
for network in x mastodon bluesky linkedin facebook instagram threads; do
  row "  $network check alone" "$(rate "network:$network" <<<"$ours")"
done
row "twitter-text-parser, X weighted length" "$python_x"
printf '%-46s %10s   (goal: at least 100×)\n' "X: TextRules ÷ twitter-text-parser" \
  "$(awk -v a="$x" -v b="$python_x" 'BEGIN { printf "%.0f×", a / b }')"
"$python" benchmarks/text_rules_corpus.py compare "$work/corpus.jsonl" "$work/ours.txt" "$work/reference.txt"
"$python" benchmarks/text_rules_corpus.py compare "$work/edge-cases.jsonl" "$work/edge-ours.txt" \
  "$work/edge-reference.txt" --show 100 --label "Known differences (edge cases, not timed)"
