"""`cmforge check --platform`: a platform's delivery rules on real files, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from media import ff

from cmforge.cli import main
from cmforge.delivery.check import check_video

BT709 = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
BT709 += ["-color_range", "tv"]
SETPARAMS = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"


def make(path: Path, size: str, dur: float, audio: bool) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={dur}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=997:sample_rate=48000:duration={dur}"]
        args += ["-af", "volume=7.1dB", "-ac", "2", "-c:a", "aac", "-b:a", "192k"]
    args += ["-vf", SETPARAMS, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    args += BT709
    ff(*args, str(path))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("platform")
    return {
        "tiktok-ok": make(folder / "ok.mp4", "540x960", 5, True),
        "tiny": make(folder / "tiny.mp4", "160x284", 2, False),
    }


def test_a_file_made_for_tiktok_passes_its_rules(files) -> None:
    report = check_video(files["tiktok-ok"], "web", platforms=("tiktok",))
    mine = [x for x in report.lines if x.name.startswith("tiktok ")]
    assert [x.name for x in mine] == [
        "tiktok size",
        "tiktok frame rate",
        "tiktok length",
        "tiktok file size",
        "tiktok bitrate",
        "tiktok sound",
    ]
    assert all(x.ok for x in mine), mine
    assert mine[0].value == "540x960 (9:16)" and mine[2].value == "5.000 s"
    assert report.facts.audio_kbps > 150 and report.facts.file_bytes > 0


def test_cli_adds_each_platforms_rules_and_fails_on_them(files, capsys) -> None:
    tiny = str(files["tiny"])
    assert main(["check", tiny, "--platform", "tiktok,shorts", "--json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["platforms"] == ["tiktok", "shorts"]
    fails = set(report["failures"])
    assert {"tiktok size", "tiktok length", "tiktok sound", "shorts size", "shorts length"} <= fails
    assert "shorts sound" not in fails  # sound is optional on YouTube
    assert main(["check", str(files["tiktok-ok"]), "--platform", "tiktok"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("(web, tiktok)")
    assert "  PASS  tiktok length" in out and "5-60 s" in out
    assert out.rstrip().endswith("checks passed for web, tiktok")


def test_cli_unknown_platform_is_a_usage_error(files, capsys) -> None:
    with pytest.raises(SystemExit) as e:
        main(["check", str(files["tiny"]), "--platform", "tiktak"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "'tiktak' is not a platform (did you mean 'tiktok'?)" in err and "Traceback" not in err
