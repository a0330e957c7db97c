"""Kling failures as exceptions an ad editor can act on (section 6 of kling-api.md).

Decisions are made on the business ``code``, never on the HTTP status alone: HTTP 429
covers both retryable rate limits (1302, 1303) and permanent account states (1100-1102,
1304). Messages never contain the access key, the secret key or a token.
"""

from __future__ import annotations

from ...errors import GenerationError


class KlingError(GenerationError):
    """Anything the Kling API (or the way to it) refused or broke."""

    retryable = False
    hint = ""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        request_id: str = "",
        scene: str = "",
    ):
        self.message = message
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.scene = scene
        super().__init__(self._text())

    def _text(self) -> str:
        text = f"{self.scene}: " if self.scene else ""
        text += self.message
        if self.code is not None:
            text += f" (Kling code {self.code}"
            text += f", request {self.request_id})" if self.request_id else ")"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def amend(self, text: str) -> KlingError:
        """The same error with ``text`` added to its message."""
        self.message = f"{self.message} {text}"
        self.args = (self._text(),)
        return self

    def with_hint(self, hint: str) -> KlingError:
        """The same error with a hint on what to do."""
        self.hint = hint
        self.args = (self._text(),)
        return self

    def for_scene(self, scene: str) -> KlingError:
        """The same error, its message prefixed with the scene it happened in."""
        if not self.scene:
            self.scene = scene
            self.args = (self._text(),)
        return self


class KlingAuthError(KlingError):
    """1000-1004: the keys or the token were refused."""

    hint = "check KLING_ACCESS_KEY / KLING_SECRET_KEY and this computer's clock"


class KlingAccountError(KlingError):
    """1100, 1103, 1304: the account may not do this (settings, entitlement, IP allow-list)."""

    hint = "check the account in the Kling developer console"


class KlingBalanceError(KlingAccountError):
    """1101, 1102: arrears or no resource pack units left."""

    hint = "top up or buy a video resource pack; nothing was charged for this request"


class KlingRequestError(KlingError):
    """1200-1203: the request itself is wrong (a parameter, the model, the path)."""


class KlingNotFound(KlingRequestError):
    """1203: the server has no such task (or model)."""


class KlingContentRejected(KlingError):
    """1300, 1301: the prompt or image was refused by the platform's content policy."""

    hint = "change the prompt or the image; a rejected request is not charged"


class KlingRetryableError(KlingError):
    """A failure worth retrying later: the request may simply be repeated."""

    retryable = True


class KlingRateLimited(KlingRetryableError):
    """1302 (rate) and 1303 (too many parallel tasks for the resource pack)."""


class KlingServerError(KlingRetryableError):
    """5000-5002 and unknown 5xx answers."""


class KlingNetworkError(KlingRetryableError):
    """Timeouts, refused or dropped connections: no answer from the server at all."""


class KlingTaskFailed(KlingError):
    """The task ended ``failed``; Kling does not charge for failed tasks."""


class KlingStillRunning(KlingError):
    """Polling gave up while the task still runs at Kling; a rerun resumes it."""


class KlingResultExpired(KlingError):
    """The finished clip's URL no longer serves the file (section 8)."""


class KlingDownloadError(KlingError):
    """The downloaded file is not the clip asked for (unreadable, truncated, wrong length)."""


class KlingImageError(KlingError):
    """An input image Kling cannot take; found before anything was sent or spent."""


AUTH_CODES = {1000, 1001, 1002, 1003, 1004}
BALANCE_CODES = {1101, 1102}
ACCOUNT_CODES = {1100, 1103, 1304}
REQUEST_CODES = {1200, 1201, 1202}
CONTENT_CODES = {1300, 1301}
RATE_CODES = {1302, 1303}
SERVER_CODES = {5000, 5001, 5002}

EXPLAIN = {
    1000: "authentication failed",
    1001: "the Authorization header is missing",
    1002: "the token is malformed or signed with the wrong key",
    1003: "the token is not valid yet (is this computer's clock right?)",
    1004: "the token has expired",
    1100: "the Kling account has a problem",
    1101: "the Kling account is in arrears",
    1102: "the Kling resource pack is used up or expired",
    1103: "this account has no permission for this API or model",
    1200: "Kling says the request is invalid",
    1201: "Kling says a parameter is invalid",
    1202: "wrong HTTP method for this path",
    1203: "Kling has no such resource (model or task)",
    1300: "the platform policy refused the request",
    1301: "the content-safety check refused the prompt or image",
    1302: "too many requests per second",
    1303: "too many clips generating at once for the resource pack",
    1304: "this IP address is not on the account's allow-list",
    5000: "Kling had an internal error",
    5001: "Kling is temporarily unavailable (maintenance)",
    5002: "Kling timed out internally (backlog)",
}


def error_for(
    code: int, message: str, *, http_status: int | None = None, request_id: str = ""
) -> KlingError:
    """The exception for a non-zero business code, with Kling's own message kept."""
    what = EXPLAIN.get(code, "Kling refused the request")
    text = what if not message or message == what else f"{what}: {message}"
    kind: type[KlingError]
    if code in AUTH_CODES:
        kind = KlingAuthError
    elif code in BALANCE_CODES:
        kind = KlingBalanceError
    elif code in ACCOUNT_CODES:
        kind = KlingAccountError
    elif code == 1203:
        kind = KlingNotFound
    elif code in REQUEST_CODES:
        kind = KlingRequestError
    elif code in CONTENT_CODES:
        kind = KlingContentRejected
    elif code in RATE_CODES:
        kind = KlingRateLimited
    elif code in SERVER_CODES or (http_status or 0) >= 500:
        kind = KlingServerError
    else:
        kind = KlingRequestError
    return kind(text, code=code, http_status=http_status, request_id=request_id)
