"""The FLUX (Black Forest Labs) still maker: models and sizes, client, journal, gate, provider,
and a local simulator (sim/). `BFL_API_KEY` turns it on; `BFL_API_BASE` points it elsewhere
(a regional host, or the simulator).

    FluxProvider.open(recipe.folder, os.environ).generate(job, on_status)
    Simulator(port, latency, ...)                     # cmforge flux simulate ...

Importing this package is light: the HTTP client loads when a provider is opened.

Choices where image-apis.md is silent: a lost create answer is never repeated on its own
(there is no idempotency key and no task list); the balance just before each create is
journalled, so the error can say whether it dropped. A moderated still is not asked for again
with the same request; an expired sample URL is polled once more (a server may sign a new one)
before the still counts as lost. Polls: every 0.5 s, then a tenth of the time the task has
run, at most every 3 s, sooner when `progress` says it is nearly done; 5 min deadline.
"""

from __future__ import annotations

from .plugin import Flux, has_key

__all__ = ["Flux", "has_key"]
