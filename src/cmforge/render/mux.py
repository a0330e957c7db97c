"""The sound encoded on its own (beside the picture's segments), then the segments and the
sound joined into one file as they are: the concat demuxer, no re-encoding."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..media.ffmpeg import FFmpegInfo, run_ffmpeg
from ..media.loudness import Loudness, measure_file
from .plan import Plan


def encode_sound(p: Plan, info: FFmpegInfo, dest: Path) -> Loudness:
    """Mix and encode the sound; measure it as it will be delivered (the file's audio is this
    stream, copied)."""
    run_ffmpeg(p.command.audio_argv(info.binary, dest))
    return measure_file(dest, info.binary)


def join(p: Plan, info: FFmpegInfo, folder: Path, listing: Path, sound: Path, dest: Path) -> None:
    """The plan's segments (files in `folder`) and the encoded sound joined into `dest`;
    `listing` is where the concat list is written."""
    names = p.command.segment_names(info.version)
    listing.write_text(concat_list(folder / n for n in names), encoding="utf-8")
    run_ffmpeg(p.command.mux_argv(info.binary, listing, sound, dest))


def concat_list(paths: Iterable[Path]) -> str:
    """FFmpeg's concat list of these files, in order."""
    return "".join("file " + _concat_quote(path) + "\n" for path in paths)


def _concat_quote(path: Path) -> str:
    """A path as FFmpeg's concat list reads it: single-quoted, ' written as '\\''."""
    return "'" + str(path).replace("'", "'\\''") + "'"
