"""Every bad input gets a clear message (file, key, line, hint), exit code 2, no traceback,
and nothing written. One fixture file per bad input in tests/broken/: its first line says
what the message names (`# expect: KEY | TEXT`); a `# args: ...` line gives command-line
options, and a KEY that is an option (`--set x=1`) is named instead of a file and line."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from cmforge.cli import main

BROKEN = Path(__file__).resolve().parents[1] / "broken"
CASES = sorted(BROKEN.glob("*.toml"))


def expectation(path: Path) -> tuple[str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    key, text = re.match(r"# expect:\s*(.*?)\s*\|\s*(.*)", first).groups()
    return key.strip(), text.strip()


def options(path: Path) -> list[str]:
    """The command-line options of a `# args: ...` line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# args:"):
            return shlex.split(line.removeprefix("# args:"))
    return []


@pytest.mark.parametrize("recipe", CASES, ids=[c.stem for c in CASES])
def test_broken_recipe_is_explained(recipe: Path, tmp_path: Path, capsys) -> None:
    shutil.copytree(BROKEN, tmp_path / "p")
    path = tmp_path / "p" / recipe.name
    key, text = expectation(recipe)
    for command in ("validate", "render"):
        assert main([command, str(path), *options(recipe)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert text in err, err
        if key.startswith("--"):  # a problem of the command line names the option
            assert f"  {key}: " in err, err
            assert str(path) not in err, "names no recipe line"
            continue
        assert str(path) in err, "names the file"
        if key:
            assert f": {key}: " in err, err
        assert re.search(rf"{re.escape(str(path))}:\d+", err), "names the line"
    assert not (tmp_path / "p" / "out").exists(), "nothing written"


def test_all_problems_reported_together(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[output]\nfps = "x"\n[[scenes]]\ntype = "title"\nduration = -1\n'
        '[[scenes]]\ntype = "nope"\n',
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "3 problems" in err
    assert "output.fps" in err and "scenes[0].duration" in err and "scenes[1].type" in err
