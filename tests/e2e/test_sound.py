"""The sound of a real render, measured: loudness presets (FFmpeg's ebur128 on the delivered
file), jp-tv's silent head and tail, ducking depth in a music-only band, the loop seam."""

from __future__ import annotations

from pathlib import Path

import av
import media
import numpy as np
import pytest
from look import manifest_of
from recipes import output, render_one, title, write

from cmforge.media.loudness import measure_file

RATE = 48000


def lowpassed_noise(seconds: float, cutoff: float, seed: int, level: float) -> np.ndarray:
    n = int(seconds * RATE)
    spec = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    spec[np.fft.rfftfreq(n, 1 / RATE) > cutoff] = 0
    x = np.fft.irfft(spec, n)
    return x / np.sqrt(np.mean(x**2)) * level


def speech_like(seconds: float, phrases: list[tuple[float, float]], seed: int = 7) -> np.ndarray:
    """Band-limited noise (under 1 kHz) in phrases, modulated like syllables at 4 Hz."""
    t = np.arange(int(seconds * RATE)) / RATE
    voice = lowpassed_noise(seconds, 1000, seed, 0.15) * (0.65 + 0.35 * np.sin(2 * np.pi * 4 * t))
    on = np.zeros_like(t)
    for a, b in phrases:
        on[(t >= a) & (t < b)] = 1
    return voice * on


def decoded(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        data = np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=-1)
    return data


def band_db(x: np.ndarray, start: float, end: float, lo: float, hi: float) -> float:
    seg = x[int(start * RATE) : int(end * RATE)]
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg)))) ** 2
    f = np.fft.rfftfreq(len(seg), 1 / RATE)
    return float(10 * np.log10(spec[(f >= lo) & (f <= hi)].sum() / len(seg) ** 2 + 1e-20))


def rms_db(x: np.ndarray, start: float, end: float) -> float:
    seg = x[int(start * RATE) : int(end * RATE)]
    return float(20 * np.log10(np.sqrt(np.mean(seg**2)) + 1e-12))


