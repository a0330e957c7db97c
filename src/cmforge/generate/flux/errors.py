"""What can go wrong with FLUX, as errors a user can act on (image-apis.md section 4).

Every failure leaves the client as a FluxError (a GenerationError, so a run stops with its
message and no traceback). Whether the request may have created a paid task is part of each:
only FluxLostAnswer leaves that open.
"""

from __future__ import annotations

from ...errors import GenerationError


class FluxError(GenerationError):
    """A FLUX request or task that did not give a still."""

    hint = ""

    def __init__(self, message: str, *, http_status: int | None = None, hint: str = ""):
        self.message = message
        self.http_status = http_status
        self.still = ""
        if hint:
            self.hint = hint
        super().__init__(self._text())

    def _text(self) -> str:
        text = f"{self.still}: " if self.still else ""
        text += self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def for_still(self, still: str) -> FluxError:
        """The same error, naming the still it happened to."""
        if not self.still:
            self.still = still
            self.args = (self._text(),)
        return self


class FluxAuthError(FluxError):
    """401 / 403: the key was refused, or it may not use this model."""

    hint = "check BFL_API_KEY (and that the key may use this model); nothing was charged"


class FluxCreditsError(FluxError):
    """402: the organisation's credits do not cover the still."""

    hint = "buy FLUX credits for the account (or make fewer takes); nothing was charged"


class FluxRequestError(FluxError):
    """400 / 422: FLUX refused the request as it is (a field, a size); nothing was created."""


class FluxModerated(FluxError):
    """The prompt (Request Moderated) or the image made (Content Moderated) was refused."""

    hint = "change the prompt (or lower the strictness with safety_tolerance)"


class FluxTaskFailed(FluxError):
    """The task ended with Error (or Failed)."""


class FluxBusy(FluxError):
    """429: the account already runs as many tasks as it may (24 by default)."""

    retry_after: float = 2.0


class FluxNetworkError(FluxError):
    """No answer at all before the request was sent (refused connection, DNS)."""


class FluxServerError(FluxError):
    """A 5xx (or an unreadable answer) to a request that creates nothing (a poll, a download)."""


class FluxStillRunning(FluxError):
    """Polling gave up while the task still runs; a rerun resumes it from the journal."""


class FluxResultExpired(FluxError):
    """The finished still's sample URL no longer serves it (it lives 10 minutes), or FLUX no
    longer knows the task: paid for, and not made again without the user's word."""

    hint = "run again with --retry-lost to pay for the still once more"


class FluxLostAnswer(FluxError):
    """A create was sent and its answer lost (a timeout, a dropped connection, a 5xx or an
    unreadable 200): FLUX may have created and charged the task, and has no way to find it
    (no idempotency key, no task list). Never repeated without the user's word."""

    why = ""  # what happened to the answer, in a few words

    hint = (
        "if the still should be made anyway, run again with --retry-lost "
        "(it may then be paid twice)"
    )
