"""Tier 1: the delivery standards are one table. A render's manifest and `cmforge check` judge the
same measurement alike at the edge of every tolerance; every name in the table is a valid recipe
value, in the JSON Schema, mastered and checked; a new standard needs nothing but its entry."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

from cmforge import RecipeError, load_recipe
from cmforge.audio.loudness import master
from cmforge.compile.audio import RATE, edge_filters
from cmforge.delivery.facts import Cadence, Facts
from cmforge.delivery.judge import judge
from cmforge.delivery.standards import FORMATS, STANDARDS, Standard, custom, standard_for
from cmforge.media.loudness import Loudness
from cmforge.recipe.model import Output
from cmforge.recipe.schema import recipe_schema
from cmforge.recipe.spec import OUTPUT
from cmforge.render.manifest import sound_report

SCENE = '[[scenes]]\ntype = "title"\ntext = "a"\nduration = 1\n'

# a file that passes every rule but the sound's (which each case sets)
FILE = Facts(
    width=1080,
    height=1920,
    codec="h264",
    pix_fmt="yuv420p",
    colour=("bt709", "bt709", "bt709", "tv"),
    cadence=Cadence(450, 30.0, True, 1 / 30, 1 / 30),
    video_seconds=15.0,
    audio_codec="aac",
    audio_rate=48000,
    audio_channels=2,
    audio_seconds=15.0,
    silences=((0.0, 0.6), (14.4, 15.0)),
)
# a standard cmforge does not ship, as a new entry would be (ATSC A/85: -24 LKFS ±2, -2 dBTP)
ATSC = Standard("atsc", -24.0, 2.0, true_peak=-2.0, unit="LKFS", rates=(48000,))


def within_spec(std: Standard, delivered: Loudness) -> bool:
    """What a render's manifest says about a delivered file that measures `delivered`."""
    out = Output(Path("ad.mp4"), 1080, 1920, Fraction(30), None, loudness=std.target)
    out = replace(out, standard=std.name)
    plan = SimpleNamespace(recipe=SimpleNamespace(output=out, music=None), sound=None)
    said: list[str] = []
    loudness = sound_report(plan, delivered, said.append)["loudness"]  # type: ignore[arg-type]
    assert loudness["tolerance_lu"] == std.tolerance
    assert bool(said) is not loudness["within_spec"]  # a warning exactly when outside
    return loudness["within_spec"]


def check_passes(std: Standard, delivered: Loudness) -> bool:
    """What `cmforge check` says about the sound of the same file."""
    lines = judge(replace(FILE, loudness=delivered), std)
    return all(line.ok for line in lines if line.name in ("loudness", "true peak"))


def edge_cases(std: Standard) -> list[tuple[Loudness, bool]]:
    """Measurements at and just past each edge of the tolerance and the true peak."""
    t, tol, peak = std.target, std.tolerance, std.true_peak
    return [
        (Loudness(t, peak - 3, 3.0), True),
        (Loudness(t + tol, peak - 3, 3.0), True),
        (Loudness(t - tol, peak - 3, 3.0), True),
        (Loudness(round(t + tol + 0.1, 1), peak - 3, 3.0), False),
        (Loudness(round(t - tol - 0.1, 1), peak - 3, 3.0), False),
        (Loudness(t, peak, 3.0), True),
        (Loudness(t, round(peak + 0.1, 1), 3.0), False),
    ]


@pytest.mark.parametrize("std", [*STANDARDS.values(), custom(-16.0)], ids=lambda s: s.name or "-16")
def test_manifest_and_check_agree_at_the_edges(std: Standard) -> None:
    for delivered, expected in edge_cases(std):
        assert within_spec(std, delivered) is expected, delivered
        assert check_passes(std, delivered) is expected, delivered


def test_the_tolerances_decided() -> None:
    """docs/recipe.md (Sound) gives the sources; a change here is a change of policy."""
    table = {n: (s.target, s.tolerance, s.true_peak, s.silent_edge) for n, s in STANDARDS.items()}
    assert table == {
        "web": (-14.0, 1.0, -1.0, 0.0),
        "ebu": (-23.0, 0.5, -1.0, 0.0),
        "jp-tv": (-24.0, 1.0, -1.0, 0.5),
    }
    assert standard_for(-16.0) == custom(-16.0) and custom(-16.0).tolerance == 0.5
    assert standard_for(None) is None
    assert STANDARDS["web"].ceiling == -1.5  # what the limiter aims under


def load_output(project, loudness: str) -> Output:
    [r] = load_recipe(project(f"[output]\nsize = [64, 64]\nloudness = {loudness}\n" + SCENE))
    return r.output


def problem(project, loudness: str):
    with pytest.raises(RecipeError) as e:
        load_output(project, loudness)
    [p] = e.value.problems
    return p


def assert_wired_in(project, std: Standard) -> None:
    """Every place that reads the table knows `std`."""
    out = load_output(project, f'"{std.name}"')
    assert (out.loudness, out.standard) == (std.target, std.name)
    assert standard_for(out.loudness, out.standard) is std
    enum = recipe_schema()["properties"]["output"]["properties"]["loudness"]["anyOf"][0]["enum"]
    assert std.name in enum
    assert RATE in std.rates, "every render is 48 kHz: a standard must accept it"
    silent = edge_filters(std, 15.0)
    assert bool(silent) is std.silent_edges
    if silent:
        assert dict(silent[0].args)["st"] == std.silent_edge + std.edge_margin
    lines = {x.name: x for x in judge(replace(FILE, loudness=Loudness(std.target, -3, 3)), std)}
    assert lines["loudness"].expected == f"{std.target:g} ±{std.tolerance:g} {std.unit}"
    assert lines["true peak"].expected == f"≤ {std.true_peak:g} dBTP"


@pytest.mark.parametrize("name", list(STANDARDS))
def test_every_standard_in_the_table_is_wired_in(project, name: str) -> None:
    assert_wired_in(project, STANDARDS[name])
    assert f'"{name}"' in OUTPUT["loudness"].desc


def test_a_new_standard_is_one_entry(project, monkeypatch) -> None:
    monkeypatch.setitem(STANDARDS, ATSC.name, ATSC)
    assert_wired_in(project, ATSC)
    assert "did you mean 'atsc'?" in problem(project, '"atsk"').hint
    for delivered, expected in edge_cases(ATSC):
        assert within_spec(ATSC, delivered) is expected is check_passes(ATSC, delivered)

    def measure(gain: float, limited: bool) -> Loudness:  # peaks at 0 dBTP before any gain
        return Loudness(-30.0 + gain, min(gain, ATSC.ceiling) if limited else gain, 3.0)

    m = master(ATSC.target, ATSC.name, measure)
    assert m.limited and "limited to -2.5 dBTP" in m.notes[0]


def test_unknown_names_get_a_hint_from_the_table(project) -> None:
    assert "did you mean 'jp-tv'?" in problem(project, '"jp_tv"').hint
    hint = problem(project, '"cinema"').hint
    assert all(f'"{name}"' in hint for name in STANDARDS)


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_is_one_entry(project, name: str) -> None:
    assert name in OUTPUT["format"].choices
    [r] = load_recipe(project(f'[output]\nformat = "{name}"\n' + SCENE))
    assert (r.output.width, r.output.height) == FORMATS[name]
