"""The only owner of the ffmpeg subprocess: binary lookup, capability check, progress, errors."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import FFmpegMissing, RenderError

T = TypeVar("T")

NEEDED_ENCODERS = ("libx264", "aac")
NEEDED_FILTERS = (
    "xfade",
    "overlay",
    "scale",
    "loop",
    "perspective",
    "amix",
    "adelay",
    "afade",
    "atrim",
    "trim",
    "fps",
    "setpts",
    "settb",
    "gblur",
    "aresample",
    "apad",
    "concat",
    "fade",
    "lutyuv",
    "movie",
    "transpose",
    "split",
    "aloop",
    "amovie",
    "aformat",
    "setparams",
    "anullsrc",
    "atempo",
)


def ffmpeg_binary() -> str:
    env = os.environ.get("CMFORGE_FFMPEG")
    if env:
        return env
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class FFmpegInfo:
    binary: str
    version: str


def _list(binary: str, what: str) -> str:
    out = subprocess.run(
        [binary, "-hide_banner", f"-{what}"], capture_output=True, text=True, timeout=30
    )
    return out.stdout


def check_ffmpeg(binary: str | None = None) -> FFmpegInfo:
    """Check that the binary runs and has every encoder and filter a render uses."""
    return _check(binary or ffmpeg_binary())


@functools.lru_cache(maxsize=4)
def _check(binary: str) -> FFmpegInfo:
    try:
        head = subprocess.run(
            [binary, "-hide_banner", "-version"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise FFmpegMissing(binary, [f"a runnable ffmpeg ({exc})"]) from None
    m = re.search(r"ffmpeg version (\S+)", head)
    encoders = set(
        re.findall(r"^\s*[VAS][\w.]{5}\s+(\S+)", _list(binary, "encoders"), re.MULTILINE)
    )
    filters = set(re.findall(r"^\s*[\w.|]{2,3}\s+(\w+)\s", _list(binary, "filters"), re.MULTILINE))
    missing = [f"encoder {e}" for e in NEEDED_ENCODERS if e not in encoders]
    missing += [f"filter {f}" for f in NEEDED_FILTERS if f not in filters]
    if missing:
        raise FFmpegMissing(binary, missing)
    return FFmpegInfo(binary, m.group(1) if m else "unknown")


def parse_progress(block: dict[str, str], fps: float) -> int | None:
    """ffmpeg -progress key=value block -> frames done."""
    if "frame" in block and block["frame"].isdigit():
        return int(block["frame"])
    us = block.get("out_time_us") or block.get("out_time_ms")
    if us and us.lstrip("-").isdigit():
        return max(0, int(int(us) / 1_000_000 * fps))
    return None


_HINTS = [
    (r"No such file or directory", "a media file has gone missing since validation"),
    (r"Invalid data found when processing input", "a media file is damaged or not a media file"),
    (r"No space left on device", "the disk is full"),
    (r"height not divisible by 2|width not divisible by 2", "odd output size: use even sizes"),
]


def run_ffmpeg(
    argv: list[str],
    *,
    total_frames: int = 0,
    fps: float = 30.0,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Run ffmpeg; report frames done through on_progress(done, total); raise RenderError."""
    cmd = [argv[0], "-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1", *argv[1:]]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    err_lines: list[str] = []
    threads = [threading.Thread(target=_drain, args=(proc.stderr, err_lines), daemon=True)]
    for t in threads:
        t.start()
    block: dict[str, str] = {}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            k, _, v = line.strip().partition("=")
            block[k] = v
            if k == "progress":
                done = parse_progress(block, fps)
                if on_progress and done is not None:
                    on_progress(min(done, total_frames or done), total_frames)
                block = {}
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    for t in threads:
        t.join(timeout=30)
    if proc.returncode != 0:
        raise _failure(cmd, proc.returncode, "".join(err_lines[-30:]))


def _failure(cmd: list[str], code: int, tail: str) -> RenderError:
    hint = next((h for pat, h in _HINTS if re.search(pat, tail)), "")
    return RenderError(f"ffmpeg failed (exit {code})" + (f": {hint}" if hint else ""), cmd, tail)


def _drain(stream, sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
        if len(sink) > 400:
            del sink[:200]


def read_output(argv: list[str]) -> tuple[bytes, str]:
    """Run a short ffmpeg job whose result is on stdout (raw samples); returns (stdout, stderr).
    For measuring passes over the sound, which take a fraction of a second."""
    cmd = [argv[0], "-hide_banner", "-nostdin", "-nostats", *argv[1:]]
    proc = subprocess.run(cmd, capture_output=True)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _failure(cmd, proc.returncode, "\n".join(err.strip().splitlines()[-30:]))
    return proc.stdout, err


def run_analysis(argv: list[str], alongside: Callable[[], T]) -> tuple[str, T]:
    """Run an ffmpeg job whose result is what its analysis filters log (ebur128, blackdetect,
    silencedetect, astats: usually into `-f null`) and return that log with what `alongside`
    returned: `alongside` runs in this thread while ffmpeg decodes, so other reading of the
    same file costs no extra time. If it raises, ffmpeg is stopped and the error propagates.
    Raises FFmpegMissing when the binary cannot start, RenderError when ffmpeg fails."""
    cmd = [argv[0], "-hide_banner", "-nostdin", "-nostats", *argv[1:]]
    try:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise FFmpegMissing(cmd[0], [f"a runnable ffmpeg ({exc})"]) from None
    stream = proc.stderr
    assert stream is not None
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(stream.read()), daemon=True)
    reader.start()
    try:
        result = alongside()
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        reader.join(timeout=30)
        stream.close()
    log = b"".join(err).decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _failure(cmd, proc.returncode, "\n".join(log.strip().splitlines()[-30:]))
    return log, result
