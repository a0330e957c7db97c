"""--set on the command line: a variable the recipe does not have is an error with
did-you-mean, and a problem with a value --set gave names the option, not a recipe line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmforge.cli import main
from cmforge.errors import RecipeError
from cmforge.recipe import load_recipe

RECIPE = """[output]
size = [180, 320]
fps = 15
path = "out/{{variant}}.mp4"
[vars]
headline = "Hi"
[matrix]
city = ["Tokyo", "Osaka"]
[[scenes]]
type = "title"
text = "{{headline}} {{city}} {{phone}}"
duration = 2
[[variants]]
name = "a"
vars = { tagline = "x" }
"""


@pytest.fixture
def recipe(tmp_path: Path) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(RECIPE, encoding="utf-8")
    return path


def _problems(path: Path, *sets: str) -> list:
    with pytest.raises(RecipeError) as caught:
        load_recipe(path, sets=list(sets))
    return caught.value.problems


def test_every_variable_the_recipe_has_can_be_set(recipe: Path) -> None:
    # [vars], a variant's vars, a matrix name, and one the text uses but only --set gives
    got = load_recipe(recipe, sets=["headline=A", "tagline=B", "city=Kobe", "phone=0120"])
    assert {r.vars["city"] for r in got} == {"Kobe"}


def test_an_unknown_variable_says_which_it_may_have_meant(recipe: Path) -> None:
    [p] = _problems(recipe, "phone=1", "citty=Kyoto")
    assert p.origin == "--set citty=Kyoto" and p.file is None and p.line is None
    assert "no variable 'citty'" in p.message and "'city'" in p.hint
    [p] = _problems(recipe, "phone=1", "zzz=1")
    assert "headline, tagline, city, phone;" in p.hint and "--set output.fps=24" in p.hint


def test_a_bad_value_names_the_option_and_the_recipe_problems_keep_their_lines(
    recipe: Path, capsys
) -> None:
    recipe.write_text(RECIPE.replace("duration = 2", "duration = -2"), encoding="utf-8")
    assert main(["validate", str(recipe), "--set", "phone=1", "--set", "output.fps=abc"]) == 2
    err = capsys.readouterr().err
    assert "  --set output.fps=abc: output.fps: expected a number, got string 'abc'" in err
    assert f"{recipe}:3" not in err, "not the line of the fps the option replaced"
    assert f"{recipe}:12: scenes[0].duration: must be greater than 0" in err


def test_validate_json_gives_the_option(recipe: Path, capsys) -> None:
    import json

    assert main(["validate", str(recipe), "--json", "--set", "phone=1", "--set", "x=1"]) == 2
    [p] = json.loads(capsys.readouterr().out)["problems"]
    assert p["origin"] == "--set x=1" and p["file"] is None and p["line"] is None


def test_a_later_stage_problem_with_a_key_set_on_the_command_line_names_the_option(
    recipe: Path, capsys
) -> None:
    args = ["validate", str(recipe), "--set", "phone=1", "--set", "output.duration=0.5"]
    assert main(args) == 2  # found when the timeline is resolved, after loading
    err = capsys.readouterr().err
    assert "  --set output.duration=0.5: output.duration: the scenes make 2.00 s" in err, err
