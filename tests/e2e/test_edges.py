"""Edges a professional tool must get right: surround sound, a user's own FFmpeg, bugs."""

from __future__ import annotations

import os
import stat

import media
from look import audio_rms
from recipes import output, scene, title

import cmforge
from cmforge.cli import main

SMALL = output(path=None)


def test_surround_downmix_keeps_the_centre(project) -> None:
    d = project.folder
    media.ff(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=96x160:rate=15:duration=1",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=500:sample_rate=48000:duration=1,pan=5.1|FC=c0",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        str(d / "dialog51.mp4"),
    )
    assert (
        main(
            [
                "render",
                str(project(SMALL + scene("clip", src="dialog51.mp4"))),
                "--quiet",
            ]
        )
        == 0
    )
    assert audio_rms(d / "out" / "recipe.mp4", 0.2, 0.8) > 0.05, "dialogue in the centre is kept"


def test_own_ffmpeg_is_checked(project, monkeypatch, capsys) -> None:
    fake = project.folder / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'ffmpeg version 0.0-fake'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("CMFORGE_FFMPEG", str(fake))
    path = project(SMALL + title(None, duration=0.5))
    assert main(["render", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(fake) in err and "encoder libx264" in err and "filter xfade" in err
    assert "CMFORGE_FFMPEG" in err


def test_a_bug_prints_a_short_message(project, monkeypatch, capsys) -> None:
    path = project(SMALL + title(None, duration=0.5))

    def boom(*_a, **_k):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("cmforge.batch.executors.render", boom)  # what renders each variant
    assert main(["render", str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        "internal error" in err
        and "report it" in err
        and "--debug" in err
        and "Traceback" not in err
    )
    assert main(["--debug", "render", str(path)]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_public_api_is_explicit() -> None:
    assert sorted(cmforge.__all__) == sorted(
        [
            "CmforgeError",
            "Plan",
            "Problem",
            "Recipe",
            "RecipeError",
            "RenderError",
            "__version__",
            "load_recipe",
            "plan",
            "render",
        ]
    )
    for name in cmforge.__all__:
        assert hasattr(cmforge, name)


def test_progress_display_modes() -> None:
    import io

    from cmforge.cli.progress import ProgressDisplay

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, plain, quiet = Tty(), io.StringIO(), io.StringIO()
    os.environ.pop("NO_COLOR", None)
    for stream, q in ((tty, False), (plain, False), (quiet, True)):
        bar = ProgressDisplay("a", stream=stream, quiet=q)
        for done in range(0, 101, 25):
            bar(done, 100)
        bar.finish()
    assert "\r" in tty.getvalue() and "\x1b[" in tty.getvalue() and "ETA" in tty.getvalue()
    assert "\r" not in plain.getvalue() and "100%" in plain.getvalue()
    assert quiet.getvalue() == ""
    os.environ["NO_COLOR"] = "1"
    try:
        tty2 = Tty()
        ProgressDisplay("a", stream=tty2)(50, 100)
        assert "\x1b[" not in tty2.getvalue()
    finally:
        del os.environ["NO_COLOR"]
