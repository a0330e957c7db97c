"""The studio served by uvicorn on a socket it binds itself (a free port by default, so the
URL, and the Host values the app accepts, are known before the first request)."""

from __future__ import annotations

import socket
import threading
from contextlib import AbstractContextManager

import uvicorn

from .app import create_app, host_names
from .session import Studio

LOOPBACK = "127.0.0.1"


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Running(AbstractContextManager):
    """The studio served in a background thread (for tests and `cmforge studio`):
    `with Running(studio) as r: r.url`."""

    def __init__(self, studio: Studio, host: str = LOOPBACK, port: int = 0, watch: bool = True):
        self.studio, self.host, self.watch = studio, host, watch
        self.sock = bind(host, port)
        self.port = self.sock.getsockname()[1]
        self.url = url_of(host, self.port)
        app = create_app(studio, host_names(host, self.port))
        config = uvicorn.Config(
            app, log_level="warning", timeout_graceful_shutdown=1, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> Running:
        self.studio.start(watch=self.watch)
        self.thread.start()
        return self

    def wait(self) -> None:
        """Until the server stops (Ctrl-C in `cmforge studio`)."""
        while self.thread.is_alive():
            self.thread.join(0.5)

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.studio.stop()
        self.sock.close()


def serve(studio: Studio, host: str = LOOPBACK, port: int = 0) -> Running:
    """The studio's server, not started yet: `with serve(studio) as r: ...`."""
    return Running(studio, host, port)
