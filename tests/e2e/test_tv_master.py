"""The Japanese TV commercial master: `render --deliver jp-tv-cm` writes it from a template and
an independent reading (FFmpeg's own stream report, PyAV, ebur128 on the CM part) agrees;
`check --standard jp-tv-cm` passes it, and fails each deliberately wrong master (built here
with FFmpeg alone, small and with a short leader) on exactly its line."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from cmforge.cli import main
from cmforge.delivery.tvmaster import SPEC, code_problem, frames_tc, tc_frames
from cmforge.delivery.tvmaster_check import check_master
from cmforge.media.ffmpeg import ffmpeg_binary

pytestmark = pytest.mark.e2e

FF = ffmpeg_binary()
# a short master: 384x216, bars 0.5 s, card 0.2 s, holds 0.3 s, a 1 s CM with 3 silent frames
SHORT = replace(
    SPEC, width=384, height=216, bars=15, card=6, hold=9, tail=9, lengths=(30,), edge_silent=3
)


def _stderr(*args: str) -> str:
    return subprocess.run([FF, "-hide_banner", *args], capture_output=True, text=True).stderr


def test_template_master_read_independently(tmp_path, capsys) -> None:
    """The 15 s school-ad template, landscape and small for the web, mastered for TV."""
    assert main(["init", "--template", "school-ad", str(tmp_path / "p")]) == 0
    recipe = tmp_path / "p" / "school-ad.toml"
    code = main(
        ["render", str(recipe), "--variant", "a-results", "--set", "output.size=[160,90]"]
        + ["--deliver", "jp-tv-cm", "--cm-code", "SK01", "--quiet"]
    )
    assert code == 0
    printed = capsys.readouterr().out.split()
    web = tmp_path / "p" / "out" / "a-results.mp4"
    master = next(Path(tmp_path / "p" / p) for p in printed if p.endswith(".mxf"))
    assert web.exists(), "the web file still renders"
    with av.open(str(web)) as c:
        assert (c.streams.video[0].width, c.streams.video[0].height) == (160, 90)
    assert re.fullmatch(r"SK01[0-9A-HJ-NP-Z]{6}\.mxf", master.name), master.name

    # FFmpeg's own report of the file: OP1a, MPEG-2 4:2:2, TFF, 29.97, DF timecode, LPCM 24
    info = _stderr("-i", str(master))
    assert "operational_pattern_ul: 060e2b34.04010101.0d010201.01010900" in info
    assert re.search(r"Video: mpeg2video \(4:2:2\), yuv422p\(tv, bt709[^,]*, top first\)", info)
    assert "1920x1080 [SAR 1:1 DAR 16:9], 50000 kb/s, 29.97 fps" in info
    assert "timecode        : 00:59:50;00" in info
    assert f"material_package_name: {master.stem}" in info
    assert len(re.findall(r"Audio: pcm_s24le, 48000 Hz, mono", info)) == 2
    with av.open(str(master)) as c:
        frames = sum(1 for p in c.demux(c.streams.video[0]) if p.size)
    with av.open(str(master)) as c:
        assert next(c.decode(video=0)).interlaced_frame
    assert frames == 150 + 60 + 90 + 450 + 90
    # 01:00:00;00 is frame 300 of a file starting 00:59:50;00 (drop-frame arithmetic)
    assert tc_frames("01:00:00;00") - tc_frames("00:59:50;00") == 300
    # ebur128 over the CM's 450 frames only (frame 300 .. 750), and its first/last 15 frames
    t0, t1 = 300 * 1001 / 30000, 750 * 1001 / 30000
    log = _stderr(
        "-i", str(master), "-filter_complex",
        f"[0:a:0][0:a:1]amerge,atrim={t0}:{t1},ebur128", "-f", "null", "-",
    )  # fmt: skip
    lkfs = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", log)[-1])
    assert abs(lkfs + 24) <= 1
    side = json.loads(master.with_suffix(".json").read_text())
    assert side["loudness_lkfs"] == round(lkfs, 1), "the card and sidecar say what was measured"
    assert side["timecode"]["cm_in"] == "01:00:00;00" and side["cm_frames"] == 450
    pcm = _pcm(master)
    edge = round(48000 * 15 * 1001 / 30000)
    start, end = round(48000 * t0), round(48000 * t1)
    assert np.abs(pcm[start : start + edge]).max() < 10 ** (-90 / 20)
    assert np.abs(pcm[end - edge : end]).max() < 10 ** (-90 / 20)
    assert np.abs(pcm[start + edge : end - edge]).max() > 0.01, "the CM has its sound"
    assert master.with_name(master.stem + "-summary.png").exists()
    assert side["check"] == {"ok": True, "failures": []}, "check's rules passed it before delivery"


def _pcm(path: Path) -> np.ndarray:
    raw = subprocess.run(
        [FF, "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "f32le", "-"],
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.float32)


def _make(out: Path, bad: str = "") -> Path:
    """A short master built with FFmpeg alone, right in every way but `bad`."""
    rate = "30" if bad == "frame rate" else "30000/1001"
    bars, card, tone = 15, 6, 12 if bad == "bars and tone" else 15
    cm = 29 if bad == "CM length" else 30
    s = "384x216"
    card_colour = "black" if bad == "credit card" else "0x304050"
    fade = ",fade=t=in:s=0:n=10" if bad == "CM edges" else ""
    tail = "stop_mode=add:color=black" if bad == "last picture held" else "stop_mode=clone"
    head = "start_mode=add:color=gray" if bad == "first picture held" else "start_mode=clone"
    field = "bff" if bad == "field order" else "tff"
    pix = "yuv420p" if bad == "chroma" else "yuv422p"
    sec = 1001 / 30000
    amp = 0.025 if bad == "loudness" else 0.075
    edges = (
        ""
        if bad == "edge silence"
        else (f",afade=t=in:st={3 * sec}:d=0.1,afade=t=out:st={(cm - 3) * sec - 0.1}:d=0.1")
    )
    n = lambda f: round(48000 * f * sec)  # noqa: E731
    graph = ";".join(
        [
            f"smptehdbars=s={s}:r={rate},trim=end_frame={bars}[b]",
            f"color=c={card_colour}:s={s}:r={rate},"
            + ("" if bad == "credit card" else "drawbox=x=40:y=40:w=200:h=40:c=white:t=fill,")
            + f"trim=end_frame={card}[c]",
            f"testsrc2=s={s}:r={rate},trim=end_frame={cm}{fade},"
            f"tpad=start=9:stop=9:{head}:{tail}[m]",
            f"[b][c][m]concat=n=3,setfield={field},format={pix}[v]",
            f"aevalsrc=0.1*sin(2*PI*1000*t)|0.1*sin(2*PI*1000*t):s=48000,atrim=end_sample={n(tone)}[t]",
            f"aevalsrc=0|0:s=48000,atrim=end_sample={n(bars - tone + card + 9)}[g]",
            f"aevalsrc={amp}*sin(2*PI*500*t)|{amp}*sin(2*PI*500*t):s=48000,"
            f"atrim=end_sample={n(cm)}{edges}[p]",
            f"aevalsrc=0|0:s=48000,atrim=end_sample={n(9)}[e]",
            "[t][g][p][e]concat=n=4:v=0:a=1,channelsplit[L][R]",
        ]
    )
    bitrate = "25M" if bad == "video codec" else "50M"
    # Matroska keeps the field order, timecode and CM code tags, so only the container is wrong
    fmt = ["-metadata", "timecode=00:59:59;00", "-f", "matroska"] if bad == "container" else []
    argv = [
        FF, "-v", "error", "-y", "-filter_complex", graph, "-map", "[v]", "-map", "[L]",
        "-map", "[R]", "-c:v", "mpeg2video", "-profile:v", "0", "-level:v", "2",
        "-b:v", bitrate, "-minrate", bitrate, "-maxrate", bitrate, "-bufsize", "17825792",
        "-g", "12", "-bf", "2", "-flags", "+ilme+ildct", "-field_order", field[0] * 2,
        "-c:a", "pcm_s16le" if bad == "sound format" else "pcm_s24le",
        "-timecode", "00:59:59:00" if bad == "timecode" else "00:59:59;00",
        "-metadata", f"material_package_name=AB12CD345{'O' if bad == 'CM code' else '6'}",
        *(fmt or ["-f", "mxf"]), str(out),
    ]  # fmt: skip
    subprocess.run(argv, check=True)
    return out


def test_short_master_passes_every_line(tmp_path) -> None:
    report = check_master(_make(tmp_path / "good.mxf"), SHORT)
    assert [x.name for x in report.failures] == []
    assert SHORT.start_timecode == "00:59:59;00"


WRONG = [
    "container",
    "video codec",
    "chroma",
    "field order",
    "frame rate",
    "timecode",
    "sound format",
    "bars and tone",
    "credit card",
    "first picture held",
    "CM length",
    "last picture held",
    "edge silence",
    "loudness",
    "CM edges",
    "CM code",
]


@pytest.mark.parametrize("bad", WRONG)
def test_wrong_master_fails_exactly_its_line(tmp_path, bad: str) -> None:
    path = _make(tmp_path / ("bad.mkv" if bad == "container" else "bad.mxf"), bad)
    report = check_master(path, SHORT)
    assert [x.name for x in report.failures] == [bad], report.lines


def test_check_cli_reports_the_table(tmp_path, capsys) -> None:
    """The real standard on a short file: the table, exit 1, the length line named."""
    path = _make(tmp_path / "short.mxf")
    assert main(["check", str(path), "--standard", "jp-tv-cm"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  CM length" in out and "(jp-tv-cm)" in out
    assert main(["check", str(path), "--standard", "jp-tv-cm", "--json"]) == 1
    entry = json.loads(capsys.readouterr().out)[0]
    assert entry["standard"] == "jp-tv-cm" and "CM length" in entry["failures"]
    assert entry["facts"]["timecode"] == "00:59:59;00"
    assert "CM edges" in entry["failures"], "no CM where 01:00:00;00 says: its edges fail too"
    assert main(["check", str(tmp_path / "none.mxf"), "--standard", "jp-tv-cm"]) == 2


def test_cm_codes_and_drop_frame() -> None:
    assert code_problem("AB12CD3456") == ""
    assert "no I or O" in code_problem("AB12CD345O")
    assert "10" in code_problem("AB12")
    assert frames_tc(tc_frames("00:59:50;00") + 300) == "01:00:00;00"
    assert frames_tc(1800) == "00:01:00;02"  # frames 0 and 1 dropped at minute 1
    assert frames_tc(17982) == "00:10:00;00"  # not at minute 10


def _project(tmp_path: Path) -> Path:
    assert main(["init", "--template", "school-ad", str(tmp_path / "p")]) == 0
    return tmp_path / "p" / "school-ad.toml"


def test_bad_delivery_input_is_refused_before_rendering(tmp_path, capsys) -> None:
    recipe = _project(tmp_path)
    # a vertical recipe: each variant named with its line and a hint; nothing rendered
    assert main(["render", str(recipe), "--deliver", "jp-tv-cm"]) == 2
    err = capsys.readouterr().err
    assert "school-ad.toml:6: output.format: --deliver jp-tv-cm: a TV master is 16:9" in err
    assert 'hint: set output.format = "landscape"' in err
    assert not (recipe.parent / "out").exists()
    small = ["--set", "output.size=[160,90]"]
    assert main(["render", str(recipe), *small, "--deliver", "jp-tv-cm", "--cm-code", "SKO1"]) == 2
    assert "--cm-code: 'SKO1' has 'O': only capitals and digits, no I or O" in (
        capsys.readouterr().err
    )
    # one 10-character code for two materials
    code = ["--cm-code", "SK01ABCDEF"]
    assert main(["render", str(recipe), *small, "--deliver", "jp-tv-cm", *code]) == 2
    assert "would share the CM code SK01ABCDEF" in capsys.readouterr().err
    in_recipe = [*small, "--set", "output.deliver=jp-tv-cm", "--set", "output.cm_code=SK01ABCDEF"]
    assert main(["render", str(recipe), *in_recipe]) == 2
    assert "output.cm_code: variants 'a-results' and 'b-free' would share" in (
        capsys.readouterr().err
    )
    # in the recipe: output.deliver and a bad output.cm_code, said by validate too
    sets = [*small, "--set", "output.deliver=jp-tv-cm", "--set", "output.cm_code=AB1"]
    assert main(["validate", str(recipe), *sets, "--set", "output.duration=14"]) == 2
    err = capsys.readouterr().err
    assert "output.cm_code: 'AB1' has 3 characters" in err
    assert "a TV commercial is exactly 15 or 30 s; this is 14" in err


def test_codes_differ_per_material(tmp_path) -> None:
    """Derived codes: the advertiser's 4 characters, then 6 that differ per variant, format and
    length; the same material always gets the same code."""
    import argparse

    from cmforge import load_recipe
    from cmforge.cli.deliver import plan_codes

    recipe = _project(tmp_path)
    args = argparse.Namespace(deliver="jp-tv-cm", cm_code="SK01")
    sets = ["output.size=[160,90]"]
    codes = plan_codes(args, load_recipe(recipe, sets=sets))
    assert len(set(codes.values())) == 2 and all(c.startswith("SK01") for c in codes.values())
    assert codes == plan_codes(args, load_recipe(recipe, sets=sets))
    longer = plan_codes(args, load_recipe(recipe, sets=[*sets, "output.duration=30"]))
    wider = plan_codes(args, load_recipe(recipe, sets=["output.size=[640,360]"]))
    assert not set(longer.values()) & set(codes.values())
    assert not set(wider.values()) & set(codes.values())
    no_code = argparse.Namespace(deliver="jp-tv-cm", cm_code=None)
    derived = plan_codes(no_code, load_recipe(recipe, sets=sets))
    assert all(not code_problem(c) for c in derived.values())
