"""A real HTTP server on 127.0.0.1 that records every request a webhook sends it.

Replies are set per path: a list is served in order (then its last entry repeats), so a test can
make an endpoint fail twice and then succeed. ``slow`` paths wait before answering.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

OK_ERRCODE = (200, '{"errcode":0,"errmsg":"ok"}')


@dataclass
class Received:
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.raw_query, keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    requests: list[Received] = field(default_factory=list)
    replies: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path_and_query: str) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}{path_and_query}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def reply(self, path: str) -> tuple[int, str]:
        with self.lock:
            queue = self.replies.get(path)
            if not queue:
                return OK_ERRCODE
            return queue.pop(0) if len(queue) > 1 else queue[0]


def start() -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            with receiver.lock:
                receiver.requests.append(Received(parts.path, parts.query, dict(self.headers.items()), body))
            delay = receiver.slow.get(parts.path)
            if delay:
                time.sleep(delay)
            status, text = receiver.reply(parts.path)
            data = text.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
