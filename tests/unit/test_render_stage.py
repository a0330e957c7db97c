"""Tier 1: the render stage (cmforge/render/) on its own: the concat list it writes, a plan it
refuses, and the layers it keeps to (it never reaches up into the pipeline, a batch or the
command line). Whole renders: tests/e2e/test_render.py."""

from __future__ import annotations

import ast
from pathlib import Path

import media
import pytest
from recipes import load_one, output, scene, write

import cmforge
from cmforge import plan
from cmforge.errors import RenderError
from cmforge.render import render_plan
from cmforge.render.mux import concat_list

SRC = Path(cmforge.__file__).parent
ABOVE_RENDER = ("pipeline", "batch", "executors", "storyboard", "contact", "cli")


def test_the_concat_list_quotes_every_file_name() -> None:
    listing = concat_list([Path("/a/it's [x].mp4"), Path("/b/c.mp4")])
    assert listing == "file '/a/it'\\''s [x].mp4'\nfile '/b/c.mp4'\n"


def test_a_plan_with_clips_still_to_generate_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    media.still(tmp_path / "student.png", (200, 300))
    text = output() + scene("clip", duration=1.0)
    text += '  [scenes.generate]\n  image = "student.png"\n  prompt = "a hand goes up"\n'
    p = plan(load_one(write(tmp_path, text)))
    assert p.generation
    with pytest.raises(RenderError, match="not generated yet"):
        render_plan(p)
    assert not p.output.parent.exists()


def _imported(path: Path) -> set[str]:
    """The cmforge modules a module imports, as dotted names below cmforge."""
    package = path.relative_to(SRC).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1])
            module = ".".join(filter(None, (base, node.module)))
        elif (node.module or "").startswith("cmforge."):
            module = node.module.removeprefix("cmforge.")
        else:
            continue
        found.add(module)
        if node.module is None:  # from .. import atomic: the names are modules
            found.update(".".join(filter(None, (module, a.name))) for a in node.names)
    return found


def _above(module: str) -> bool:
    return any(module == top or module.startswith(top + ".") for top in ABOVE_RENDER)


def test_the_render_stage_imports_nothing_above_it() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(filter(_above, _imported(path)))
        for path in sorted((SRC / "render").glob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    seen = _imported(SRC / "render" / "segments.py")  # the walk sees every kind of import
    assert {"render.plan", "render.cache", "atomic", "compile"} <= seen
