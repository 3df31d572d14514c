#!/usr/bin/env python3
"""Texts per second of twitter-text-parser's parse_tweet (PyPI, a Python port of twitter-text) on
the corpus of benchmarks/text-rules.sh, and each text's X weighted length.

    twitter_text_reference.py CORPUS.jsonl X-LENGTHS-OUT [passes, default 3]

Prints one line, `x <texts per second> texts/s ...`, the median of the timed passes after one
untimed warm-up, timed with the monotonic clock.
"""
import json
import statistics
import sys
import time
from importlib.metadata import version

from twitter_text import parse_tweet


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: twitter_text_reference.py CORPUS.jsonl X-LENGTHS-OUT [passes]")
    corpus, lengths_path = sys.argv[1], sys.argv[2]
    passes = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    if not 1 <= passes <= 100:
        sys.exit("passes: 1 to 100")
    with open(corpus, encoding="utf-8") as file:
        texts = [json.loads(line)["text"] for line in file if line.strip()]

    lengths = [parse_tweet(text).weightedLength for text in texts]  # also the warm-up
    with open(lengths_path, "w", encoding="utf-8") as file:
        file.writelines(f"{length}\n" for length in lengths)

    seconds = []
    checksum = 0
    for _ in range(passes):
        start = time.perf_counter()
        for text in texts:
            checksum += parse_tweet(text).weightedLength
        seconds.append(time.perf_counter() - start)
    rate = len(texts) / statistics.median(seconds)
    print(f"x {rate:.0f} texts/s  twitter-text-parser {version('twitter-text-parser')} parse_tweet, "
          f"median of {passes} passes over {len(texts)} texts (checksum {checksum})")


if __name__ == "__main__":
    main()
