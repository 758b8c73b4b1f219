"""The HTTP service around :class:`LabelStudioBackend`, on the standard library."""

import json
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_MAX_BODY = 256 * 1024 * 1024  # a predict call for many image tasks is large


class _Handler(BaseHTTPRequestHandler):
    backend = None  # set per server class in make_server
    quiet = False
    protocol_version = "HTTP/1.1"

    def _send(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path in ("", "/health"):
            return self._send(*self.backend.health())
        if path == "/metrics":
            return self._send(200, {})
        return self._send(404, {"error": f"no such endpoint: GET {self.path}"})

    def do_POST(self):
        path = self.path.split("?")[0].rstrip("/")
        handlers = {
            "/setup": self.backend.setup,
            "/predict": self.backend.predict,
            "/webhook": self.backend.webhook,
        }
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            return self._send(413, {"error": "request body too large"})
        raw = self.rfile.read(length) if length else b""
        if path not in handlers:
            return self._send(404, {"error": f"no such endpoint: POST {self.path}"})
        try:
            payload = json.loads(raw.decode("utf-8") or "{}")
            if not isinstance(payload, dict):
                raise ValueError("the request body must be a JSON object")
        except ValueError as exc:
            return self._send(400, {"error": f"bad JSON: {exc}"})
        try:
            status, body = handlers[path](payload)
        except (ValueError, LookupError, TypeError) as exc:
            return self._send(400, {"error": str(exc)})
        except Exception as exc:  # report, keep serving
            traceback.print_exc(file=sys.stderr)
            return self._send(500, {"error": f"{type(exc).__name__}: {exc}"})
        return self._send(status, body)

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(backend, host="127.0.0.1", port=9090, *, quiet=False):
    """Return an HTTP server (not yet serving) for a backend.

    Parameters
    ----------
    backend : LabelStudioBackend
        The handlers.
    host : str, default="127.0.0.1"
        Address to listen on; the default accepts local connections only.
    port : int, default=9090
        Port; 0 picks a free one (read it from ``server.server_address``).
    quiet : bool, default=False
        Do not log each request to standard error.

    Returns
    -------
    server : http.server.ThreadingHTTPServer
        Call ``serve_forever()`` (and ``shutdown()`` from another thread).

    Examples
    --------
    >>> import json, tempfile, threading, urllib.request
    >>> from skal.serve import LabelStudioBackend, make_server
    >>> server = make_server(LabelStudioBackend(tempfile.mkdtemp()), port=0, quiet=True)
    >>> thread = threading.Thread(target=server.serve_forever, daemon=True)
    >>> thread.start()
    >>> url = "http://127.0.0.1:%d/health" % server.server_address[1]
    >>> json.load(urllib.request.urlopen(url))
    {'status': 'UP', 'model_class': 'skal'}
    >>> server.shutdown(); server.server_close()
    """
    handler = type("SkalHandler", (_Handler,), {"backend": backend, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
