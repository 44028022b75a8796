"""A local stand-in for an Elasticsearch server: records the requests it gets and answers with
what the test tells it to. Also a socket that accepts connections and never answers."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Stub:
    def __init__(self):
        self.requests = []  # (method, path, body text)
        self.headers = []  # the headers of each request, in the same order
        self.query_strings = []  # the query string of each request, in the same order
        self.product_header = True  # False: answer as OpenSearch does, without X-Elastic-Product
        self.answers = {}  # (method, path) -> (status, json body)
        self.status_for_all = None
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                path, _sep, query_string = self.path.partition("?")
                stub.requests.append((self.command, path, body))
                stub.headers.append({k.lower(): v for k, v in self.headers.items()})
                stub.query_strings.append(query_string)
                status, payload = stub.answer(self.command, path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if stub.product_header:
                    self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method, path, body):
        if self.status_for_all:
            return self.status_for_all, {"error": {"type": "stub_error"}, "status": 500}
        if (method, path) in self.answers:
            return self.answers[(method, path)]
        if path.endswith("/_bulk") or path == "/_bulk":
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            items = [
                {op: {"_id": meta["_id"], "_index": meta.get("_index", "x"), "status": 200}}
                for line in lines
                for op, meta in line.items()
                if op in ("index", "delete")
            ]
            return 200, {"took": 1, "errors": False, "items": items}
        return 200, {"acknowledged": True}

    def bodies(self, method, suffix):
        return [body for m, p, body in self.requests if m == method and p.endswith(suffix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SilentSocket:
    """Accepts connections and never answers: the engine must give up on its own."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self):
        for conn in self.connections:
            conn.close()
        self.sock.close()


def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"
