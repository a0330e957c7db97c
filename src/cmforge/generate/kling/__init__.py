"""The Kling AI provider: client, task journal, provider, and a local simulator (sim/).

Importing this package is light: `Kling` (plugin.py) is what the registry holds; every other
name below loads its module (the HTTP client, the simulator) when first used.

Wiring (what the pipeline and CLI use)::

    provider = Kling.open(recipe.folder, os.environ)   # = provider_from_env(...)
    provider.estimate(job, takes=1)                    # no network
    provider.generate(job, on_status, take=1)          # -> GenerationResult
    Simulator(port, latency, ...)                      # cmforge kling simulate ...

Choices where kling-api.md is silent or where this code departs from it:

- Query by external_task_id: section 4.5 gives two forms [?]. The client asks the path
  form ``/v1/videos/{family}/{external_id}`` first and the ``?external_task_id=`` form on the
  collection path next; a "no such task" is believed only when both forms say so AND the
  task list (section 4.6), scanned back to 15 minutes before the journalled intent, has no
  task with that id: a real server may ignore either form. A create that timed out, dropped
  or got 5xx is looked up that way before any re-send; a 1201 naming external_task_id
  (duplicate [?]) adopts the existing task. The simulator answers both forms, one or none
  (``external_lookup``) and refuses or accepts a duplicate id (``duplicate_external``).
- Concurrency (section 6): the tasks of one account in one process share a gate (gate.py)
  that starts at ``CMFORGE_KLING_AT_ONCE`` (default 4) tasks at once, drops to the tasks
  running on a 1303 and waits for a slot instead of re-sending, and grows back by one after
  8 clean completions. 1302 keeps the jittered backoff.
- external_task_id = ``cmf-<32 hex of the job fingerprint>-t<take>[-a<attempt>]`` (no limits
  are documented); ``attempt`` grows only after a failed (free) task or an explicitly allowed
  regeneration of an expired clip.
- cfg_scale is not sent to kling-v2.x models (documented as unsupported there).
- Images: the 10 MB limit is applied to the file's bytes (before base64); EXIF-rotated
  images are sent upright; formats other than JPEG/PNG are sent as JPEG; the 1:2.5-2.5:1
  ratio is checked for ``image`` only, as documented.
- A downloaded clip is accepted within 0.75 s of the requested length; 403/404/410 from a
  result URL all mean "expired".
- Prices: a table in prices.py (overridable from TOML), since package data outside
  ``cmforge/data`` would need a pyproject change; unknown models are priced at the dearest
  entry so budget checks err on the safe side.
- The simulator does not send callbacks (cmforge polls; ``callback_url`` is accepted and
  ignored) and does not check mask geometry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .plugin import Kling, KlingSettings, has_credentials

if TYPE_CHECKING:
    from .auth import TokenMinter, mint_token
    from .client import DEFAULT_BASE_URL, KlingClient, ResourcePack
    from .errors import (
        KlingAccountError,
        KlingAuthError,
        KlingBalanceError,
        KlingContentRejected,
        KlingDownloadError,
        KlingError,
        KlingImageError,
        KlingNetworkError,
        KlingNotFound,
        KlingRateLimited,
        KlingRequestError,
        KlingResultExpired,
        KlingRetryableError,
        KlingServerError,
        KlingStillRunning,
        KlingTaskFailed,
    )
    from .journal import Journal, TaskRecord, journal_path
    from .prices import Price, PriceTable
    from .provider import KlingProvider, provider_from_env
    from .retry import PollPolicy, RetryPolicy
    from .sim import Simulator

_ERRORS = (
    "KlingAccountError KlingAuthError KlingBalanceError KlingContentRejected KlingDownloadError "
    "KlingError KlingImageError KlingNetworkError KlingNotFound KlingRateLimited "
    "KlingRequestError KlingResultExpired KlingRetryableError KlingServerError "
    "KlingStillRunning KlingTaskFailed"
)
_LAZY = {
    **dict.fromkeys(("TokenMinter", "mint_token"), ".auth"),
    **dict.fromkeys(("DEFAULT_BASE_URL", "KlingClient", "ResourcePack"), ".client"),
    **dict.fromkeys(_ERRORS.split(), ".errors"),
    **dict.fromkeys(("Journal", "TaskRecord", "journal_path"), ".journal"),
    **dict.fromkeys(("Price", "PriceTable"), ".prices"),
    **dict.fromkeys(("KlingProvider", "provider_from_env"), ".provider"),
    **dict.fromkeys(("PollPolicy", "RetryPolicy"), ".retry"),
    "Simulator": ".sim",
}

__all__ = [
    "DEFAULT_BASE_URL",
    "Journal",
    "Kling",
    "KlingAccountError",
    "KlingAuthError",
    "KlingBalanceError",
    "KlingClient",
    "KlingContentRejected",
    "KlingDownloadError",
    "KlingError",
    "KlingImageError",
    "KlingNetworkError",
    "KlingNotFound",
    "KlingProvider",
    "KlingRateLimited",
    "KlingRequestError",
    "KlingResultExpired",
    "KlingRetryableError",
    "KlingServerError",
    "KlingSettings",
    "KlingStillRunning",
    "KlingTaskFailed",
    "PollPolicy",
    "Price",
    "PriceTable",
    "ResourcePack",
    "RetryPolicy",
    "Simulator",
    "TaskRecord",
    "TokenMinter",
    "has_credentials",
    "journal_path",
    "mint_token",
    "provider_from_env",
]


def __getattr__(name: str) -> Any:
    """The public names that need a heavier module, loaded on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
