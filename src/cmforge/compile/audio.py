"""The sound of the ad: clip sound, music and extra tracks mixed to 48 kHz stereo, exactly as
long as the picture. Every sound is an amovie source, so the audio graph needs no -i inputs and
can run beside the picture in one process or in the encoder of a segmented render."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..audio.loudness import Mastering
from ..delivery.standards import Standard, custom, standard_for
from ..recipe.model import Music
from ..timeline import Timeline
from .emit import graph_text
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


def _clip_parts(g: Graph, tl: Timeline) -> list[str]:
    """Each clip's own sound, placed where the clip plays, faded in and out by the transitions
    it comes in and goes out with (their sound_in / sound_out)."""
    parts = []
    for p in tl.scenes:
        s = p.scene
        volume = s.sound_volume()
        if volume <= 0 or not (p.source and p.source.has_audio):
            continue
        dur = tl.seconds(p.frames)
        fades = s.transition.sound_in(tl.seconds(p.transition_frames))
        if s.index + 1 < len(tl.scenes):  # the next scene's transition takes this sound out
            nxt = tl.scenes[s.index + 1]
            fades += nxt.scene.transition.sound_out(dur, tl.seconds(nxt.transition_frames))
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
                    F("volume", round(volume, 4)),
                    F("atrim", end=dur),
                    *fades,
                    *_delay(tl.seconds(p.start)),
                ],
                "a",
            )
        )
    return parts


def _track_parts(g: Graph, tl: Timeline) -> list[str]:
    """[[audio]]: narration and effects."""
    return [
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
        for a in tl.recipe.audio
    ]


def _music_copy(m: Music) -> list[Filter]:
    """The track from `start` (long enough, or before the sound stage has repeated it)."""
    return [
        _source(m.path, m.start),
        *([F("atrim", start=round(m.start, 6))] if m.start else []),
        F("asetpts", "PTS-STARTPTS"),
    ]


def _music(g: Graph, tl: Timeline, envelope: Path | None, looped: Path | None = None) -> str | None:
    """The music, as long as the ad. A shorter track comes already repeated, its seams prepared
    on the samples (audio/loop.py: aligned, crossfaded with gains normalised for how alike the
    two sides are; the sound stage makes it once the media exist). A longer track is cut, its
    fade-out ending on the last frame. With ducking, the music is multiplied by the measured
    gain curve (audio/ducking.py)."""
    m = tl.recipe.music
    if m is None:
        return None
    total = tl.duration
    fades = ([F("afade", t="in", d=m.fade_in)] if m.fade_in else []) + (
        [F("afade", t="out", st=max(0.0, total - m.fade_out), d=min(m.fade_out, total))]
        if m.fade_out
        else []
    )
    tail = [F("atrim", duration=total), F("volume", f"{m.volume_db}dB"), *fades]
    source = [F("amovie", str(looped)), F("asetpts", "PTS-STARTPTS")] if looped else _music_copy(m)
    stream = g.one([], [*source, *_norm(), *tail], "a")
    if envelope is None:
        return stream
    gain = g.one(
        [],
        [
            F("amovie", str(envelope)),
            F("pan", "stereo|c0=c0|c1=c0"),
            *_norm(),
        ],
        "a",
    )
    return g.one([stream, gain], [F("amultiply")], "a")


def _mix(g: Graph, parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return g.one(
        parts,
        [F("amix", inputs=len(parts), normalize=0, duration="longest", dropout_transition=0)],
        "a",
    )


def key_stream(g: Graph, tl: Timeline) -> str | None:
    """What the music ducks under: clips with their own sound and the [[audio]] tracks."""
    parts = _clip_parts(g, tl) + _track_parts(g, tl)
    return _mix(g, parts) if parts else None


@dataclass(frozen=True)
class Sound:
    """What the render learned about the sound before it started: the ducking curve and the
    loudness correction (both measured; see sound.prepare_sound), and the mix built from them."""

    envelope: Path | None = None
    mastering: Mastering | None = None
    music: Path | None = None  # music shorter than the ad, already repeated (audio/loop.py)
    loop: dict | None = None  # how it was repeated (for the manifest)
    # the mix of this envelope and music, built once (sound.prepare_sound); None: built on use
    mix: Mix | None = field(default=None, compare=False, repr=False)
    pending: tuple[str, ...] = ()  # what is still to measure ("ducking", "loudness", ...)


def edge_filters(std: Standard, duration: float) -> list[Filter]:
    """A standard with silent edges (jp-tv: 0.5 s): digital silence in the first and last
    seconds it asks for (and its margin); the programme fades in after the silent head and out
    before the silent tail (the picture is not cut)."""
    edge = std.silent_edge + std.edge_margin
    if not std.silent_edges or duration <= 2 * (edge + std.edge_fade):
        return []
    return [
        F("afade", t="in", st=edge, d=std.edge_fade),
        F("afade", t="out", st=round(duration - edge - std.edge_fade, 6), d=std.edge_fade),
    ]


def mastered_to(tl: Timeline) -> Standard:
    """The standard the sound is mastered to (a measuring pass without a target: a number's)."""
    out = tl.recipe.output
    return standard_for(out.loudness, out.standard) or custom(0.0)


def correction(gain_db: float, limited: bool, ceiling: float) -> list[Filter]:
    """Loudness correction: a gain, and where the peak needs it a true-peak limiter (a
    look-ahead limiter at 4x the sample rate, where inter-sample peaks are visible) holding
    the true peak under `ceiling` dBTP."""
    out = [F("volume", f"{gain_db:.2f}dB")] if abs(gain_db) >= 0.005 else []
    if limited:
        out += [
            F("aresample", 4 * RATE),
            F(
                "alimiter",
                limit=round(10 ** (ceiling / 20), 5),
                attack=5,
                release=50,
                level=0,
                latency=1,
            ),
            F("aresample", RATE),
        ]
    return out


def _mixed(g: Graph, tl: Timeline, envelope: Path | None, looped: Path | None) -> str | None:
    """Everything that sounds, placed and mixed into g; None when nothing does."""
    parts = _clip_parts(g, tl)
    music = _music(g, tl, envelope, looped)
    parts += ([music] if music else []) + _track_parts(g, tl)
    return _mix(g, parts) if parts else None


def _finish(
    g: Graph, mixed: str | None, seconds: float, std: Standard, gain_db: float | None, limited: bool
) -> str:
    """The end of the sound graph: the loudness correction (none when gain_db is None), then
    exactly the ad's length of 48 kHz stereo (silence when nothing sounds)."""
    samples = int(round(seconds * RATE))
    if mixed is None:
        return g.one([], [F("anullsrc", r=RATE, cl="stereo"), F("atrim", end_sample=samples)], "a")
    master: list[Filter] = []
    if gain_db is not None:
        master = [*_norm(), *edge_filters(std, seconds), *correction(gain_db, limited, std.ceiling)]
    return g.one(
        mixed,
        [*master, F("apad", whole_len=samples), F("atrim", end_sample=samples), *_norm()],
        "a",
    )


@dataclass(frozen=True)
class Mix:
    """The ad's sound up to its loudness correction: every part placed and mixed, built once.
    The passes that measure it and the render's own audio differ only in the end that
    `finished` adds: the correction tried, the one measured, or none."""

    graph: Graph  # never changed once built: `finished` adds to a copy
    label: str | None  # the mixed parts; None when nothing sounds
    seconds: float  # the ad's length
    standard: Standard  # what a correction masters to (its true-peak ceiling, silent edges)

    def finished(self, gain_db: float | None = None, limited: bool = False) -> tuple[Graph, str]:
        """The whole sound graph and its output label, with this correction at the end."""
        g = replace(self.graph, inputs=list(self.graph.inputs), chains=list(self.graph.chains))
        return g, _finish(g, self.label, self.seconds, self.standard, gain_db, limited)

    def text(self, gain_db: float | None = None, limited: bool = False) -> tuple[str, str]:
        """`finished` as FFmpeg's filter text (the mix's own text is emitted once)."""
        g, label = self.finished(gain_db, limited)
        last = graph_text(Graph(chains=g.chains[len(self.graph.chains) :]))
        return ";".join(t for t in (self._text, last) if t), label

    @cached_property
    def _text(self) -> str:
        return graph_text(self.graph)

    def mastered(self, m: Mastering | None) -> tuple[Graph, str]:
        """The render's sound graph: the mix with the measured correction (if any)."""
        return self.finished(m.gain_db, m.limited) if m else self.finished()


def build_mix(tl: Timeline, envelope: Path | None = None, looped: Path | None = None) -> Mix:
    """The mix of this timeline's sound, with the ducking curve and the repeated music given."""
    g = Graph(prefix="au")
    return Mix(g, _mixed(g, tl, envelope, looped), tl.duration, mastered_to(tl))


def sound_graph(tl: Timeline, sound: Sound | None) -> tuple[Graph, str]:
    """The render's sound graph: the sound's mix (built now if the sound stage did not), with
    its measured correction."""
    sound = sound or Sound()
    mix = sound.mix or build_mix(tl, sound.envelope, sound.music)
    return mix.mastered(sound.mastering)


def audio_stream(
    g: Graph,
    tl: Timeline,
    sound: Sound | None = None,
    *,
    gain_db: float | None = None,
    limited: bool | None = None,
) -> str:
    """Mix everything that sounds into g; returns the label of the finished audio.
    gain_db/limited override the mastering's correction (the measuring passes use them)."""
    sound = sound or Sound()
    m = sound.mastering
    gain = gain_db if gain_db is not None else (m.gain_db if m else None)
    limit = limited if limited is not None else bool(m and m.limited)
    mixed = _mixed(g, tl, sound.envelope, sound.music)
    return _finish(g, mixed, tl.duration, mastered_to(tl), gain, limit)
