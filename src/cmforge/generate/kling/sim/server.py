"""A local Kling API (sections 3-8 of kling-api.md, as section 10 asks) on 127.0.0.1.

    with Simulator(latency=0.5, seed=1) as sim:
        client = KlingClient(sim.access_key, sim.secret_key, sim.base_url)
        sim.inject("rate_limit", count=2)

``latency`` is the seconds a std 5 s clip takes from create to ``succeed`` (pro and 10 s
clips take 1.5x each; 20 % of the time is spent ``submitted``). Faults: see
``state.FAULTS`` and ``Simulator.inject``. Results are real H.264 MP4 files made with
ffmpeg, cached per (length, aspect) in the simulator's folder. ``external_lookup`` chooses
which of the two lookups by external_task_id of section 4.5 answer (default both); ``codes``
counts the business codes answered. Not simulated: callbacks
(``callback_url`` is accepted and ignored; cmforge polls), masks' geometry.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..task import IMAGES
from .checks import check_token
from .media import ClipMaker, still_png
from .model import REQUEST_FAULTS, Reply, SimConfig, SimTask
from .state import SimState, fault_reply

TASK_PATH = re.compile(
    r"^/v1/(?:videos/(text2video|image2video)|images/generations)(?:/([^/]+))?/?$"
)
RESULT_PATH = re.compile(r"^/results/([0-9a-f-]+?)(?:-(\d+)\.png|\.mp4)$")


class Simulator:
    """The server, its account state and its thread; a context manager."""

    def __init__(
        self,
        port: int = 0,
        latency: float = 60.0,
        fail_rate: float = 0.0,
        seed: int | None = None,
        *,
        access_key: str = "cmforge-simulator",
        secret_key: str | None = None,
        clock: Callable[[], float] = time.time,
        media_dir: Path | None = None,
        **config: object,
    ):
        self.config = SimConfig(latency=latency, fail_rate=fail_rate, **config)  # type: ignore[arg-type]
        self.state = SimState(self.config, clock, seed)
        self.access_key = access_key
        self.secret_key = secret_key or secrets.token_urlsafe(24)
        self.keys = {self.access_key: self.secret_key}
        self.port = port
        self._own_dir = media_dir is None
        self.folder = Path(media_dir or tempfile.mkdtemp(prefix="cmforge-kling-sim-"))
        self.clips = ClipMaker(self.folder)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"Simulator({self.base_url!r})"

    # ----- life --------------------------------------------------------------------------

    def start(self) -> Simulator:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.sim = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._own_dir:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- what tests look at ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tasks(self) -> dict[str, SimTask]:
        return self.state.tasks

    @property
    def create_count(self) -> int:
        return self.state.create_count

    @property
    def request_count(self) -> int:
        return self.state.request_count

    def inject(self, kind: str, count: int = 1, route: str | None = None) -> None:
        """Queue faults: rate_limit, concurrency, server_error, unavailable, timeout, balance,
        expired_token, drop, drop_after_create, timeout_after_create, task_fail,
        moderation_fail, slow_queue, expire_url, truncate_result."""
        self.state.inject(kind, count, route)

    def env(self) -> dict[str, str]:
        """The environment that points cmforge at this simulator."""
        return {
            "KLING_ACCESS_KEY": self.access_key,
            "KLING_SECRET_KEY": self.secret_key,
            "KLING_API_BASE": self.base_url,
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kling-simulator"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the library never prints

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    @property
    def sim(self) -> Simulator:
        return self.server.sim  # type: ignore[attr-defined,no-any-return]

    def _handle(self, method: str) -> None:
        state = self.sim.state
        with state.lock:
            state.request_count += 1
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path == "/_sim/tasks" and method == "GET":  # what was paid for: tests count it
            return self._send(200, json.dumps(state.created()).encode(), "application/json")
        result = RESULT_PATH.match(url.path)
        if result:
            return self._result(method, result.group(1), result.group(2))
        task = TASK_PATH.match(url.path)
        if not task and url.path.rstrip("/") != "/account/costs":
            return self._reply(Reply(404, 1203, f"no such resource: {url.path}"))
        family, ident = ((task.group(1) or IMAGES), task.group(2)) if task else ("", None)
        allowed = ("GET",) if (ident or not task) else ("GET", "POST")
        if method not in allowed:
            return self._reply(Reply(404, 1202, f"method {method} not allowed for this path"))
        refusal = check_token(self.headers.get("Authorization"), self.sim.keys, state.clock())
        if refusal:
            return self._reply(Reply(refusal.http, refusal.code, refusal.message))
        base = self.sim.base_url
        if task and method == "POST":
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                return self._reply(Reply(400, 1200, "request body is not valid JSON"))
            return self._reply(state.create(family, body, base))
        route = "costs" if not task else ("query" if ident else "list")
        fault = state.take_fault(route, (*REQUEST_FAULTS, "drop")) or state.random_fault(route)
        if fault:
            return self._reply(fault_reply(fault))
        lookup = self.sim.config.external_lookup
        if not task:
            reply = state.costs(params.get("start_time"), params.get("end_time"))
        elif ident:
            reply = state.query(family, ident, base, external=lookup in ("both", "path"))
        elif "external_task_id" in params and lookup in ("both", "query"):
            reply = state.query(family, params["external_task_id"], base, task_id=False)
        else:
            reply = state.list(family, params.get("pageNum"), params.get("pageSize"), base)
        self._reply(reply)

    def _reply(self, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            return
        with self.sim.state.lock:
            self.sim.state.codes[reply.code] += 1
        envelope: dict = {
            "code": reply.code,
            "message": reply.message,
            "request_id": str(uuid.uuid4()),
        }
        if reply.code == 0:
            envelope["data"] = reply.data
        self._send(reply.http, json.dumps(envelope).encode(), "application/json")

    def _result(self, method: str, video_id: str, index: str | None = None) -> None:
        state = self.sim.state
        if method != "GET":
            return self._send(405, b"method not allowed", "text/plain")
        fault = state.take_fault("download", ("truncate_result", "drop", "server_error"))
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "server_error":
            return self._send(503, b"temporarily unavailable", "text/plain")
        status, task = state.result(video_id)
        if task is None:
            text = b"the link has expired" if status == 410 else b"not found"
            return self._send(status, text, "text/plain")
        if index is not None:
            if task.family != IMAGES or int(index) >= task.facts.n:
                return self._send(404, b"not found", "text/plain")
            f = task.facts
            data, kind = still_png(f.aspect, f.resolution, f"{video_id}-{index}"), "image/png"
        else:
            data, kind = (
                self.sim.clips.clip(task.facts.length, task.facts.aspect).read_bytes(),
                "video/mp4",
            )
        if fault == "truncate_result":
            data = data[: len(data) // 3]
        self._send(200, data, kind)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
