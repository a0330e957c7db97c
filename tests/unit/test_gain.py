"""Volumes keep the contract's meaning of a bare number (a clip's volume is a linear gain,
music and [[audio]] volumes and duck are in dB) and take explicit units everywhere: "-6dB",
"50%", "0.5x"."""

from __future__ import annotations

from pathlib import Path

import media
import pytest

from cmforge.errors import RecipeError
from cmforge.recipe import load_recipe
from cmforge.recipe.schema import recipe_schema
from cmforge.units import parse_gain


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (0.3, "linear", 0.3),
        (-6, "dB", -6.0),
        ("-6dB", "linear", 0.501187),
        ("-6 dB", "dB", -6.0),
        ("+3dB", "dB", 3.0),
        ("50%", "linear", 0.5),
        ("50%", "dB", -6.0206),
        ("0.5x", "dB", -6.0206),
        ("2X", "linear", 2.0),
        ("0%", "linear", 0.0),
    ],
)
def test_parse_gain(value: float | str, unit: str, expected: float) -> None:
    assert parse_gain(value, unit) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("value", ["loud", "-6", "6 dbs", "-50%", True, "0%"])
def test_what_is_not_a_gain_in_db(value: object) -> None:
    with pytest.raises(ValueError):
        parse_gain(value, "dB")  # type: ignore[arg-type]


RECIPE = """[output]
size = [180, 320]
fps = 15
[[scenes]]
type = "clip"
src = "c.mp4"
volume = {clip}
[music]
track = "m.wav"
volume = {music}
duck = {duck}
[[audio]]
src = "n.wav"
volume = {audio}
"""


def _load(tmp_path: Path, **values: str):  # type: ignore[no-untyped-def]
    media.tone(tmp_path / "m.wav", dur=1.0)
    path = tmp_path / "r.toml"
    path.write_text(RECIPE.format(**values), encoding="utf-8")
    [r] = load_recipe(path)
    return r


def test_units_written_out_mean_the_same_gain_as_bare_numbers(tmp_path: Path) -> None:
    bare = _load(tmp_path, clip="0.5", music="-6", duck="-10", audio="-3")
    said = _load(tmp_path, clip='"-6.0206dB"', music='"50%"', duck='"-10dB"', audio='"-3dB"')
    assert said.scenes[0].volume == pytest.approx(bare.scenes[0].volume, abs=1e-4)
    assert said.music.volume_db == pytest.approx(-6.0206, abs=1e-4)
    assert said.music.duck.depth == bare.music.duck.depth == -10
    assert said.audio[0].volume_db == bare.audio[0].volume_db == -3


def test_a_bare_number_that_looks_like_the_other_unit_says_which_it_meant(
    tmp_path: Path,
) -> None:
    with pytest.raises(RecipeError) as caught:
        _load(tmp_path, clip="-6", music="0.5", duck="0.3", audio='"0%"')
    said = {p.key: (p.message, p.hint) for p in caught.value.problems}
    assert said["scenes[0].volume"][0].startswith("-6 is a linear gain here")
    assert said["scenes[0].volume"][1] == 'did you mean "-6dB"?'
    assert "is in dB here" in said["music.volume"][0]
    assert said["music.volume"][1] == 'did you mean "50%" (-6.0 dB)?'
    assert said["music.duck"][1] == 'for the music at 30% under speech write "30%"'
    assert "silence" in said["audio[0].volume"][0]


def test_the_json_schema_takes_gains_with_units() -> None:
    import re

    volume = recipe_schema()["properties"]["music"]["properties"]["volume"]
    number, text = volume["anyOf"]
    assert number == {"type": "number"}
    assert all(re.match(text["pattern"], v) for v in ("-6dB", "50%", "0.5x", " +3 db"))
    assert not re.match(text["pattern"], "loud")
