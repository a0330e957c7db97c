"""The BFL (FLUX) REST client (image-apis.md sections 1-4): one httpx client, `x-key` on every
call to the API, nothing on downloads from the delivery host.

What a create's failure means decides whether a still may be paid twice, so each failure
leaves here as the error that says so (errors.py):

- refused connection or DNS failure: nothing was sent, retried a few times, then FluxNetworkError;
- 400 / 422, 401 / 403, 402: refused, nothing created (FluxRequestError, FluxModerated,
  FluxAuthError, FluxCreditsError);
- 429: over the account's active tasks; `when_busy` waits (for a task of ours to end, or the
  Retry-After) and the create is sent again;
- a timeout after sending, a dropped connection, a 5xx, an unreadable 200: FluxLostAnswer. FLUX
  has no idempotency key and no task list, so the task may exist, charged, unfindable.

Polls (`GET polling_url`, the URL exactly as FLUX gave it) and the credits call create
nothing and are retried on 5xx and network failures.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from .answers import detail, lost, refused, retry_after, what
from .errors import (
    FluxAuthError,
    FluxBusy,
    FluxNetworkError,
    FluxResultExpired,
    FluxServerError,
)

DEFAULT_BASE_URL = "https://api.bfl.ai"
KEY_ENV, BASE_ENV = "BFL_API_KEY", "BFL_API_BASE"
ATTEMPTS = 4  # for requests that create nothing
MAX_BUSY_WAITS = 200  # a create refused with 429 is sent again at most this often
Say = Callable[[str], None]
WhenBusy = Callable[[FluxBusy], None]


def _quiet(_message: str) -> None:
    pass


@dataclass(frozen=True)
class Created:
    """FLUX's answer to a create: the task id, where to poll it, and its cost in credits."""

    id: str
    polling_url: str
    cost: float | None = None


