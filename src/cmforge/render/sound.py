"""The measuring stage between the timeline and the render: the sound is rendered on its own
(no picture, a fraction of a second) to derive the ducking curve and to measure the mix, so
the render itself corrects the loudness in the same single pass that encodes the picture.
What it measures is kept in the project's cache; a plan only reads what is there."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from .. import atomic
from ..audio.ducking import gain_curve, key_levels, write_envelope
from ..audio.loop import loop
from ..audio.loudness import Mastering, master
from ..audio.wav import write_float_wav
from ..compile import AUDIO_CODEC
from ..compile.audio import RATE, Mix, Sound, build_mix, key_stream
from ..compile.emit import graph_text
from ..compile.graph import Graph
from ..media.ffmpeg import check_ffmpeg, read_output
from ..media.loudness import Loudness, measure_args, measure_file, run_measure
from ..media.probe import sha256
from ..timeline import Timeline

KEY_RATE = 16000  # the ducking key is analysed at 16 kHz mono: plenty for a level


def duck_envelope(tl: Timeline, ffmpeg: str, cache: Path, *, measure: bool = True) -> Path | None:
    """The music's gain curve under narration and clip sound, as a WAV in the cache, named by
    what it is made from (the key's graph and files, the duck settings): a re-render or another
    variant with the same sound does not measure again. measure=False: where it is kept, made
    or not (nothing runs)."""
    m = tl.recipe.music
    if m is None or m.duck is None:
        return None
    g = Graph(prefix="key")
    label = key_stream(g, tl)
    if label is None:
        return None  # nothing to duck under
    key = _graph_key(g, "duck 1", m.duck, tl.duration, check_ffmpeg(ffmpeg).version)
    path = cache / "duck" / f"{key}.wav"
    if path.is_file() or not measure:  # the same key sound, already measured (or to be)
        return path
    raw, _ = read_output(
        [
            ffmpeg,
            "-filter_complex",
            graph_text(g),
            "-map",
            f"[{label}]",
            "-ac",
            "1",
            "-ar",
            str(KEY_RATE),
            "-f",
            "f32le",
            "pipe:1",
        ]
    )
    levels = key_levels(np.frombuffer(raw, dtype="<f4"), KEY_RATE)
    write_envelope(path, gain_curve(levels, m.duck), tl.duration)
    return path


def music_loop(
    tl: Timeline, ffmpeg: str, cache: Path, *, measure: bool = True
) -> tuple[Path | None, dict]:
    """Music shorter than the ad, repeated with prepared seams (audio/loop.py), as a WAV in
    the cache named by what it is made from, and how it was repeated; None when the track is
    long enough. measure=False: where it is kept, and {} when it is not made yet."""
    m = tl.recipe.music
    info = tl.media.get(m.path) if m else None
    if m is None or info is None or not info.duration or info.duration - m.start >= tl.duration:
        return None, {}
    total = int(round(tl.duration * RATE))
    key = hashlib.sha256(f"loop 1|{sha256(m.path)}|{m.start}|{total}|{RATE}".encode())
    path = cache / "music" / f"{key.hexdigest()[:24]}.wav"
    notes = path.with_suffix(".json")
    if path.is_file() and notes.is_file():
        return path, json.loads(notes.read_text(encoding="utf-8"))
    if not measure:
        return path, {}
    raw, _ = read_output(
        [ffmpeg, "-ss", f"{m.start:.6f}", "-i", str(m.path), "-vn", "-ac", "2", "-ar", str(RATE)]
        + ["-f", "f32le", "pipe:1"]
    )
    x = np.frombuffer(raw, dtype="<f4").reshape(-1, 2).T
    looped, how = loop(x, RATE, total)
    write_float_wav(path, looped, RATE)
    atomic.write_text(notes, json.dumps(how))
    return path, how


def measure_mix(mix: Mix, ffmpeg: str, gain: float, limited: bool) -> Loudness:
    """The mix with this correction, as ebur128 reads it (before encoding)."""
    text, label = mix.text(gain, limited)
    return run_measure(measure_args(ffmpeg, [], text, label))


def measure_encoded(mix: Mix, ffmpeg: str, gain: float, limited: bool, cache: Path) -> Loudness:
    """The corrected mix as it will be delivered: through the same AAC encoder, then measured."""
    text, label = mix.text(gain, limited)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        probe = Path(tmp) / "sound.m4a"
        read_output(
            [
                ffmpeg,
                "-filter_complex",
                text,
                "-map",
                f"[{label}]",
                *AUDIO_CODEC,
                str(probe),
            ]
        )
        return measure_file(probe, ffmpeg)


def prepare_sound(
    tl: Timeline, ffmpeg: str, cache: Path, *, measure: bool = True, known: Sound | None = None
) -> Sound:
    """Ducking curve, repeated music and loudness correction for this timeline (all need the
    media), and the mix built from them: once, for the key, every measuring pass and the
    render. measure=False: only what the cache holds, and no FFmpeg runs; the curve and the
    music are named where they will be made, and `pending` says what is left to measure.
    `known`: this timeline's sound as planned (its mix is used again when still the same)."""
    envelope = duck_envelope(tl, ffmpeg, cache, measure=measure)
    looped, how = music_loop(tl, ffmpeg, cache, measure=measure)
    pending = (("ducking",) if envelope and not envelope.is_file() else ()) + (
        ("music loop",) if looped and not how else ()  # `how` comes with the repeated music
    )
    planned = known.mix if known and (known.envelope, known.music) == (envelope, looped) else None
    mix = planned or build_mix(tl, envelope, looped)
    sound = Sound(envelope, None, looped, how, mix=mix, pending=pending)
    out = tl.recipe.output
    if out.loudness is None:
        return sound
    if pending:  # the mix reads a file not made yet: its key is not known
        return replace(sound, pending=(*pending, "loudness"))
    memo = cache / "loudness" / f"{_mastering_key(tl, ffmpeg, mix)}.json"
    mastering = _read_mastering(memo)
    if mastering is None and not measure:
        return replace(sound, pending=("loudness",))
    if mastering is None:
        mastering = master(
            out.loudness,
            out.standard,
            lambda gain, limited: measure_mix(mix, ffmpeg, gain, limited),
            lambda gain, limited: measure_encoded(mix, ffmpeg, gain, limited, cache),
        )
        _write_mastering(memo, mastering)
    return replace(sound, mastering=mastering)


def _mastering_key(tl: Timeline, ffmpeg: str, mix: Mix) -> str:
    """Everything the measured correction depends on: the mix (its graph and the bytes of every
    file it reads), the target and standard, the FFmpeg build. Variants that differ only in
    their picture share it, and a re-render does not measure again."""
    g, _ = mix.finished(0.0, False)
    out = tl.recipe.output
    return _graph_key(g, "mastering 1", out.loudness, out.standard, check_ffmpeg(ffmpeg).version)


def _graph_key(g: Graph, *parts: object) -> str:
    """A name for what a sound graph makes: its text, the bytes of every file it reads, and
    the settings given."""
    h = hashlib.sha256("|".join(map(repr, parts)).encode())
    h.update(graph_text(g).encode("utf-8", "surrogateescape"))
    for chain in g.chains:
        for f in chain.filters:
            if f.name == "amovie" and f.positional:
                path = Path(str(f.positional[0]))
                h.update(sha256(path).encode() if path.is_file() else b"missing")
    return h.hexdigest()[:24]


def _read_mastering(path: Path) -> Mastering | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return Mastering(
            d["target"],
            d["standard"],
            d["gain_db"],
            d["limited"],
            Loudness(*d["measured"]),
            Loudness(*d["predicted"]),
            tuple(d["notes"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_mastering(path: Path, m: Mastering) -> None:
    def trio(x: Loudness | None) -> list[float] | None:
        return [x.integrated, x.true_peak, x.lra] if x else None

    data = {
        "target": m.target,
        "standard": m.standard,
        "gain_db": m.gain_db,
        "limited": m.limited,
        "measured": trio(m.measured),
        "predicted": trio(m.predicted),
        "notes": list(m.notes),
    }
    atomic.write_text(path, json.dumps(data))
