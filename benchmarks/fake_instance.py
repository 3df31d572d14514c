"""A loopback Mastodon instance for benchmarks/publishing.sh: the browser tests' fake, with 20 ms
per post. Prints its address, then serves until killed; on SIGTERM it prints how many statuses
it holds and how many texts were posted twice."""
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "BrowserTests"))
from fake_mastodon import FakeMastodon  # noqa: E402

fake = FakeMastodon(token="bench-token", latency=float(sys.argv[1]) if len(sys.argv) > 1 else 0.02)
print(fake.url, flush=True)


def report(*_):
    texts = [status["text"] for status in fake.statuses]
    print(f"instance: {len(texts)} statuses, {len(texts) - len(set(texts))} posted twice", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
while True:
    time.sleep(3600)
