"""A tiny reverse proxy for tests: forwards to the live server and appends the address of the
client it saw to ``X-Forwarded-For``, as the nginx or Caddy in front of the site does."""

from __future__ import annotations

import http.client
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


def _handler(upstream_host: str, upstream_port: int):
    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            seen = self.client_address[0]
            forwarded = self.headers.get("X-Forwarded-For")
            headers["X-Forwarded-For"] = f"{forwarded}, {seen}" if forwarded else seen
            headers["Host"] = self.headers.get("Host", "localhost")
            upstream = http.client.HTTPConnection(upstream_host, upstream_port, timeout=30)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                content = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                upstream.close()

        do_GET = do_POST = do_HEAD = _forward

        def log_message(self, *args):  # quiet
            pass

    return Forward


@contextmanager
def local_proxy(live_server_url: str):
    """Yield the proxy's base URL (on 127.0.0.1, a port of its own)."""
    target = urlparse(live_server_url)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(target.hostname, target.port))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def request(base: str, method: str, path: str, *, source="127.0.0.1", headers=None, body=None):
    """Send one request from the loopback address ``source`` (127.0.0.2 and 127.0.0.3 are two
    different residents' machines); return (status, headers, text). Redirects are not followed."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(
        url.hostname, url.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()
