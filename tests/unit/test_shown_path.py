"""Paths in messages are shown one way: relative to the working directory when inside it,
else absolute, whichever way the path was given."""

from __future__ import annotations

from pathlib import Path

import recipes

from cmforge.cli import main
from cmforge.errors import Problem, shown_path


def test_shown_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = tmp_path / "ad" / "clips" / "a.mp4"
    assert shown_path(inside) == "ad/clips/a.mp4"
    assert shown_path("ad/clips/../clips/a.mp4") == "ad/clips/a.mp4"
    assert shown_path(str(inside)) == "ad/clips/a.mp4"
    assert shown_path(tmp_path) == "."
    assert shown_path("../elsewhere/b.mp4") == str(tmp_path.parent / "elsewhere" / "b.mp4")
    assert shown_path(Path("/srv/media/c.mp4")) == "/srv/media/c.mp4"
    where = Problem("no such file", file=inside, key="scenes[1].src", line=7)
    assert str(where) == "ad/clips/a.mp4:7: scenes[1].src: no such file"
    assert str(Problem("bad value", file="--set output.fps=abc")).startswith("--set output.fps")


def test_messages_name_paths_the_same_way(tmp_path: Path, monkeypatch, capsys) -> None:
    """validate's problem, render's output, variants, init: relative inside the working
    directory, absolute outside it."""
    text = recipes.output(fps=10) + recipes.scene("image", src="missing.png", duration=1.0)
    path = recipes.write(tmp_path / "ad", text, "r.toml")
    monkeypatch.chdir(tmp_path)
    for given in (str(path), "ad/r.toml", "./ad/../ad/r.toml"):
        assert main(["validate", given]) == 2
        err = capsys.readouterr().err
        assert "  ad/r.toml:" in err and str(tmp_path) not in err, err
    monkeypatch.chdir(tmp_path / "ad")
    assert main(["variants", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "r.toml: 1 variant",
        "r",
        "    -> out/r.mp4  180x320",
    ]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["validate", "../ad/r.toml"]) == 2
    assert f"  {tmp_path}/ad/r.toml:" in capsys.readouterr().err
    assert main(["init", "new"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "new/school-ad.toml\n"
    assert "next: cmforge render new/school-ad.toml" in captured.err
    assert main(["init", str(elsewhere / "new")]) == 2  # given in full, shown relative
    assert capsys.readouterr().err.startswith("cmforge: new/school-ad.toml already exists")
