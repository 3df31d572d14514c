"""Loopback blogs for benchmarks/feed-poll.sh: one HTTP server on each of 127.0.0.1 … 127.0.0.N,
all on one port. /feed/<n> answers a conditional GET with `If-None-Match: "v1"` by 304, except
one feed in twenty, which has a new version (three items, ETag "v2"). Prints the port, then serves
until killed."""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

hosts = int(sys.argv[1]) if len(sys.argv) > 1 else 50


def feed(n):
    items = "".join(
        f"<item><guid>feed-{n}-item-{i}</guid><title>Post {i} of feed {n}</title>"
        f"<link>https://blog{n}.example/posts/{i}</link><pubDate>Mon, 0{i} Nov 2026 09:00:00 GMT</pubDate></item>"
        for i in range(1, 4)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>https://blog{n}.example/</link>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        try:
            n = int(self.path.rsplit("/", 1)[-1])
        except ValueError:
            n = -1
        if n >= 0 and n % 20 != 0 and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = feed(n)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", '"v2"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


first = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
port = first.server_address[1]
servers = [first] + [ThreadingHTTPServer((f"127.0.0.{i}", port), Handler) for i in range(2, hosts + 1)]
for server in servers:
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(port, flush=True)
threading.Event().wait()