@pytest.fixture(scope="module")
def sounds(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sounds")
    t = np.arange(10 * RATE) / RATE
    media.wav(d / "pad.wav", lowpassed_noise(10, 4000, 1, 0.1))
    # percussive: loud short hits over a quiet bed (a crest factor the limiter must handle)
    hits = np.zeros_like(t)
    for k in range(20):
        i = int(k * 0.5 * RATE)
        hits[i : i + 2400] = np.exp(-np.arange(2400) / 300)
    media.wav(d / "drums.wav", 0.9 * hits * np.sign(np.sin(2 * np.pi * 97 * t)) + 0.01 * np.sin(t))
    media.wav(d / "bell.wav", 0.25 * np.sin(2 * np.pi * 3000 * t))  # music alone at 3 kHz
    media.wav(d / "voice.wav", speech_like(8, [(2.0, 4.0), (6.0, 7.5)]))
    media.wav(d / "short.wav", lowpassed_noise(3, 500, 3, 0.2))
    return d


def recipe(folder: Path, sounds: Path, body: str, seconds: float = 6) -> Path:
    for f in sounds.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    head = output(size=(160, 284), duration=seconds)
    return write(folder, head + body + "\n" + title("音", background="#223344", duration=seconds))


def render_with_manifest(path: Path) -> tuple[Path, dict]:
    out = render_one(path)
    return out, manifest_of(out)


@pytest.mark.parametrize(
    ("loudness", "target", "track"),
    [
        ('"web"', -14.0, "pad.wav"),
        ('"ebu"', -23.0, "pad.wav"),
        ('"jp-tv"', -24.0, "pad.wav"),
        ("-16", -16.0, "pad.wav"),
        ('"web"', -14.0, "drums.wav"),  # needs the true-peak limiter
    ],
)
def test_loudness_presets_measure_on_target(tmp_path, sounds, loudness, target, track) -> None:
    path = recipe(
        tmp_path,
        sounds,
        f'loudness = {loudness}\n[music]\ntrack = "{track}"\nfade_out = 0.5\n'
        '[[audio]]\nsrc = "voice.wav"\nstart = 0\n',
    )
    out, manifest = render_with_manifest(path)
    got = measure_file(out)  # FFmpeg's own ebur128 on the delivered AAC
    assert abs(got.integrated - target) <= 0.5, got
    assert got.true_peak <= -1.0, got
    loud = manifest["loudness"]
    assert loud["target_lufs"] == target and loud["within_spec"] is True
    assert loud["integrated_lufs"] == pytest.approx(got.integrated, abs=0.05)
    assert loud["true_peak_dbtp"] == pytest.approx(got.true_peak, abs=0.05)
    if track == "drums.wav":
        assert loud["limited"] is True
    assert {"lra_lu", "mix_before", "gain_db"} <= set(loud)


def test_jp_tv_has_digital_silence_at_head_and_tail(tmp_path, sounds) -> None:
    path = recipe(
        tmp_path,
        sounds,
        'loudness = "jp-tv"\n[music]\ntrack = "pad.wav"\nfade_in = 0\nfade_out = 0\n',
    )
    out, _ = render_with_manifest(path)
    x = decoded(out)
    with av.open(str(out)) as c:
        assert c.streams.audio[0].codec_context.sample_rate == 48000
    frames = 6 * 15
    assert np.abs(x[:, : RATE // 2]).max() == 0.0
    assert np.abs(x[:, int(5.5 * RATE) : 6 * RATE]).max() == 0.0
    assert rms_db(x[0], 1.5, 4.5) > -40  # the programme itself is there
    with av.open(str(out)) as c:
        assert c.streams.video[0].frames == frames  # the picture is not cut


def test_ducking_lowers_music_under_speech_and_returns_between_phrases(tmp_path, sounds) -> None:
    path = recipe(
        tmp_path,
        sounds,
        '[music]\ntrack = "bell.wav"\nfade_in = 0\nfade_out = 0\nduck = -10\n'
        '[[audio]]\nsrc = "voice.wav"\nstart = 0\n',
        seconds=8,
    )
    out, manifest = render_with_manifest(path)
    x = decoded(out)[0]

    def music(a: float, b: float) -> float:
        return band_db(x, a, b, 2800, 3200)  # the voice has nothing above 1 kHz

    before, during1, between, during2 = (
        music(0.5, 1.5),
        music(2.3, 3.7),
        music(5.0, 5.8),
        music(6.3, 7.3),
    )
    assert before - during1 >= 8.0, (before, during1)
    assert before - during2 >= 8.0, (before, during2)
    assert abs(before - between) <= 1.0, (before, between)
    assert before - music(2.0, 2.1) >= 8.0  # looked ahead: down when the first syllable starts
    assert manifest["ducking"]["depth_db"] == -10


def test_ducking_off_leaves_music_alone(tmp_path, sounds) -> None:
    path = recipe(
        tmp_path,
        sounds,
        '[music]\ntrack = "bell.wav"\nfade_in = 0\nfade_out = 0\nduck = 0\n'
        '[[audio]]\nsrc = "voice.wav"\nstart = 0\n',
        seconds=8,
    )
    out, manifest = render_with_manifest(path)
    x = decoded(out)[0]
    assert abs(band_db(x, 0.5, 1.5, 2800, 3200) - band_db(x, 2.3, 3.7, 2800, 3200)) <= 1.0
    assert "ducking" not in manifest


def test_short_music_loops_with_a_seamless_crossfade(tmp_path, sounds) -> None:
    path = recipe(
        tmp_path, sounds, '[music]\ntrack = "short.wav"\nfade_in = 0\nfade_out = 0\n', seconds=8
    )
    out, _ = render_with_manifest(path)
    x = decoded(out)[0]
    assert rms_db(x, 7.0, 7.9) > -30  # still playing at the end: no gap
    # 3 s track, 0.75 s equal-power crossfades: seams at 2.25-3.0 and 4.5-5.25
    for a, b in ((2.25, 3.0), (4.5, 5.25)):
        seam = rms_db(x, a, b)
        around = (rms_db(x, a - 0.75, a) + rms_db(x, b, b + 0.75)) / 2
        assert abs(seam - around) <= 1.0, (a, seam, around)
    step = np.abs(np.diff(x))
    normal = np.percentile(step[int(0.3 * RATE) : int(2.0 * RATE)], 99.99)
    for a, b in ((2.0, 3.2), (4.3, 5.5)):
        assert step[int(a * RATE) : int(b * RATE)].max() <= 1.5 * normal  # no click
