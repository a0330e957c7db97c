"""The rendered file checked against its timeline before it replaces anything."""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..timeline import Timeline


def verify_output(path: Path, tl: Timeline) -> None:
    """The file must have the frames and streams the timeline says, before it replaces anything."""
    import av

    try:
        with av.open(str(path)) as c:
            v = next(s for s in c.streams if s.type == "video")
            a = next((s for s in c.streams if s.type == "audio"), None)
            frames = v.frames
            size = (v.codec_context.width, v.codec_context.height)
    except Exception as exc:
        raise RenderError(f"the rendered file does not open: {exc}") from None
    problems = []
    if frames != tl.frames:
        problems.append(f"{frames} frames instead of {tl.frames}")
    if size != (tl.width, tl.height):
        problems.append(f"size {size} instead of {(tl.width, tl.height)}")
    if a is None:
        problems.append("no audio stream")
    if problems:
        raise RenderError("the rendered file does not check out: " + "; ".join(problems))
