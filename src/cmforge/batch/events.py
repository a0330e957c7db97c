"""The messages of a batch about its variants, each the line a batch prints ("b: rendered in
3.1 s") and, beside it, which variant it is about, what is said and what kind of news it is,
so a caller can show a batch of one as a single render ("rendering b", the render's own
messages as they are)."""

from __future__ import annotations

START = "start"  # the variant's render begins: "rendering" or "rendering (preview)"
RENDER = "render"  # a message of the render itself: a clip generated, a warning
DONE = "done"  # "rendered in N s"
FAILED = "failed"  # "failed: " and the first line of the error
SKIPPED = "skipped"  # up to date (--resume)
AGAIN = "again"  # not up to date: why, and "rendering again" (--resume)


class Event(str):
    """One message about one variant: a str (the batch's line, `VARIANT: TEXT`), with the
    variant, the text without the variant's name, and the kind (START, RENDER, ...)."""

    variant: str
    text: str
    kind: str

    def __new__(cls, variant: str, text: str, kind: str = RENDER) -> Event:
        line = super().__new__(cls, f"{variant}: {text}")
        line.variant, line.text, line.kind = variant, text, kind
        return line

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]
        """What pickle needs to make it again (it travels back from a Dask worker)."""
        return self.variant, self.text, self.kind
