"""Tier 1: the sound of the ad as a filter graph (compile/audio.py), read as data: clip sound
placed where the clip plays, music with its fades and level, the measured ducking curve,
[[audio]] tracks, the mix, the loudness correction and the exact length. Nothing runs FFmpeg;
what it sounds like is tests/e2e/test_sound.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from recipes import entry, load_one, output, scene, table, title, write

from cmforge.compile.audio import Sound, audio_stream, key_stream
from cmforge.compile.graph import Chain, Graph
from cmforge.media.probe import MediaInfo
from cmforge.timeline import Timeline, resolve_timeline

RATE = 48000
FPS = 10


def timeline(
    folder: Path, body: str, *, start: float = 0.0, has_audio: bool = True, **out: object
) -> Timeline:
    """The recipe's timeline at 10 fps; every clip is a 4 s source whose first timestamp is
    `start`, with or without sound (files are a few bytes: nothing reads them)."""
    for name in ("clip.mp4", "music.wav", "voice.wav", "fx.wav", "looped.wav", "duck.wav"):
        (folder / name).write_bytes(b"x")
    r = load_one(write(folder, output(size=(64, 112), fps=FPS, **out) + body))
    facts = {
        s.src: MediaInfo(s.src, "video", 64, 112, FPS, 4.0, has_audio, 2, RATE, start=start)
        for s in r.scenes
        if s.type == "clip"
    }
    return resolve_timeline(r, facts)


def mixed(tl: Timeline, sound: Sound | None = None, **kw: object) -> tuple[Graph, str]:
    """The finished sound of tl: its graph and the label of its output."""
    g = Graph(prefix="au")
    return g, audio_stream(g, tl, sound, **kw)


def read(g: Graph, path: Path) -> Chain:
    """The chain that reads a file (an amovie source)."""
    [chain] = [c for c in g.chains if names(c)[0] == "amovie" and _path(c) == path]
    return chain


def _path(chain: Chain) -> Path:
    return Path(str(chain.filters[0].positional[0]))


def names(chain: Chain) -> list[str]:
    return [f.name for f in chain.filters]


def opts(chain: Chain, name: str) -> list[dict]:
    """The options of every filter called name in the chain, in order."""
    return [dict(f.args) | {"": f.positional} for f in chain.filters if f.name == name]


def sources(g: Graph) -> list[str]:
    """The names of the files the graph reads."""
    return [_path(c).name for c in g.chains if names(c)[0] == "amovie"]


def producing(g: Graph, label: str) -> Chain:
    """The chain whose output is label."""
    [chain] = [c for c in g.chains if label in c.outputs]
    return chain


CLIP = scene("clip", src="clip.mp4", trim=[0.5, 1.5])


# ---------------------------------------------------------------- nothing, and clip sound


def test_an_ad_without_sound_gets_exact_silence(tmp_path) -> None:
    g, label = mixed(timeline(tmp_path, title("A", duration=1.5)))
    [chain] = g.chains
    assert chain.outputs == [label]
    assert names(chain) == ["anullsrc", "atrim"]
    assert opts(chain, "anullsrc")[0]["r"] == RATE and opts(chain, "anullsrc")[0]["cl"] == "stereo"
    assert opts(chain, "atrim")[0]["end_sample"] == int(1.5 * RATE)


def test_clip_sound_plays_where_the_clip_plays(tmp_path) -> None:
    clip = scene("clip", src="clip.mp4", trim=[0.5, 1.5], volume=0.5)
    tl = timeline(tmp_path, title("A", duration=1.0) + clip)
    g, _ = mixed(tl)
    clip = read(g, tmp_path / "clip.mp4")
    assert opts(clip, "amovie")[0]["seek_point"] == 0.5, "decoding starts near the trim"
    assert opts(clip, "atrim")[0]["start"] == 0.5
    assert opts(clip, "volume")[0][""] == (0.5,)
    assert opts(clip, "atrim")[1]["end"] == pytest.approx(1.0), "as long as the clip plays"
    assert opts(clip, "adelay")[0] == {"": ("1000",), "all": 1}, "from 1 s on the ad's clock"
    assert "afade" not in names(clip), "cuts: no fades"
    assert "atempo" not in names(clip)


def test_a_source_that_starts_late_is_trimmed_on_its_own_clock(tmp_path) -> None:
    g, _ = mixed(timeline(tmp_path, CLIP, start=0.2))
    clip = read(g, tmp_path / "clip.mp4")
    assert opts(clip, "atrim")[0]["start"] == pytest.approx(0.7)
    assert "adelay" not in names(clip), "the first scene starts at 0"


@pytest.mark.parametrize(
    ("speed", "tempos"),
    [(1.25, [1.25]), (3.0, [2.0, 1.5]), (0.25, [0.5, 0.5]), (5.0, [2.0, 2.0, 1.25])],
)
def test_clip_speed_becomes_atempo_steps_within_its_range(tmp_path, speed, tempos) -> None:
    body = scene("clip", src="clip.mp4", speed=speed, duration=0.5)
    g, _ = mixed(timeline(tmp_path, body))
    got = [o[""][0] for o in opts(read(g, tmp_path / "clip.mp4"), "atempo")]
    assert got == pytest.approx(tempos)


@pytest.mark.parametrize(("volume", "has_audio"), [(0.0, True), (1.0, False)])
def test_a_muted_or_soundless_clip_adds_nothing(tmp_path, volume, has_audio) -> None:
    body = scene("clip", src="clip.mp4", volume=volume, duration=1.0)
    g, _ = mixed(timeline(tmp_path, body, has_audio=has_audio))
    assert sources(g) == [] and names(g.chains[0])[0] == "anullsrc"


# ---------------------------------------------------------------- music


def test_music_is_cut_to_the_ad_with_its_level_and_fades(tmp_path) -> None:
    music = table("music", track="music.wav", volume=-6, fade_in=0.5, fade_out=1.0)
    g, _ = mixed(timeline(tmp_path, title("A", duration=3.0) + music))
    chain = read(g, tmp_path / "music.wav")
    assert "seek_point" not in opts(chain, "amovie")[0]
    assert opts(chain, "atrim") == [{"": (), "duration": 3.0}]
    assert opts(chain, "volume")[0][""] == ("-6.0dB",)
    fade_in, fade_out = opts(chain, "afade")
    assert (fade_in["t"], fade_in["d"]) == ("in", 0.5)
    assert (fade_out["t"], fade_out["st"], fade_out["d"]) == ("out", 2.0, 1.0), "ends on the end"


def test_music_from_a_later_point_of_the_track(tmp_path) -> None:
    music = table("music", track="music.wav", start=2.0)
    chain = read(mixed(timeline(tmp_path, title("A") + music))[0], tmp_path / "music.wav")
    assert opts(chain, "amovie")[0]["seek_point"] == 2.0
    assert opts(chain, "atrim")[0] == {"": (), "start": 2.0}


def test_music_repeated_by_the_sound_stage_is_played_as_it_is(tmp_path) -> None:
    tl = timeline(tmp_path, title("A", duration=3.0) + table("music", track="music.wav"))
    g, _ = mixed(tl, Sound(music=tmp_path / "looped.wav"))
    assert sources(g) == ["looped.wav"], "the original track is not read again"
    assert "seek_point" not in opts(read(g, tmp_path / "looped.wav"), "amovie")[0]


def test_ducking_multiplies_the_music_by_the_measured_curve(tmp_path) -> None:
    music = table("music", track="music.wav", duck=-10)
    voice = entry("audio", src="voice.wav", start=0.5)
    tl = timeline(tmp_path, title("A", duration=3.0) + music + voice)
    plain, _ = mixed(tl)
    assert "amultiply" not in [n for c in plain.chains for n in names(c)], "not measured yet"
    g, _ = mixed(tl, Sound(envelope=tmp_path / "duck.wav"))
    curve = read(g, tmp_path / "duck.wav")
    assert opts(curve, "pan")[0][""] == ("stereo|c0=c0|c1=c0",), "one curve for both channels"
    [duck] = [c for c in g.chains if names(c) == ["amultiply"]]
    assert duck.inputs == [read(g, tmp_path / "music.wav").outputs[0], curve.outputs[0]]


# ---------------------------------------------------------------- tracks, key and mix


def test_audio_tracks_start_on_the_ads_clock_at_their_level(tmp_path) -> None:
    voice = entry("audio", src="voice.wav", start=1.5, volume=-3)
    g, _ = mixed(timeline(tmp_path, title("A", duration=3.0) + voice))
    chain = read(g, tmp_path / "voice.wav")
    assert opts(chain, "volume")[0][""] == ("-3.0dB",)
    assert opts(chain, "adelay")[0][""] == ("1500",)


def test_everything_that_sounds_is_mixed_without_normalising(tmp_path) -> None:
    body = (
        CLIP
        + table("music", track="music.wav")
        + entry("audio", src="voice.wav")
        + entry("audio", src="fx.wav", start=0.2)
    )
    g, label = mixed(timeline(tmp_path, body))
    assert sorted(sources(g)) == ["clip.mp4", "fx.wav", "music.wav", "voice.wav"]
    [mix] = [c for c in g.chains if names(c) == ["amix"]]
    assert opts(mix, "amix")[0] == {
        "": (),
        "inputs": 4,
        "normalize": 0,
        "duration": "longest",
        "dropout_transition": 0,
    }
    assert producing(g, label).inputs == mix.outputs


def test_one_sound_alone_is_not_mixed(tmp_path) -> None:
    g, _ = mixed(timeline(tmp_path, title("A") + table("music", track="music.wav")))
    assert "amix" not in [n for c in g.chains for n in names(c)]


def test_the_ducking_key_is_clip_sound_and_tracks_never_music(tmp_path) -> None:
    music = table("music", track="music.wav")
    g = Graph(prefix="key")
    assert key_stream(g, timeline(tmp_path, title("A") + music)) is None and g.chains == []
    tl = timeline(tmp_path, CLIP + music + entry("audio", src="voice.wav"))
    g = Graph(prefix="key")
    label = key_stream(g, tl)
    assert label is not None and sorted(sources(g)) == ["clip.mp4", "voice.wav"]


# ---------------------------------------------------------------- the finished sound


def test_the_sound_is_exactly_as_long_as_the_picture(tmp_path) -> None:
    tl = timeline(tmp_path, title("A", duration=2.3) + table("music", track="music.wav"))
    g, label = mixed(tl)
    last = producing(g, label)
    samples = int(round(2.3 * RATE))
    assert opts(last, "apad")[0]["whole_len"] == samples
    assert opts(last, "atrim")[0]["end_sample"] == samples
    assert opts(last, "aformat")[-1]["sample_rates"] == RATE
    assert opts(last, "aformat")[-1]["channel_layouts"] == "stereo"


def test_the_loudness_correction_is_a_gain_and_where_needed_a_limiter(tmp_path) -> None:
    tl = timeline(tmp_path, title("A", duration=3.0) + table("music", track="music.wav"))
    g, label = mixed(tl, gain_db=-3.0, limited=False)
    last = producing(g, label)
    assert opts(last, "volume")[0][""] == ("-3.00dB",) and "alimiter" not in names(last)
    g, label = mixed(tl, gain_db=2.0, limited=True)
    last = names(producing(g, label))
    i = last.index("alimiter")
    assert last[i - 2 : i + 2] == ["volume", "aresample", "alimiter", "aresample"]
    limiter = opts(producing(g, label), "alimiter")[0]
    assert limiter["limit"] == pytest.approx(10 ** (-1.5 / 20), abs=1e-5), "-1.5 dBTP"
    g, label = mixed(tl, gain_db=0.001, limited=False)
    assert "volume" not in names(producing(g, label)), "a nothing of a gain is left out"
    g, label = mixed(tl)
    assert "volume" not in names(producing(g, label)), "not measured: no correction"


def test_jp_tv_fades_in_after_the_silent_head_and_out_before_the_tail(tmp_path) -> None:
    music = table("music", track="music.wav", fade_in=0, fade_out=0)
    tl = timeline(tmp_path, title("A", duration=4.0) + music, loudness="jp-tv")
    g, label = mixed(tl, gain_db=0.0)
    fade_in, fade_out = opts(producing(g, label), "afade")
    assert (fade_in["t"], fade_in["st"], fade_in["d"]) == ("in", 0.55, 0.25)
    assert (fade_out["t"], fade_out["st"], fade_out["d"]) == ("out", 3.2, 0.25)
    web = timeline(tmp_path, title("A", duration=4.0) + music, loudness="web")
    g, label = mixed(web, gain_db=0.0)
    assert "afade" not in names(producing(g, label))
