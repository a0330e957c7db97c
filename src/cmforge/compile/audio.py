"""The sound of the ad: clip sound, music and extra tracks mixed to 48 kHz stereo, exactly as
long as the picture. Every sound is an amovie source, so the audio graph needs no -i inputs and
can run beside the picture in one process or in the encoder of a segmented render."""

from __future__ import annotations

from ..timeline import Timeline
from .graph import Filter, Graph

F = Filter.of
RATE = 48000


def _norm() -> list[Filter]:
    return [
        F("aresample", RATE),
        F("aformat", sample_fmts="fltp", sample_rates=RATE, channel_layouts="stereo"),
    ]


def _delay(seconds: float) -> list[Filter]:
    ms = int(round(seconds * 1000))
    return [F("adelay", f"{ms}", all=1)] if ms > 0 else []


def _tempo(speed: float) -> list[Filter]:
    out, s = [], speed
    while s > 2.0:
        out.append(F("atempo", 2.0))
        s /= 2.0
    while s < 0.5:
        out.append(F("atempo", 0.5))
        s /= 0.5
    if abs(s - 1) > 1e-6:
        out.append(F("atempo", round(s, 6)))
    return out


def _source(path: object, start: float) -> Filter:
    opts = {"seek_point": round(start, 6)} if start > 0 else {}
    return F("amovie", str(path), **opts)


def audio_stream(g: Graph, tl: Timeline) -> str:
    """Mix everything that sounds into g; returns the label of the finished audio."""
    total = tl.duration
    parts: list[str] = []
    for p in tl.scenes:
        s = p.scene
        if s.type != "clip" or s.volume <= 0 or not (p.source and p.source.has_audio):
            continue
        dur = tl.seconds(p.frames)
        fin = tl.seconds(p.transition_frames)
        nxt = s.index + 1
        fout = tl.seconds(tl.scenes[nxt].transition_frames) if nxt < len(tl.scenes) else 0.0
        fades = ([F("afade", t="in", d=fin)] if fin else []) + (
            [F("afade", t="out", st=max(0.0, dur - fout), d=fout)] if fout else []
        )
        begin = p.source.start + p.src_in
        parts.append(
            g.one(
                [],
                [
                    _source(s.src, p.src_in),
                    F("atrim", start=round(begin, 6)),
                    F("asetpts", "PTS-STARTPTS"),
                    *_tempo(s.speed),
                    *_norm(),
                    F("volume", round(s.volume, 4)),
                    F("atrim", end=dur),
                    *fades,
                    *_delay(tl.seconds(p.start)),
                ],
                "a",
            )
        )
    m = tl.recipe.music
    if m is not None:
        info = tl.media.get(m.path)
        remaining = (info.duration - m.start) if info and info.duration else None
        # music shorter than the ad repeats in memory (aloop): no decoder restart, no gap
        loop = (
            [F("aloop", loop=-1, size=int((remaining + 1) * RATE))]
            if remaining is not None and remaining < total
            else []
        )
        fades = ([F("afade", t="in", d=m.fade_in)] if m.fade_in else []) + (
            [F("afade", t="out", st=max(0.0, total - m.fade_out), d=min(m.fade_out, total))]
            if m.fade_out
            else []
        )
        parts.append(
            g.one(
                [],
                [
                    _source(m.path, m.start),
                    *([F("atrim", start=round(m.start, 6))] if m.start else []),
                    F("asetpts", "PTS-STARTPTS"),
                    *_norm(),
                    *loop,
                    F("atrim", duration=total),
                    F("volume", f"{m.volume_db}dB"),
                    *fades,
                ],
                "a",
            )
        )
    for a in tl.recipe.audio:
        parts.append(
            g.one(
                [],
                [
                    _source(a.src, 0),
                    F("asetpts", "PTS-STARTPTS"),
                    *_norm(),
                    F("volume", f"{a.volume_db}dB"),
                    *_delay(a.start),
                ],
                "a",
            )
        )
    samples = int(round(total * RATE))
    if not parts:
        return g.one([], [F("anullsrc", r=RATE, cl="stereo"), F("atrim", end_sample=samples)], "a")
    mixed = (
        parts[0]
        if len(parts) == 1
        else g.one(
            parts,
            [F("amix", inputs=len(parts), normalize=0, duration="longest", dropout_transition=0)],
            "a",
        )
    )
    return g.one(
        mixed, [F("apad", whole_len=samples), F("atrim", end_sample=samples), *_norm()], "a"
    )
