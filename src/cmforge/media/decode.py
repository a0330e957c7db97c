"""Does a file really hold the part of it a recipe uses? A truncated download or copy keeps
its header (which promises the whole length) and loses its end: the first frame decodes, the
render fails half-way. This module checks the end of the used range, cheaply, before anything
renders.

The check: seek to the keyframe before the end of the used range, decode one frame there, then
read packets (without decoding them) until the end of the range. A whole file costs one seek,
one decoded frame and at most a keyframe interval of packets. Only when that fails is the file
read from its start (packets, no decoding): to be sure (a file without an index, such as
MPEG-TS, seeks by guess) and to measure how much of it is there (for the message). A file is
whole when any of its streams reaches the end of the range (a cut loses the end of all of
them; a Matroska file gives its video the length its sound sets).
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

# formats whose seeking is by estimate (no index): their duration is a guess from the bitrate,
# so a check of their end would say nothing reliable; they are left to the first-frame probe
UNSEEKABLE = {"mp3", "aac", "adts", "ac3", "eac3", "flac", "ogg"}
# seconds a stream may end before the length the file gives it: a container's length counts
# its sound's encoder delay (AAC: 1024-2112 samples, up to 48 ms) and rounds
SLACK = 0.1


@dataclass(frozen=True)
class Short:
    """A file that ends before the part of it a recipe uses."""

    decodes: float  # seconds of the stream there are (from the stream's first timestamp)
    length: float  # seconds the file's header promises


def check_end(path: Path, stream: str, until: float, length: float) -> Short | None:
    """None when the `stream` ("video" or "audio") of `path` holds everything up to `until`
    seconds (counted from its first timestamp); else how much of it there is. `length` is the
    probed length (what the header promises), for the message. Kept per (path, size, mtime)."""
    st = path.stat()
    whole = (path, st.st_size, st.st_mtime_ns, stream)
    if until <= _REACHES.get(whole, -1.0):  # already seen to hold a later point: no new read
        return None
    short = _check_end(path, st.st_size, st.st_mtime_ns, stream, round(until, 3), length)
    if short is None:
        _REACHES[whole] = max(until, _REACHES.get(whole, -1.0))
    return short


# per (path, size, mtime, stream): the latest point the file was seen to hold, so validating
# a recipe and then planning its preview (the same ranges, rounded to another frame rate) read
# each file once
_REACHES: dict[tuple[Path, int, int, str], float] = {}


@functools.lru_cache(maxsize=512)
def _check_end(
    path: Path, _size: int, _mtime: int, kind: str, until: float, length: float
) -> Short | None:
    import av

    try:  # the header is enough: FFmpeg's stream analysis would read ~20 ms of a WAV
        with av.open(str(path), options={"probesize": "32"}) as c:
            if c.format.name.split(",")[0] in UNSEEKABLE:
                return None
            streams = c.streams.video if kind == "video" else c.streams.audio
            if not streams:
                return None
            s = streams[0]
            s.codec_context.thread_count = 1  # one frame: no decoder threads to start
            first = float(s.start_time * s.time_base) if s.start_time is not None else 0.0
            if _reaches(c, s, first, until):
                return None
    except av.FFmpegError:
        pass  # a seek into a missing part can fail too: measure below
    # the quick way failed (or a file without an index seeks by guess, as MPEG-TS does):
    # read the packets from the start, to be sure and to say how much is there
    there, whole = _measure(path, kind)
    if max(there, whole) >= until - SLACK:
        return None
    return Short(there, length)


def promised(path: Path, length: float) -> float:
    """The length the file's header promises. FFmpeg reports a WAV cut short at the length of
    what is left, so its own header (the data chunk's size) is read for what it promised."""
    if path.suffix.lower() not in (".wav", ".wave"):
        return length
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return length
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return length
    at, byte_rate = 12, 0
    while at + 8 <= len(head):
        chunk, size = head[at : at + 4], struct.unpack_from("<I", head, at + 4)[0]
        if chunk == b"fmt " and at + 16 <= len(head):
            byte_rate = struct.unpack_from("<I", head, at + 16)[0]
        elif chunk == b"data":
            if byte_rate and 0 < size < 0xFFFFFFFF:  # 0 or -1: written while streaming
                return max(length, size / byte_rate)
            return length
        at += 8 + size + (size & 1)
    return length


def _reaches(c, s, first: float, until: float) -> bool:  # type: ignore[no-untyped-def]
    """Seek to the keyframe before `until`, decode it, and read packets up to `until`. Any
    stream reaching `until` shows the file is whole: a cut file loses the end of every
    stream, while a Matroska file gives its video the file's length, which a sound track a
    few milliseconds longer sets."""
    tb = s.time_base
    step = 1.0 / float(s.average_rate or 25) if s.type == "video" else 0.1
    goal = first + until - SLACK
    target = first + max(0.0, until - step)
    c.seek(int(target / tb), stream=s, backward=True, any_frame=False)
    decoded, reached, anywhere = False, 0.0, 0.0
    for packet in c.demux():
        end = (
            float((packet.pts + (packet.duration or 0)) * packet.time_base)
            if packet.pts is not None
            else 0.0
        )
        if packet.stream.index != s.index:
            anywhere = max(anywhere, end)
        else:
            if not decoded:  # the keyframe (a decoder may hold a frame or two back first)
                decoded = bool(packet.decode())
            reached = max(reached, end)
        if decoded and max(reached, anywhere) >= goal:
            return True
    return False


def _measure(path: Path, kind: str) -> tuple[float, float]:
    """Seconds of the stream whose packets are there, read from the start (no decoding), and
    of the file's longest stream (both from the stream's first timestamp)."""
    import av

    there = whole = 0.0
    try:
        with av.open(str(path)) as c:
            streams = c.streams.video if kind == "video" else c.streams.audio
            s = streams[0]
            first = float(s.start_time * s.time_base) if s.start_time is not None else 0.0
            for packet in c.demux():
                if packet.pts is None or packet.is_corrupt:
                    continue
                end = float((packet.pts + (packet.duration or 0)) * packet.time_base) - first
                whole = max(whole, end)
                if packet.stream.index == s.index:
                    there = max(there, end)
    except (av.FFmpegError, IndexError):
        pass
    return there, whole
