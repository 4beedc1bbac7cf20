"""A real HTTP server on localhost, in a thread, that receives webhooks and checks their signature.

``Receiver(secret)`` answers each POST with the next status of ``plan`` (then 200), or
sleeps ``delay`` seconds first (a timeout for a client with a shorter one). Every post
is kept in ``posts`` with its headers, JSON body and whether the signature verified.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from accounts.webhooks import signing


@dataclass
class Post:
    headers: dict  # names in lower case
    body: dict
    verified: bool
    status: int


@dataclass
class Receiver:
    secret: str = ""
    plan: list = field(default_factory=list)  # statuses to answer, in order; then 200
    delay: float = 0.0
    fail_rate: float = 0.0  # the share of posts answered 500, at random (seeded)
    seed: int = 7
    posts: list = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                verified = signing.verify(
                    receiver.secret, self.headers.get(signing.SIGNATURE_HEADER, ""), raw
                )
                with receiver._lock:
                    if receiver.plan:
                        status = receiver.plan.pop(0)
                    elif receiver.fail_rate:
                        status = 500 if receiver._random.random() < receiver.fail_rate else 200
                    else:
                        status = 200
                    receiver.posts.append(
                        Post(
                            {k.lower(): v for k, v in self.headers.items()},
                            json.loads(raw or b"{}"),
                            verified,
                            status,
                        )
                    )
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
