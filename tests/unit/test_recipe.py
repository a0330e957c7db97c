"""Tier 1: loading and checking recipes on plain data (no FFmpeg)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from cmforge import RecipeError, load_recipe
from cmforge.recipe.load import scan_lines

BASE = """
version = 1
[output]
format = "square"
fps = 30
[vars]
headline = "Hello"
[[scenes]]
type = "title"
text = "{{headline}}"
background = "#1d3557"
duration = 2.0
[[scenes]]
type = "title"
text = "two"
duration = 1.5
transition = { type = "fade", duration = 0.5 }
"""


def problems(path) -> list:
    with pytest.raises(RecipeError) as e:
        load_recipe(path)
    return e.value.problems


def test_loads_vars_and_defaults(project) -> None:
    [r] = load_recipe(project(BASE))
    assert r.variant == "recipe"
    assert r.output.width == r.output.height == 1080
    assert r.output.fps == Fraction(30)
    assert r.scenes[0].text == "Hello"
    assert r.scenes[0].background.colors[0][:3] == (0x1D, 0x35, 0x57)
    assert r.scenes[1].transition.type == "fade"
    assert r.output.path == project.folder / "out" / "recipe.mp4"


def test_variants_override_vars_and_tables(project) -> None:
    text = (
        BASE
        + """
[[variants]]
name = "a"
[[variants]]
name = "b"
vars = { headline = "今なら入塾金 0円" }
output = { format = "vertical" }
"""
    )
    a, b = load_recipe(project(text))
    assert (a.variant, a.scenes[0].text, a.output.height) == ("a", "Hello", 1080)
    assert (b.variant, b.scenes[0].text, b.output.height) == ("b", "今なら入塾金 0円", 1920)
    assert b.output.fps == Fraction(30)  # the rest of [output] is kept
    [only_b] = load_recipe(project(text), variants=["b*"])
    assert only_b.variant == "b"


def test_set_overrides_vars_and_keys(project) -> None:
    [r] = load_recipe(project(BASE), sets=["headline=Set!", "output.fps=24"])
    assert r.scenes[0].text == "Set!"
    assert r.output.fps == Fraction(24)


def test_all_problems_at_once_with_lines(project) -> None:
    text = (
        BASE.replace("duration = 2.0", "duraton = 2.0")
        .replace('text = "two"', 'text = "{{nope}}"')
        .replace('type = "fade"', 'type = "fadee"')
    )
    found = problems(project(text))
    by_key = {p.key: p for p in found}
    assert "scenes[0].duraton" in by_key
    assert "did you mean 'duration'" in by_key["scenes[0].duraton"].hint
    assert by_key["scenes[0].duraton"].line == 12
    assert "scenes[1].transition.type" in by_key
    assert "'fade'" in by_key["scenes[1].transition.type"].hint


def test_undefined_var_named(project) -> None:
    found = problems(project(BASE.replace('text = "two"', 'text = "{{nope}}"')))
    [p] = found
    assert p.key == "scenes[1].text" and "{{nope}}" in p.message and p.line == 15


def test_syntax_error_line_and_column(project) -> None:
    [p] = problems(project(BASE.replace("fps = 30", "fps = = 30")))
    assert p.line == 5 and p.column and "TOML syntax" in p.message


def test_output_path_escaping_is_refused(project) -> None:
    [p] = problems(project(BASE.replace("fps = 30", 'fps = 30\npath = "../x.mp4"')))
    assert p.key == "output.path" and "outside" in p.message
    [r] = load_recipe(
        project(BASE.replace("fps = 30", 'fps = 30\npath = "../x.mp4"')),
        output_dir=project.folder / "elsewhere",
    )
    assert r.output.path.parent.name == "elsewhere"


def test_unknown_scene_type_lists_types(project) -> None:
    [p] = problems(
        project(BASE.replace('type = "title"\ntext = "two"', 'type = "titel"\ntext = "two"'))
    )
    assert "unknown scene type" in p.message and "'title'" in p.hint


def test_line_map_for_arrays_of_tables() -> None:
    lines = scan_lines(
        '[[scenes]]\ntype = "a"\n[[scenes]]\ntype = "b"\n[scenes.generate]\n'
        'prompt = "x"\n[music]\ntrack = "t"\n'
    )
    assert lines.line_of("scenes[1].type") == 4
    assert lines.line_of("scenes[1].generate.prompt") == 6
    assert lines.line_of("music.track") == 8
    assert lines.line_of("scenes[1].generate.mode") == 5


def test_library_track_found_by_id(project) -> None:
    [r] = load_recipe(project(BASE + '[music]\ntrack = "bright-steps"\n'))
    assert r.music.path.name.startswith("bright-steps")
    assert r.music.info["license"]
    [p] = problems(project(BASE + '[music]\ntrack = "brigth-steps"\n'))
    assert "'bright-steps'" in p.hint
