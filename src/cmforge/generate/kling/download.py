"""Fetching a finished clip: temp file beside the destination, verified, then os.replace.

A clip is accepted only when it decodes (``probe``), its packets run to the end of the
stated duration (a truncated file with its index at the front still reports the full
length, so the packets are walked), and that duration is close to the length asked for.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...media.probe import MediaInfo, ProbeError, probe
from .errors import KlingDownloadError

if TYPE_CHECKING:
    from .client import KlingClient

Say = Callable[[str], None]

TOLERANCE = 0.75  # seconds; Kling's "5" s clips are reported as e.g. "5.1" [3p]


def download_clip(
    client: KlingClient, url: str, dest: Path, length: float, say: Say | None = None
) -> MediaInfo:
    """Download ``url`` to ``dest`` atomically; raises KlingDownloadError / KlingResultExpired."""
    tmp = dest.with_name(f".{dest.stem}.kling-{os.getpid()}-{threading.get_ident()}.part.mp4")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        size = client.fetch_result(url, tmp, say or (lambda _m: None))
        info = verify_clip(tmp, length)
        if say:
            say(f"kling: downloaded {size / 1e6:.1f} MB, {info.duration:.2f} s")
        os.replace(tmp, dest)
    except OSError as exc:
        raise KlingDownloadError(f"cannot save the clip to {dest}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return info


def remove_partials(dest: Path) -> None:
    """Delete half-downloaded files of ``dest`` left by a killed run (call under its lock)."""
    for stale in dest.parent.glob(f".{dest.stem}.kling-*.part*"):
        stale.unlink(missing_ok=True)


def verify_clip(path: Path, length: float, tolerance: float = TOLERANCE) -> MediaInfo:
    """The clip decodes, is complete, and lasts ``length`` seconds (within ``tolerance``)."""
    try:
        info = probe(path)
    except ProbeError as exc:
        raise KlingDownloadError(f"the downloaded clip is unreadable: {exc}") from None
    if info.kind != "video":
        raise KlingDownloadError("the downloaded file has no video stream")
    end = packets_end(path)
    if end - info.start < info.duration - 0.25:
        raise KlingDownloadError(
            f"the downloaded clip is truncated: its video stops at {end:.2f} s "
            f"of {info.duration:.2f} s"
        )
    if abs(info.duration - length) > tolerance:
        raise KlingDownloadError(
            f"the downloaded clip lasts {info.duration:.2f} s, but {length:g} s were asked for"
        )
    return info


def packets_end(path: Path) -> float:
    """Where the last video packet ends, in seconds (demuxed only, not decoded: fast)."""
    import av

    end = 0.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            tb = stream.time_base
            for packet in container.demux(stream):
                if packet.pts is not None and tb is not None:
                    end = max(end, float((packet.pts + (packet.duration or 0)) * tb))
    except (av.error.FFmpegError, IndexError):
        pass  # what was read before the damage counts
    return end
