"""`cmforge check`: a good file passes each standard; each bad file fails exactly its line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from media import ff

from cmforge.cli import main
from cmforge.cli.check import table, wants_colour
from cmforge.delivery.check import check_video
from cmforge.media.ffmpeg import ffmpeg_binary
from cmforge.media.loudness import measure_args, run_measure

TAGS = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
TAGS += ["-color_range", "tv"]
BT709 = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"


def tone(dur: float = 2.0, rate: int = 48000, layout: str = "stereo", head: float = 0) -> str:
    """A 997 Hz tone; with head, digital silence for `head` seconds at both ends."""
    chain = f"sine=frequency=997:sample_rate={rate}:duration={dur},aformat=channel_layouts={layout}"
    if head:
        chain += f",afade=t=in:st={head}:d=0.05,afade=t=out:st={dur - 0.75 - 0.05}:d=0.05"
    return chain


def at(chain: str, target: float) -> str:
    """The chain turned up or down to `target` LUFS, by a gain computed from a measurement."""
    m = run_measure(measure_args(ffmpeg_binary(), ["-f", "lavfi", "-i", chain], None, None))
    return f"{chain},volume={target - m.integrated:.2f}dB"


def sound(chain: Callable[[], str] | None) -> dict:
    return {"audio": chain}


def jp(head: float = 0.75, rate: int = 48000) -> dict:
    """4 s at -24 LKFS, silent for `head` seconds at the start and 0.75 s at the end
    (not 3 s: FFmpeg gives a loudness range of 20 LU for exactly one short-term block)."""
    return {"dur": 4, "audio": lambda: at(tone(4, rate, head=head), -24)}


# a tone at -14 LUFS peaking at 0 dBFS for 3 ms every half second
CLICK = "0.2*sin(2*PI*997*t)+0.8*sin(2*PI*997*t)*lt(mod(t,0.5),0.003)"
CLICKS = f"aevalsrc='{CLICK}|{CLICK}':s=48000:d=2"
VFR = f"select='not(between(n,20,40)*mod(n,2))',{BT709}"  # every other frame dropped for 0.7 s
BLACK_GAP = f"drawbox=enable='between(t,0.6,1.4)':c=black:t=fill,{BT709}"

# name: (standard, the lines that must fail, how to make the file)
CASES: dict[str, tuple[str, set[str], dict]] = {
    "good-web": ("web", set(), {}),
    "good-ebu": ("ebu", set(), sound(lambda: at(tone(), -23))),
    "good-jp": ("jp-tv", set(), jp()),
    "too-loud": ("web", {"loudness"}, sound(lambda: at(tone(), -9))),
    "clipped": ("web", {"true peak"}, sound(lambda: CLICKS)),
    "44k-jp": ("jp-tv", {"sample rate"}, jp(rate=44100)),
    "mono": ("web", {"channels"}, sound(lambda: at(tone(layout="mono"), -14))),
    "yuv444p": ("web", {"pixel format"}, {"pix": "yuv444p"}),
    "untagged": ("web", {"colour"}, {"vf": "null", "tags": []}),
    "vfr": ("web", {"frame rate"}, {"vf": VFR, "extra": ("-fps_mode", "passthrough")}),
    "black-gap": ("web", {"black"}, {"vf": BLACK_GAP}),
    "short-audio": ("web", {"a/v length"}, sound(lambda: at(tone(1.5), -14))),
    "no-audio": ("web", {"audio"}, sound(None)),
    "sound-at-head": ("jp-tv", {"head silence"}, jp(head=0.2)),
}


def make(
    path: Path,
    dur: float = 2,
    audio: Callable[[], str] | None = lambda: at(tone(), -14),
    vf: str = BT709,
    tags: list[str] = TAGS,
    pix: str = "yuv420p",
    extra: tuple[str, ...] = (),
) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc2=size=160x284:rate=30:duration={dur}"]
    if audio:
        args += ["-f", "lavfi", "-i", audio(), "-c:a", "aac", "-b:a", "160k"]
    args += ["-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix, *tags]
    ff(*args, *extra, str(path))
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """clip(name) -> the path of that case's video, made on first use (so that each xdist
    worker makes only the clips its tests need)."""
    folder, made = tmp_path_factory.mktemp("check"), {}

    def get(name: str) -> Path:
        if name not in made:
            made[name] = make(folder / f"{name}.mp4", **CASES[name][2])
        return made[name]

    return get


@pytest.mark.parametrize("name", list(CASES))
def test_each_file_fails_exactly_its_line(clip, name: str) -> None:
    standard, failing, _ = CASES[name]
    report = check_video(clip(name), standard)
    assert {line.name for line in report.failures} == failing, report.lines
    by_name = {line.name: line for line in report.lines}
    if name.startswith("good"):
        assert by_name["loudness"].ok and by_name["true peak"].ok
        want = {"good-web": -14, "good-ebu": -23, "good-jp": -24}[name]
        assert abs(report.facts.loudness.integrated - want) <= 0.3
        assert report.facts.loudness.lra < 5
    if name == "good-jp":
        assert by_name["head silence"].value == "first 0.75 s silent"
        assert by_name["tail silence"].value == "last 0.75 s silent"
    if name == "too-loud":
        assert by_name["loudness"].note.startswith("too loud by 5.")
    if name == "vfr":
        assert by_name["frame rate"].value == "variable, 15-30 fps"
    if name == "black-gap":
        assert by_name["black"].value.startswith("0.60-1.4")
    if name == "short-audio":
        assert by_name["a/v length"].value == "-0.500 s"
    if name == "no-audio":
        assert len(report.lines) == 9  # no sound lines beyond the failing 'audio'


def test_web_reports_edges_it_does_not_require(clip) -> None:
    by_name = {line.name: line for line in check_video(clip("good-web"), "web").lines}
    assert by_name["head silence"].value == "sound at the very start"
    assert by_name["head silence"].ok and by_name["head silence"].expected == "reported only"


def test_cli_table_and_exit_0(clip, capsys) -> None:
    assert main(["check", str(clip("good-web"))]) == 0
    out = capsys.readouterr().out
    assert "  PASS  resolution      160x284" in out
    assert "  PASS  loudness        -14.0 LUFS" in out and "-14 ±1 LUFS" in out
    assert out.rstrip().splitlines()[-1] == "PASS: all 17 checks passed for web"
    assert "\x1b[" not in out, "no colour when not a terminal"


def test_cli_json_and_exit_1(clip, capsys) -> None:
    assert main(["check", str(clip("too-loud")), "--json"]) == 1
    [report] = json.loads(capsys.readouterr().out)  # a list, however many files
    assert report["ok"] is False and report["failures"] == ["loudness"]
    assert report["standard"] == "web" and report["facts"]["audio_rate"] == 48000
    assert -10 < report["facts"]["loudness"]["integrated_lufs"] < -8
    assert set(report["lines"][0]) == {"name", "value", "expected", "ok", "note"}


def test_cli_size_format_and_duration(clip, capsys) -> None:
    path = str(clip("good-web"))
    assert main(["check", path, "--size", "160x284", "--duration", "2"]) == 0
    assert main(["check", path, "--format", "vertical", "--duration", "2.5", "--json"]) == 1
    out = capsys.readouterr().out
    [report] = json.loads(out[out.index("[") :])
    assert report["failures"] == ["resolution", "frames", "duration"]
    assert report["lines"][0]["expected"] == "1080x1920"


def test_cli_exit_2_for_missing_or_not_a_video(tmp_path: Path, capsys) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video", encoding="utf-8")
    sound = tmp_path / "tone.m4a"
    ff("-f", "lavfi", "-i", tone(0.5), "-c:a", "aac", str(sound))
    for path, why in (
        (tmp_path / "missing.mp4", "file not found"),
        (text, "not a video (FFmpeg cannot read it)"),
        (sound, "not a video (no video stream)"),
    ):
        assert main(["check", str(path), "--json"]) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert captured.err.strip() == f"cmforge: {path}: {why}"
        assert json.loads(captured.out) == [
            {"file": str(path), "ok": False, "error": f"{path}: {why}"}
        ]


def test_several_files_a_table_each_a_summary_and_the_worst_exit(
    clip, tmp_path: Path, capsys, monkeypatch
) -> None:
    """check a.mp4 b.mp4 'dir/*.mp4': every file checked (a missing one does not stop the
    others), a table each, a summary naming the failures, exit code the worst of them."""
    good, loud = clip("good-web"), clip("too-loud")
    monkeypatch.chdir(good.parent)  # paths are shown relative to the working directory
    assert main(["check", "good-web.mp4", str(loud)]) == 1
    out = capsys.readouterr().out
    assert out.count("(web)\n") == 2 and out.startswith("good-web.mp4 (web)\n")
    assert out.rstrip().splitlines()[-2:] == [
        "FAIL: 2 files checked: 1 passed, 1 failed",
        "  FAIL  too-loud.mp4: loudness",
    ]
    assert main(["check", "good-web.mp4", "good-web.mp4"]) == 0  # named twice: checked once
    assert "files checked" not in capsys.readouterr().out
    assert main(["check", "*-web.mp4", "missing.mp4", "--json"]) == 2  # a quoted pattern
    captured = capsys.readouterr()
    assert [(e["file"], e["ok"]) for e in json.loads(captured.out)] == [
        ("good-web.mp4", True),
        ("missing.mp4", False),
    ]
    assert captured.err.strip() == "cmforge: missing.mp4: file not found"
    assert main(["check", "good-web.mp4", "nothing-*.mp4"]) == 2
    assert capsys.readouterr().out.rstrip().splitlines()[-2:] == [
        "FAIL: 2 files checked: 1 passed, 1 could not be checked",
        "  ----  nothing-*.mp4: not checked",
    ]


def test_colour_only_on_a_terminal_without_no_color(clip, monkeypatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_colour(Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Terminal())
    report = check_video(clip("mono"), "web")
    assert "\x1b[31mFAIL\x1b[0m  channels" in table(report, colour=True)
