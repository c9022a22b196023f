"""Local stand-ins for the vendors' servers (企业微信, 钉钉, SMS): real HTTP servers on 127.0.0.1
that implement the documented JSON shapes and error codes, so no test reaches the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Request:
    def __init__(self, handler: BaseHTTPRequestHandler):
        parts = urlsplit(handler.path)
        self.method = handler.command
        self.path = parts.path
        self.query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = {k.lower(): v for k, v in handler.headers.items()}
        length = int(handler.headers.get("Content-Length") or 0)
        self.raw = handler.rfile.read(length) if length else b""
        try:
            self.json = json.loads(self.raw) if self.raw else {}
        except ValueError:
            self.json = None


class StandIn:
    """A threaded HTTP server whose `route(request) -> (status, dict)` subclasses implement."""

    def __init__(self):
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.hung = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                request = Request(self)
                held = stand_in.hold(request)  # outside the lock: the others still answer
                if held is not None:
                    status, answer = held
                else:
                    with stand_in.lock:
                        status, answer = stand_in.route(request)
                body = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    # A send that hangs (the fault drills): once `hang_after` messages were accepted on a path in
    # `hanging_paths`, each further send waits until `release()`, then fails with a 503 unrecorded
    # — as if the worker sending it had died with the request open.
    hang_after: int | None = None
    hanging_paths: tuple[str, ...] = ()

    def accepted(self) -> int:
        return 0

    def hold(self, request: Request) -> tuple[int, dict] | None:
        if self.hang_after is None or request.path not in self.hanging_paths:
            return None
        with self.lock:
            if self.accepted() < self.hang_after:
                return None
            self.hung += 1
        self.released.wait(120)
        return 503, {"errcode": -1, "errmsg": "system busy"}

    def release(self) -> None:
        self.hang_after = None
        self.released.set()

    def route(self, request: Request) -> tuple[int, dict]:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
