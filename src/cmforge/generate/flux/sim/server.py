"""A local BFL FLUX API on 127.0.0.1 (image-apis.md section 7).

    with Simulator(latency=0.5, seed=1) as sim:
        env = sim.env()                  # BFL_API_KEY, BFL_API_BASE
        sim.inject("lost_500")           # the next create is stored, charged, answered 500

Routes: ``POST /v1/<model>`` (every model of models.py, and ``/v1/flux-kontext``),
``GET /v1/get_result?id=`` (the ``polling_url`` given out, absolute), ``GET /v1/credits``,
``GET /results/<id>.<png|jpg>`` (the sample: a real picture of the asked size, no key needed,
403 after the URL's lifetime), and for tests ``GET /_sim/tasks`` (every task created: id,
kind (the model), created_at, status, cost), ``POST /_sim/inject?kind=K&count=N``.
Every API call needs ``x-key`` (missing or unknown: 401 ``{"detail":"Not authenticated"}``).
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image, ImageDraw, ImageFont

from .state import Reply, SimConfig, SimState, SimTask

MODEL_PATH = re.compile(r"^/v1/([a-z0-9.-]+)$")
SAMPLE_PATH = re.compile(r"^/results/([0-9a-f-]+)\.(png|jpg)$")


class Simulator:
    """The server, its account state and its thread; a context manager."""

    def __init__(
        self,
        port: int = 0,
        latency: float = 5.0,
        fail_rate: float = 0.0,
        seed: int | None = None,
        *,
        api_key: str = "cmforge-flux-simulator",
        clock: Callable[[], float] = time.time,
        **config: object,
    ):
        self.config = SimConfig(latency=latency, fail_rate=fail_rate, **config)  # type: ignore[arg-type]
        self.state = SimState(self.config, clock, seed)
        self.api_key = api_key
        self.keys = {api_key}
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._pictures: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"Simulator({self.base_url!r})"

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

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tasks(self) -> dict[str, SimTask]:
        return self.state.tasks

    def inject(self, kind: str, count: int = 1) -> None:
        """Queue faults (state.FAULTS names them)."""
        self.state.inject(kind, count)

    def credits(self, key: str | None = None) -> float:
        with self.state.lock:
            return self.state.balance(key or self.api_key)

    def env(self) -> dict[str, str]:
        """The environment that points cmforge at this simulator."""
        return {"BFL_API_KEY": self.api_key, "BFL_API_BASE": self.base_url}

    def picture(self, task: SimTask) -> bytes:
        """The task's still: a real picture of its size and format (seed and prompt tint it)."""
        if task.id not in self._pictures:
            self._pictures[task.id] = _draw(task)
        return self._pictures[task.id]


def _draw(task: SimTask) -> bytes:
    w, h = task.size
    seed = zlib.crc32(f"{task.body.get('seed')}/{task.body.get('prompt')}".encode()) & 0xFFFFFF
    tint = ((seed >> 16) & 0x7F, (seed >> 8) & 0x7F, seed & 0x7F)
    ramp = Image.linear_gradient("L").resize((w, h))
    im = Image.merge("RGB", [ramp.point(lambda v, t=t: t + v // 2) for t in tint])
    draw = ImageDraw.Draw(im)
    band = max(12, h // 10)
    draw.rectangle((w // 10, h // 3, w - w // 10, h // 3 + band), fill=(20, 20, 20))
    try:
        font = ImageFont.load_default(size=max(8, band // 3))
    except TypeError:  # a Pillow without FreeType sizes
        font = ImageFont.load_default()
    label = f"FLUX simulator\n{task.model}"
    draw.multiline_text((w // 10 + band // 6, h // 3 + band // 8), label, fill="white", font=font)
    buf = io.BytesIO()
    im.save(buf, format="PNG" if task.fmt == "png" else "JPEG", quality=90)
    return buf.getvalue()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "flux-simulator"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    @property
    def sim(self) -> Simulator:
        return self.server.sim  # type: ignore[attr-defined,no-any-return]

    def _handle(self, method: str) -> None:
        state = self.sim.state
        with state.lock:
            state.requests += 1
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        sample = SAMPLE_PATH.match(url.path)
        if sample and method == "GET":
            return self._sample(sample.group(1))
        if url.path == "/_sim/tasks" and method == "GET":
            return self._json(Reply(200, state.listing()))
        if url.path == "/_sim/inject" and method == "POST":
            try:
                state.inject(params.get("kind", ""), int(params.get("count", "1")))
            except ValueError as exc:
                return self._json(Reply(400, {"detail": str(exc)}))
            return self._json(Reply(200, {"queued": params.get("kind")}))
        key = self.headers.get("x-key") or ""
        with state.lock:
            unauthorized = state.take("unauthorized")
        if key not in self.sim.keys or unauthorized:
            return self._json(Reply(401, {"detail": "Not authenticated"}))
        base = self.sim.base_url
        if url.path == "/v1/get_result" and method == "GET":
            with state.lock:
                state.poll_hosts[(self.headers.get("Host") or "").split(":")[0]] += 1
            return self._json(state.result(params.get("id", ""), base))
        if url.path == "/v1/credits" and method == "GET":
            with state.lock:
                return self._json(Reply(200, {"credits": state.balance(key)}))
        model = MODEL_PATH.match(url.path)
        if model and method == "POST":
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = None
            if body is None:
                detail = [{"loc": ["body"], "msg": "JSON decode error", "type": "json_invalid"}]
                return self._json(Reply(422, {"detail": detail}))
            return self._json(state.create(key, model.group(1), body, base))
        return self._json(Reply(404 if method == "GET" else 405, {"detail": "Not Found"}))

    def _json(self, reply: Reply) -> None:
        if reply.hold:
            time.sleep(reply.hold)
        if reply.drop:
            self.close_connection = True
            return
        with self.sim.state.lock:
            self.sim.state.statuses[reply.status] += 1
        data = json.dumps(reply.body).encode()
        self._send(reply.status, data, "application/json", reply.headers)

    def _sample(self, task_id: str) -> None:
        status, task = self.sim.state.sample(task_id)
        if task is None:
            text = b"Request has expired" if status == 403 else b"Not found"
            return self._send(status, text, "text/plain")
        kind = "image/png" if task.fmt == "png" else "image/jpeg"
        self._send(200, self.sim.picture(task), kind)

    def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