class FluxClient:
    """Talks to the BFL API (or the simulator) at `base_url` with one key."""

    def __init__(
        self,
        key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ):
        self.key = key
        self.base_url = base_url.rstrip("/")
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests = 0  # HTTP requests sent (tests count them)
        timeouts = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._http = httpx.Client(transport=transport, timeout=timeouts)
        # creates go on a fresh connection each: a kept-alive one the server has closed would
        # fail after sending, which must count as a lost answer; a new one fails before
        self._creates = httpx.Client(
            transport=transport, timeout=timeouts, limits=httpx.Limits(max_keepalive_connections=0)
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: object) -> FluxClient:
        """The key from BFL_API_KEY, the base URL from BFL_API_BASE (default api.bfl.ai)."""
        env = os.environ if env is None else env
        key = env.get(KEY_ENV, "")
        if not key:
            raise FluxAuthError(f"{KEY_ENV} is not set")
        return cls(key, env.get(BASE_ENV) or DEFAULT_BASE_URL, **kwargs)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"FluxClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()
        self._creates.close()

    # ----- tasks -------------------------------------------------------------------------

    def create(
        self, model: str, body: dict, say: Say = _quiet, when_busy: WhenBusy | None = None
    ) -> Created:
        """POST /v1/<model>; see the module docstring for what each failure means."""
        url = f"{self.base_url}/v1/{model}"
        unreached = busy = 0
        while True:
            try:
                resp = self._send("POST", url, body, self._creates)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing reached the server
                unreached += 1
                if unreached >= ATTEMPTS:
                    raise FluxNetworkError(
                        f"FLUX could not be reached at {self.base_url} ({exc}); nothing was sent"
                    ) from None
                self._pause(unreached, say, f"FLUX could not be reached ({exc})")
                continue
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                raise lost(
                    f"the connection failed after the request was sent: {what(exc)}"
                ) from None
            if resp.status_code == 429:
                err = FluxBusy(
                    "FLUX refused the task: the account runs as many tasks as it may "
                    f"({detail(resp)})",
                    http_status=429,
                )
                err.retry_after = retry_after(resp, 2.0)
                busy += 1
                if busy > MAX_BUSY_WAITS:
                    raise err
                if when_busy is not None:
                    when_busy(err)
                else:
                    self.sleep(err.retry_after)
                continue
            if resp.status_code >= 500:
                raise lost(f"FLUX answered HTTP {resp.status_code}: {detail(resp)}")
            if resp.status_code >= 400:
                raise refused(resp)
            try:
                data = resp.json()
                return Created(
                    str(data["id"]),
                    str(data["polling_url"]),
                    float(data["cost"]) if data.get("cost") is not None else None,
                )
            except (ValueError, KeyError, TypeError):
                raise lost(
                    f"FLUX answered HTTP 200 without a task id: {resp.text[:120]!r}"
                ) from None

    def result(self, polling_url: str, say: Say = _quiet) -> dict:
        """GET the polling URL as given (x-key too): {id, status, result, progress, details}.
        An unknown task comes back as status "Task not found" (HTTP 200 or 404)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                resp = self._send("GET", polling_url)
            except httpx.TransportError as exc:
                self._last(attempt, say, FluxServerError(f"polling failed ({what(exc)})"))
                continue
            if resp.status_code == 404 and "not found" in resp.text.lower():
                return {"status": "Task not found"}
            if resp.status_code >= 500:
                msg = f"polling answered HTTP {resp.status_code}"
                self._last(attempt, say, FluxServerError(msg, http_status=resp.status_code))
                continue
            if resp.status_code >= 400:
                raise refused(resp)
            try:
                data = resp.json()
            except ValueError:
                self._last(attempt, say, FluxServerError("polling answered something unreadable"))
                continue
            if isinstance(data, dict) and data.get("status"):
                return data
            self._last(attempt, say, FluxServerError(f"polling answered {str(data)[:120]!r}"))
        raise AssertionError("unreachable")

    def credits(self) -> float | None:
        """The organisation's balance in credits (GET /v1/credits), or None when the server
        has no such call."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                resp = self._send("GET", f"{self.base_url}/v1/credits")
            except httpx.TransportError as exc:
                self._last(attempt, _quiet, FluxServerError(f"credits: {what(exc)}"))
                continue
            if resp.status_code in (404, 405):
                return None
            if resp.status_code >= 500:
                self._last(attempt, _quiet, FluxServerError(f"credits: HTTP {resp.status_code}"))
                continue
            if resp.status_code >= 400:
                raise refused(resp)
            try:
                return float(resp.json()["credits"])
            except (ValueError, KeyError, TypeError):
                return None
        raise AssertionError("unreachable")

    def fetch(self, url: str, out: Path, say: Say = _quiet) -> int:
        """Download a sample URL into `out` (no key is sent to the delivery host); its size.
        403, 404 and 410 mean the signed URL has expired (it lives 10 minutes)."""
        for attempt in range(1, ATTEMPTS + 1):
            self.requests += 1
            try:
                with self._http.stream("GET", url, follow_redirects=True) as resp:
                    if resp.status_code in (403, 404, 410):
                        raise FluxResultExpired(
                            f"the still's download link answered HTTP {resp.status_code}",
                            http_status=resp.status_code,
                        )
                    if resp.status_code >= 400:
                        msg = f"the still's download link answered HTTP {resp.status_code}"
                        self._last(attempt, say, FluxServerError(msg))
                        continue
                    size = 0
                    with open(out, "wb") as f:
                        for chunk in resp.iter_bytes(1 << 16):
                            f.write(chunk)
                            size += len(chunk)
                    return size
            except httpx.TransportError as exc:
                self._last(attempt, say, FluxServerError(f"downloading failed ({what(exc)})"))
        raise AssertionError("unreachable")

    # ----- the core ----------------------------------------------------------------------

    def _send(
        self, method: str, url: str, body: dict | None = None, http: httpx.Client | None = None
    ) -> httpx.Response:
        self.requests += 1
        http = http or self._http
        headers = {"x-key": self.key, "accept": "application/json"}
        if body is not None:
            return http.request(method, url, json=body, headers=headers)
        return http.request(method, url, headers=headers)

    def _last(self, attempt: int, say: Say, exc: FluxServerError) -> None:
        if attempt >= ATTEMPTS:
            raise exc
        self._pause(attempt, say, exc.message)

    def _pause(self, attempt: int, say: Say, why: str) -> None:
        wait = min(8.0, 0.5 * 2 ** (attempt - 1)) * (0.75 + self.rng.random() / 2)
        say(f"flux: {why}; trying again in {wait:.1f} s")
        self.sleep(wait)
