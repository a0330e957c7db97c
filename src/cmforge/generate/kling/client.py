"""The Kling REST client (kling-api.md sections 2-6, 8): one httpx client, one transport.

Every failure leaves this module as a KlingError (errors.py): httpx exceptions are
translated here, at the boundary. Retryable codes are retried with jittered backoff;
a create is only repeated after the server confirmed, by the request's external_task_id,
that the earlier attempt left no task behind. A create refused with 1303 (too many tasks at
once) can instead wait for a slot of the caller's gate (gate.py) and then be sent again.

Lookup by external_task_id (section 4.5): copies of the docs give two forms [?], the id as
the path segment (``/v1/videos/{family}/{id}``, tried first) and ``?external_task_id=`` on the
collection path. When the form in use answers that it does not know the request (a 404 or
405 without Kling's envelope, code 1200-1202, or a list of tasks instead of one), the other
form is asked. `find_task`, which decides whether a clip is paid for again, believes "no
such task" only when both forms and the task list (scanned back to 15 minutes before the
create was journalled) agree: a real server may ignore one form, or both.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from .auth import TokenMinter
from .errors import (
    KlingAuthError,
    KlingError,
    KlingNetworkError,
    KlingRateLimited,
    KlingRequestError,
    KlingResultExpired,
    KlingRetryableError,
    KlingServerError,
    error_for,
)
from .lookup import EXTERNAL_FORMS, Lookups
from .retry import RetryPolicy
from .task import FAMILIES, IMAGE2VIDEO, PATHS, TEXT2VIDEO, ResourcePack, Task, parse_task

DEFAULT_BASE_URL = "https://api-singapore.klingai.com"
COSTS_SPACING = 1.05  # /account/costs allows about one request per second [doc]
MAX_SLOT_WAITS = 100  # a create waits for a freed slot at most this often (then backs off)
Say = Callable[[str], None]
WhenFull = Callable[[KlingError], bool]


def _quiet(_message: str) -> None:
    pass


class KlingClient(Lookups):
    """Talks to the Kling API (or the simulator) at ``base_url``."""

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        external_lookup: str = "path",
    ):
        if external_lookup not in EXTERNAL_FORMS:
            raise ValueError(f"external_lookup must be one of {EXTERNAL_FORMS}")
        self.base_url = base_url.rstrip("/")
        self.external_lookup = external_lookup  # the form of section 4.5 asked first
        self._lookup_proven = False  # the form above has found a task: its 1203 is trusted
        self.minter = TokenMinter(access_key, secret_key, clock=clock)
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests = 0  # HTTP requests sent (tests count them)
        self._last_costs = -COSTS_SPACING
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: object) -> KlingClient:
        """Keys from KLING_ACCESS_KEY / KLING_SECRET_KEY, base URL from KLING_API_BASE."""
        env = os.environ if env is None else env
        ak, sk = env.get("KLING_ACCESS_KEY", ""), env.get("KLING_SECRET_KEY", "")
        if not ak or not sk:
            raise KlingAuthError("KLING_ACCESS_KEY and KLING_SECRET_KEY must both be set")
        base = env.get("KLING_API_BASE") or DEFAULT_BASE_URL
        return cls(ak, sk, base, **kwargs)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"KlingClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KlingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- tasks -------------------------------------------------------------------------

    def create_text2video(self, body: dict, say: Say = _quiet) -> Task:
        return self.create(TEXT2VIDEO, body, say)

    def create_image2video(self, body: dict, say: Say = _quiet) -> Task:
        return self.create(IMAGE2VIDEO, body, say)

    def create(
        self, family: str, body: dict, say: Say = _quiet, when_full: WhenFull | None = None
    ) -> Task:
        """POST a new task; never creates a second one for the same external_task_id.

        Rate-limited creates (1302/1303) are retried: the server refused them. With
        ``when_full``, a 1303 calls it instead (it waits for a slot of the caller's gate);
        when it returns True a task of ours ended meanwhile and the create is sent again at
        once, without counting as a failed attempt; otherwise the usual backoff follows.
        After a timeout, a dropped connection or a 5xx the task may exist anyway, so it is
        looked up by external_task_id first and only re-submitted when the server says it
        has none. Without an external_task_id such a failure is raised rather than risk
        paying twice. A 1201 naming external_task_id (a duplicate, section 6 [?]) adopts the
        existing task.
        """
        _family(family)
        ext = str(body.get("external_task_id") or "")
        since_ms = int(self.clock() * 1000)
        attempt = waits = 0
        while True:
            attempt += 1
            try:
                data, rid = self._once("POST", PATHS[family], body)
                return parse_task(data, family, rid)
            except KlingRateLimited as exc:
                if exc.code == 1303 and when_full is not None:
                    if when_full(exc) and waits < MAX_SLOT_WAITS:
                        waits += 1
                        attempt -= 1  # waited for a task of ours to end: not a failed try
                        continue
                self._backoff(exc, attempt, say)
            except KlingRetryableError as exc:
                if not ext:
                    raise exc.amend("(the task may exist; not re-sent without an id)") from None
                existing = self.find_task(family, ext, say, since_ms)
                if existing is not None:
                    say(f"kling: the create was stored before the failure; task {existing.task_id}")
                    return existing
                self._backoff(exc, attempt, say)
            except KlingRequestError as exc:
                if not (ext and exc.code == 1201 and "external_task_id" in exc.message):
                    raise
                existing = self.find_task(family, ext, say, since_ms)
                if existing is None:
                    raise
                return existing

    def get_task(self, family: str, task_id: str, say: Say = _quiet) -> Task:
        _family(family)
        data, rid = self._call("GET", f"{PATHS[family]}/{task_id}", say=say)
        return parse_task(data, family, rid)

    def list_tasks(self, family: str, page: int = 1, page_size: int = 30) -> list[Task]:
        _family(family)
        params = {"pageNum": page, "pageSize": page_size}
        data, rid = self._call("GET", PATHS[family], params=params)
        return [parse_task(d, family, rid) for d in (data or [])]

    # ----- account -----------------------------------------------------------------------

    def account_costs(
        self, start_ms: int | None = None, end_ms: int | None = None, pack_name: str = ""
    ) -> list[ResourcePack]:
        """Resource packs and remaining units (section 4.7); spaced >= 1 s apart."""
        now_ms = int(self.clock() * 1000)
        params: dict = {
            "start_time": start_ms if start_ms is not None else now_ms - 365 * 86_400_000,
            "end_time": end_ms if end_ms is not None else now_ms,
        }
        if pack_name:
            params["resource_pack_name"] = pack_name
        wait = self._last_costs + COSTS_SPACING - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last_costs = self.clock()
        data, _ = self._call("GET", "/account/costs", params=params)
        infos = (data or {}).get("resource_pack_subscribe_infos") or []
        return [ResourcePack.parse(d) for d in infos if isinstance(d, dict)]

    # ----- result files ------------------------------------------------------------------

    def fetch_result(self, url: str, out: Path, say: Say = _quiet) -> int:
        """Stream a result URL into ``out`` (no token is sent to the CDN); returns its size.

        404, 410 and 403 mean the link no longer serves the file (section 8).
        """
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._fetch_once(url, out)
            except KlingRetryableError as exc:
                self._backoff(exc, attempt, say)
        raise AssertionError("unreachable")

    def _fetch_once(self, url: str, out: Path) -> int:
        self.requests += 1
        try:
            with self._http.stream("GET", url, follow_redirects=True) as resp:
                if resp.status_code in (403, 404, 410):
                    raise KlingResultExpired(
                        f"the result URL answered HTTP {resp.status_code}", http_status=410
                    )
                if resp.status_code >= 400:
                    kind = KlingServerError if resp.status_code >= 500 else KlingRequestError
                    raise kind(f"the result URL answered HTTP {resp.status_code}")
                size = 0
                with open(out, "wb") as f:
                    for chunk in resp.iter_bytes(1 << 16):
                        f.write(chunk)
                        size += len(chunk)
                return size
        except httpx.HTTPError as exc:
            raise _network(exc, "downloading the clip") from None

    # ----- the request core --------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        params: dict | None = None,
        say: Say = _quiet,
    ) -> tuple[object, str]:
        """An idempotent request: retryable failures are retried with backoff."""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._once(method, path, body, params)
            except KlingRetryableError as exc:
                self._backoff(exc, attempt, say)
        raise AssertionError("unreachable")

    def _backoff(self, exc: KlingError, attempt: int, say: Say) -> None:
        if attempt >= self.retry.attempts:
            raise exc.amend(f"(gave up after {attempt} attempts)") from None
        wait = self.retry.delay(attempt, exc, self.rng)
        say(f"kling: {exc.message}; retrying in {wait:.1f} s ({attempt}/{self.retry.attempts})")
        self.sleep(wait)

    def _once(
        self, method: str, path: str, body: dict | None = None, params: dict | None = None
    ) -> tuple[object, str]:
        """One request (two when the token was refused as expired): (data, request_id)."""
        token = self.minter.token()
        for renewed in (False, True):
            resp = self._send(method, path, body, params, token)
            env = _envelope(resp)
            code, rid = env.get("code"), str(env.get("request_id") or "")
            if code == 0 and resp.status_code < 400:
                return env.get("data"), rid
            if not isinstance(code, int):
                raise _unexpected(resp)
            if code in (1003, 1004) and not renewed:
                token = self.minter.renew(stale=token)
                continue
            raise error_for(
                code, str(env.get("message") or ""), http_status=resp.status_code, request_id=rid
            )
        raise AssertionError("unreachable")

    def _send(
        self, method: str, path: str, body: dict | None, params: dict | None, token: str
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        content = json.dumps(body).encode() if body is not None else None
        self.requests += 1
        try:
            return self._http.request(method, path, headers=headers, content=content, params=params)
        except httpx.HTTPError as exc:
            raise _network(exc, f"{method} {path}") from None


def _family(family: str) -> None:
    if family not in FAMILIES:
        raise ValueError(f"unknown task family {family!r}")


def _envelope(resp: httpx.Response) -> dict:
    try:
        env = resp.json()
    except ValueError:
        raise _unexpected(resp) from None
    if not isinstance(env, dict):
        raise _unexpected(resp)
    return env


def _unexpected(resp: httpx.Response) -> KlingError:
    text = f"Kling answered HTTP {resp.status_code} without the usual JSON envelope"
    if resp.status_code >= 500 or resp.status_code == 429:
        return KlingServerError(text, http_status=resp.status_code)
    return KlingRequestError(text, http_status=resp.status_code)


def _network(exc: httpx.HTTPError, doing: str) -> KlingError:
    """httpx failures in words; no URL query, header or token is repeated."""
    if isinstance(exc, httpx.TimeoutException):
        return KlingNetworkError(f"no answer from Kling in time while {doing}")
    if isinstance(exc, httpx.TransportError):
        return KlingNetworkError(
            f"the connection to Kling failed while {doing} ({type(exc).__name__})"
        )
    return KlingNetworkError(f"HTTP failure while {doing} ({type(exc).__name__})")
