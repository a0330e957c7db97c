"""What a FLUX answer means: the errors a refused or lost create becomes, FastAPI's validation
details in a user's words, Retry-After."""

from __future__ import annotations

import httpx

from .errors import (
    FluxAuthError,
    FluxCreditsError,
    FluxLostAnswer,
    FluxModerated,
    FluxRequestError,
)


def lost(why: str) -> FluxLostAnswer:
    err = FluxLostAnswer(
        f"the answer to the create request was lost: {why}. FLUX may have made the still and "
        "charged for it, and it has no way to look the task up"
    )
    err.why = why
    return err


def what(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def detail(resp: httpx.Response) -> str:
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:200] or f"HTTP {resp.status_code}"
    if isinstance(data, dict):
        detail = data.get("detail", data)
        if isinstance(detail, list):  # FastAPI's validation errors: [{loc, msg, type}]
            return "; ".join(_field_error(d) for d in detail)
        return str(detail)
    return str(data)[:200]


def _field_error(d: object) -> str:
    if not isinstance(d, dict):
        return str(d)
    loc = ".".join(str(p) for p in (d.get("loc") or []) if p != "body")
    return f"{loc}: {d.get('msg')}" if loc else str(d.get("msg"))


def retry_after(resp: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(resp.headers.get("Retry-After", default)))
    except ValueError:
        return default


def refused(resp: httpx.Response) -> Exception:
    code = resp.status_code
    text = detail(resp)
    if code in (401, 403):
        return FluxAuthError(f"FLUX refused the key (HTTP {code}: {text})", http_status=code)
    if code == 402:
        return FluxCreditsError(
            f"the FLUX account is out of credits (HTTP 402: {text})", http_status=code
        )
    if "moderation" in resp.text.lower():
        return FluxModerated(
            f"FLUX's moderation refused the prompt (HTTP {code}: {text})", http_status=code
        )
    return FluxRequestError(f"FLUX refused the request (HTTP {code}: {text})", http_status=code)
