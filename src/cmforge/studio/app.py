"""The studio's web app (Starlette): the page, its event stream, the files it may serve and the
buttons' requests.

Safe by default: only the recipe's folder, its output folders and the studio's own assets are
served (a path with `..`, an absolute path, or a symlink leading out answers 404); a request
whose Host or Origin is not the studio's own answers 403 (DNS rebinding); a request that
changes anything (POST) needs the session's token, which only the page carries."""

from __future__ import annotations

import asyncio
import json
import socket
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..text.fonts import cjk_face
from .page import page_html
from .session import Studio

TOKEN_HEADER = "x-cmforge-token"
STATIC = {"studio.css": "text/css", "studio.js": "text/javascript"}


class SameOrigin:
    """Refuse (403) a request whose Host is not one of the studio's names, or whose Origin,
    when sent, is not the studio's own http://HOST."""

    def __init__(self, app: ASGIApp, hosts: set[str]):
        self.app, self.hosts = app, {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").lower()
        origin = headers.get("origin")
        if host not in self.hosts or (
            origin is not None and origin.lower() not in {f"http://{h}" for h in self.hosts}
        ):
            await PlainTextResponse("refused: not this studio's address", 403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def safe_file(root: Path, rel: str) -> Path | None:
    """The file `rel` names inside `root`, or None when it is not a file there: `..` parts,
    absolute paths, backslashes and symlinks resolving outside are all None."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        return None
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts) or ":" in parts[0]:
        return None
    base = root.resolve()
    try:
        full = (base / Path(*parts)).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not full.is_relative_to(base) or not full.is_file():
        return None
    return full


def create_app(studio: Studio, hosts: set[str]) -> ASGIApp:
    """The app for one studio session; `hosts`: the Host values it answers to."""

    async def index(request: Request) -> Response:
        return HTMLResponse(page_html(studio.snapshot(), studio.token))

    async def state(request: Request) -> Response:
        return JSONResponse(studio.snapshot())

    async def events(request: Request) -> Response:
        async def stream():
            seen = -1
            loop = asyncio.get_running_loop()
            while True:
                if await request.is_disconnected():
                    return
                version = await loop.run_in_executor(None, studio.wait_version, seen, 1.0)
                if version != seen:
                    seen = version
                    data = json.dumps(studio.snapshot(), ensure_ascii=False)
                    yield f"event: state\ndata: {data}\n\n"
                else:
                    yield ": still here\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", 404)
        text = resources.files(__package__).joinpath("static", name).read_text("utf-8")
        return Response(text, media_type=STATIC[name])

    async def font(request: Request) -> Response:
        # the Japanese font cmforge draws with, so the plan table and problems show Japanese on
        # a machine whose browser has no CJK font (the CSS lists it last: system fonts first)
        return FileResponse(
            cjk_face("regular").path,
            media_type="font/otf",
            headers={"Cache-Control": "max-age=86400"},
        )

    async def served(request: Request) -> Response:
        root = studio.roots().get(request.path_params["root"])
        # the path as sent, percent-decoded once by the server: `..` stays visible here
        rel = request.scope["path"].split("/", 2)[2] if request.scope["path"].count("/") > 1 else ""
        full = safe_file(root, rel) if root is not None else None
        if full is None:
            return PlainTextResponse("not found", 404)
        return FileResponse(full, headers={"Cache-Control": "no-cache"})

    def _allowed(request: Request) -> bool:
        return request.headers.get(TOKEN_HEADER, "") == studio.token and bool(studio.token)

    async def _body(request: Request) -> dict:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return {}
        return body if isinstance(body, dict) else {}

    def _answer(why: str | None) -> Response:
        if why is None:
            return JSONResponse({"started": True}, 202)
        return JSONResponse({"started": False, "why": why}, 409)

    async def final(request: Request) -> Response:
        if not _allowed(request):
            return PlainTextResponse("refused: this request needs the studio page's token", 403)
        variant = (await _body(request)).get("variant")
        return _answer(studio.render_final(variant if isinstance(variant, str) else None))

    async def generate(request: Request) -> Response:
        if not _allowed(request):
            return PlainTextResponse("refused: this request needs the studio page's token", 403)
        usd = (await _body(request)).get("usd")
        if not isinstance(usd, int | float) or isinstance(usd, bool):
            return _answer("say the cost you were shown (usd), so nothing is paid unseen")
        return _answer(studio.generate(float(usd)))

    async def guides(request: Request) -> Response:
        if not _allowed(request):
            return PlainTextResponse("refused: this request needs the studio page's token", 403)
        studio.set_guides(bool((await _body(request)).get("on")))
        return JSONResponse({"guides": studio.guides})

    routes = [
        Route("/", index),
        Route("/state", state),
        Route("/events", events),
        Route("/static/{name}", static),
        Route("/font/jp.otf", font),
        Route("/api/final", final, methods=["POST"]),
        Route("/api/generate", generate, methods=["POST"]),
        Route("/api/guides", guides, methods=["POST"]),
        Route("/{root}/{rest:path}", served),
    ]
    return SameOrigin(Starlette(routes=routes), hosts)


def host_names(host: str, port: int) -> set[str]:
    """The Host values the studio answers to: its address, and localhost for loopback; for
    every address (0.0.0.0, ::) this machine's names and addresses too."""
    hosts = {host}
    if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        hosts |= {"127.0.0.1", "localhost", "::1"}
    if host in ("0.0.0.0", "::"):
        name = socket.gethostname()
        hosts |= {name, socket.getfqdn()}
        try:
            hosts |= set(socket.gethostbyname_ex(name)[2])
        except OSError:
            pass
    return {f"[{h}]:{port}" if ":" in h else f"{h}:{port}" for h in hosts}
