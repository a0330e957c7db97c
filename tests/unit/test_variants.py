"""Tier 1: [[variants]] x [matrix]: expansion, safe names, --set, per-variant problems."""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction

import pytest

from cmforge import RecipeError, load_recipe
from cmforge.cli import main
from cmforge.recipe import parse_sets
from cmforge.recipe.variants import (
    MAX_NAME,
    Variant,
    expand,
    is_safe_name,
    matches,
    relocate,
    safe_names,
    slug,
)

SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
BASE = """version = 1
[output]
path = "out/{{variant}}.mp4"
size = [180, 320]
fps = 30
[vars]
headline = "Hello"
[[scenes]]
type = "title"
text = "{{headline}}"
duration = 2.0
"""


def problems(path, **kw) -> list:
    with pytest.raises(RecipeError) as e:
        load_recipe(path, **kw)
    return e.value.problems


def assert_safe(names: list[str]) -> None:
    for n in names:
        assert SAFE.fullmatch(n) and len(n) <= MAX_NAME and is_safe_name(n), n
    assert len({n.lower() for n in names}) == len(names), "unique, even ignoring case"


# ---- expansion on plain data -------------------------------------------------------------


def test_neither_is_one_variant_named_after_the_file() -> None:
    [v] = expand({"vars": {"a": "1"}}, [], {}, default_name="school-ad")
    assert v == Variant("school-ad", "school-ad", {}, {})


def test_matrix_every_combination_in_key_order() -> None:
    base = {"vars": {"headline": "a"}, "output": {"format": "vertical"}}
    vs = expand(base, [], {"headline": ["a", "b"], "format": ["vertical", "square"]})
    assert [v.name for v in vs] == [
        "headline=a,format=vertical",
        "headline=a,format=square",
        "headline=b,format=vertical",
        "headline=b,format=square",
    ]
    assert vs[1].safe_name == "headline-a_format-square"
    assert vs[3].overrides == {"vars": {"headline": "b"}, "output": {"format": "square"}}
    assert vs[0].differs == {}  # same values as the base
    assert vs[3].differs == {"vars.headline": "b", "output.format": "square"}
    # the order of keys in the file decides the name
    [w, *_] = expand(base, [], {"format": ["square"], "headline": ["b"]})
    assert w.name == "format=square,headline=b"


def test_variants_crossed_with_matrix_and_matrix_wins() -> None:
    tables = [
        {"name": "a-results"},
        {"name": "b-free", "vars": {"headline": "今なら"}, "output": {"format": "square"}},
    ]
    vs = expand({"vars": {"headline": "x"}}, tables, {"format": ["vertical", "landscape"]})
    assert [v.name for v in vs] == [
        "a-results,format=vertical",
        "a-results,format=landscape",
        "b-free,format=vertical",
        "b-free,format=landscape",
    ]
    b = vs[2]
    assert b.safe_name == "b-free_format-vertical"
    assert b.overrides["output"] == {"format": "vertical"}  # the matrix wins over the table
    assert b.differs == {"vars.headline": "今なら", "output.format": "vertical"}


def test_numbers_and_dotted_keys() -> None:
    [v24, v30] = expand({"output": {"fps": 30}}, [], {"output": {"fps": [24, 30]}})
    assert (v24.name, v24.safe_name) == ("output.fps=24", "output.fps-24")
    assert v24.overrides == {"output": {"fps": 24}} and v24.differs == {"output.fps": 24}
    assert v30.differs == {}


def test_fixed_sets_win_and_are_not_differences() -> None:
    tables = [{"name": "a", "output": {"fps": 24}, "vars": {"h": "A"}}]
    [v] = expand({"vars": {"h": "x"}}, tables, {}, fixed={"output.fps": 12, "vars.h": "S"})
    assert v.overrides == {"output": {"fps": 12}, "vars": {"h": "S"}}
    assert v.differs == {}


# ---- names -------------------------------------------------------------------------------


def test_slug_keeps_safe_text_and_says_when_it_lost_some() -> None:
    assert slug("b-free") == ("b-free", True)
    assert slug("v1.5_final") == ("v1.5_final", True)
    assert slug("合格実績 No.1!") == ("No.1", False)
    assert slug("Ｎｏ１") == ("No1", False)  # full-width letters, NFKC
    assert slug("-rf ..") == ("rf", False)
    assert slug("今なら") == ("", False)


def test_japanese_values_get_a_hash_and_keep_their_human_name() -> None:
    vs = expand({}, [], {"headline": ["今なら入塾金 0円", "合格実績 No.1!", "今なら入塾金 1円"]})
    assert vs[0].name == "headline=今なら入塾金 0円"
    assert re.fullmatch(r"headline-0-[0-9a-f]{8}", vs[0].safe_name)
    assert re.fullmatch(r"headline-No.1-[0-9a-f]{8}", vs[1].safe_name)
    assert_safe([v.safe_name for v in vs])
    [only] = expand({}, [{"name": "春の体験"}], {})
    assert re.fullmatch(r"[0-9a-f]{8}", only.safe_name)


def test_names_are_deterministic_and_independent_of_order() -> None:
    values = ["今なら", "a b", "a-b", "Call now!", "x"]
    one = {v.name: v.safe_name for v in expand({}, [], {"h": values})}
    two = {v.name: v.safe_name for v in expand({}, [], {"h": list(reversed(values))})}
    assert one == two
    assert one == {v.name: v.safe_name for v in expand({}, [], {"h": values})}


def test_forced_collisions_never_share_a_file() -> None:
    tables = [
        {"name": n}
        for n in ["a b", "a-b", "a_b", "A-B", "a/b", "a.b", "a--b", "a!b", "A B", "a-b."]
    ]
    vs = expand({}, tables, {})
    names = [v.safe_name for v in vs]
    assert_safe(names)
    assert "a_b" in names and "a.b" in names  # no clash, no hash
    clashing = [n for n in names if n.lower().startswith("a-b")]
    assert len(clashing) == 8 and all(re.fullmatch(r"(?i)a-b-[0-9a-f]{8}", n) for n in clashing)
    # a literal name equal to another's hashed name: both stay apart
    hashed = next(v.safe_name for v in vs if v.name == "a b")
    names = [v.safe_name for v in expand({}, tables + [{"name": hashed}], {})]
    assert_safe(names)
    # variant names that slug like matrix parts
    vs = expand({}, [{"name": "x_k-1"}, {"name": "x"}], {"k": [1, "1_k-1"]})
    assert_safe([v.safe_name for v in vs])


def test_safe_names_grow_hashes_until_unique() -> None:
    # identical slugs, all "exact": a clash adds hashes; same prefix always differs in the hash
    names = safe_names([("a", True)] * 50, [f"id{i}" for i in range(50)])
    assert_safe(names)


@pytest.mark.parametrize("seed", range(6))
def test_many_random_values_never_collide(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "aAbB01 -_.,=!/\\:*?\"'<>|$`;&()[]{}~#%+@\t\nあ合格円ＮｏÉé😀"
    values = sorted({"".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(60)})
    values += [v.upper() for v in values[:10]] + ["x" * 200, "x" * 199 + "y", "CON", "nul.txt"]
    values = list(dict.fromkeys(values))
    tables = [{"name": n} for n in ("a", "A", "a b", "合格")]
    vs = expand({}, tables, {"headline": values, "format": ["vertical", "square"]})
    assert len(vs) == 4 * len(values) * 2
    assert_safe([v.safe_name for v in vs])
    assert len({v.name for v in vs}) == len(vs)


def test_long_and_reserved_names() -> None:
    vs = expand({}, [{"name": "x" * 300}, {"name": "x" * 299 + "y"}, {"name": "con"}], {})
    assert_safe([v.safe_name for v in vs])
    assert all(len(v.safe_name) <= MAX_NAME for v in vs)
    assert vs[2].safe_name.startswith("_con-")


def test_glob_matches_human_or_safe_name() -> None:
    [v] = expand({}, [{"name": "合格 A"}], {})
    assert matches(v, ["合格*"]) and matches(v, [v.safe_name]) and not matches(v, ["b*"])
    assert matches(v, None)


def test_relocate_points_at_the_variant() -> None:
    where = {"scenes": "variants[1].scenes", "output.format": "matrix.format"}
    assert relocate("scenes[0].text", where) == "variants[1].scenes[0].text"
    assert relocate("output.format", where) == "matrix.format"
    assert relocate("output.fps", where) == "output.fps"


# ---- --set ---------------------------------------------------------------------------------


def test_set_splits_at_the_first_equals_sign(project) -> None:
    vars_, keys = parse_sets(["headline=a=b", "output.path=out/x=1.mp4", "q = 1+1=2 "])
    assert vars_ == {"headline": "a=b", "q": "1+1=2"}
    assert keys == {"output.path": "out/x=1.mp4"}
    [r] = load_recipe(project(BASE), sets=["headline=キャンペーン=今だけ"])
    assert r.scenes[0].text == "キャンペーン=今だけ"
    with pytest.raises(RecipeError, match="expected KEY=VALUE"):
        parse_sets(["novalue"])


def test_set_overrides_every_variant(project) -> None:
    text = BASE + '[[variants]]\nname = "a"\noutput = { fps = 24 }\nvars = { headline = "A" }\n'
    [r] = load_recipe(project(text), sets=["output.fps=12", "headline=S"])
    assert r.output.fps == Fraction(12) and r.scenes[0].text == "S" and r.differs == {}


# ---- load_recipe ---------------------------------------------------------------------------


def test_matrix_in_a_recipe(project) -> None:
    text = BASE.replace("Hello", "今なら") + '[matrix]\nheadline = ["今なら", "No.1"]\n'
    text += 'format = ["vertical", "square"]\n'
    rs = load_recipe(project(text))
    assert [r.label for r in rs] == [
        "headline=今なら,format=vertical",
        "headline=今なら,format=square",
        "headline=No.1,format=vertical",
        "headline=No.1,format=square",
    ]
    assert [(r.output.width, r.output.height) for r in rs[:2]] == [(1080, 1920), (1080, 1080)]
    r = rs[3]
    assert r.variant == "headline-No.1_format-square"
    assert r.output.path == project.folder / "out" / "headline-No.1_format-square.mp4"
    assert r.scenes[0].text == "No.1" and r.differs == {
        "vars.headline": "No.1",
        "output.format": "square",
    }
    assert rs[0].variant.startswith("headline_format-vertical-")
    [only] = load_recipe(project(text), variants=["headline=No.1,format=sq*"])
    assert only.variant == r.variant
    [same] = load_recipe(project(text), variants=[r.variant])
    assert same.label == r.label


def test_variant_in_output_path_is_safe_elsewhere_human(project) -> None:
    text = BASE.replace('"{{headline}}"', '"{{variant}}"') + '[[variants]]\nname = "春 A"\n'
    [r] = load_recipe(project(text))
    assert r.scenes[0].text == "春 A" and r.label == "春 A"
    assert r.output.path.name == f"{r.variant}.mp4" and re.fullmatch(r"A-[0-9a-f]{8}", r.variant)


def test_default_variant_keeps_its_name(project) -> None:
    [r] = load_recipe(project(BASE, "school-ad.toml"))
    assert (r.variant, r.label, r.differs) == ("school-ad", "school-ad", {})


def test_variants_override_every_top_level_table(project) -> None:
    text = BASE + (
        '[style]\ncolor = "#ffffff"\n'
        '[defaults]\nimage_motion = "none"\n'
        "[generate]\nmax_credits = 0\n"
        '[music]\ntrack = "bright-steps"\nvolume = -6\n'
        '[[captions]]\ntext = "base caption"\n'
        '[[overlays]]\nsrc = "logo.png"\n'
        '[[audio]]\nsrc = "a.wav"\n'
        '[[variants]]\nname = "base"\n'
        '[[variants]]\nname = "all"\n'
        'vars = { headline = "V" }\n'
        'output = { format = "landscape", fps = 24 }\n'
        'style = { color = "#ff0000" }\n'
        'defaults = { image_motion = "zoom-in" }\n'
        "generate = { max_credits = 50 }\n"
        'music = { track = "calm-morning" }\n'
        'captions = [{ text = "v caption" }, { text = "two" }]\n'
        'overlays = [{ src = "other.png", scale = 0.3 }]\n'
        'audio = [{ src = "b.wav", volume = -3 }]\n'
        'scenes = [{ type = "title", text = "{{headline}}!" }, '
        '{ type = "image", src = "pic.png" }]\n'
    )
    base, v = load_recipe(project(text))
    assert base.differs == {} and base.scenes[0].style.color[:3] == (255, 255, 255)
    assert (v.output.width, v.output.height, v.output.fps) == (1920, 1080, Fraction(24))
    assert v.scenes[0].text == "V!" and v.scenes[0].style.color[:3] == (255, 0, 0)
    assert v.scenes[1].motion == "zoom-in"
    assert v.max_credits == 50
    assert v.music.track == "calm-morning" and v.music.volume_db == -6
    assert [c.text for c in v.captions] == ["v caption", "two"]
    assert [(o.src.name, o.scale) for o in v.overlays] == [("other.png", 0.3)]
    assert [(a.src.name, a.volume_db) for a in v.audio] == [("b.wav", -3)]
    assert v.differs["vars.headline"] == "V" and v.differs["output.format"] == "landscape"
    assert set(v.differs) >= {
        "style.color",
        "defaults.image_motion",
        "generate.max_credits",
        "music.track",
        "captions",
        "overlays",
        "audio",
        "scenes",
    }


def test_matrix_varies_keys_of_tables(project) -> None:
    text = BASE + '[music]\ntrack = "bright-steps"\n[style]\ncolor = "#ffffff"\n'
    text += '[matrix]\noutput.fps = [24, 30]\n"music.track" = ["bright-steps", "calm-morning"]\n'
    text += 'style = { color = ["#ff0000"] }\n'
    rs = load_recipe(project(text))
    assert len(rs) == 4
    assert [(r.output.fps, r.music.track) for r in rs] == [
        (24, "bright-steps"),
        (24, "calm-morning"),
        (30, "bright-steps"),
        (30, "calm-morning"),
    ]
    assert rs[1].label == "output.fps=24,music.track=calm-morning,style.color=#ff0000"
    assert rs[1].scenes[0].style.color[:3] == (255, 0, 0)
    assert is_safe_name(rs[1].variant)


BAD_MATRIX = BASE + (
    "[matrix]\n"  # line 12
    "headline = []\n"
    'format = ["square", "squar", 3]\n'
    'cta = ["go"]\n'
    'variant = ["x"]\n'
    "flag = [true]\n"
    'dup = ["1", 1]\n'
    "output.fsp = [24]\n"
    '"scenes.text" = ["x"]\n'
    'solo = "x"\n'
)


def test_bad_matrix_values_with_lines(project) -> None:
    found = problems(project(BAD_MATRIX))
    by = {}
    for p in found:
        by.setdefault(p.key, []).append(p)
    [empty] = by["matrix.headline"]
    assert empty.line == 13 and "non-empty list" in empty.message
    fmt = by["matrix.format"]
    assert all(p.line == 14 for p in fmt)
    assert any("'squar' is not one of" in p.message and "'square'" in p.hint for p in fmt)
    assert any("expected a string" in p.message for p in fmt)
    assert by["matrix.cta"][0].line == 15 and "used nowhere" in by["matrix.cta"][0].message
    assert "variant's own name" in by["matrix.variant"][0].message
    assert by["matrix.flag"][0].line == 17 and "strings or numbers" in by["matrix.flag"][0].message
    assert "listed twice" in by["matrix.dup"][0].message
    assert by["matrix.output.fsp"][0].line == 19 and "'fps'" in by["matrix.output.fsp"][0].hint
    assert "[[variants]]" in by["matrix.scenes.text"][0].hint
    assert by["matrix.solo"][0].line == 21
    assert all(p.file == project.folder / "recipe.toml" for p in found)


def test_a_variant_cannot_have_its_own_matrix(project) -> None:
    text = BASE + '[[variants]]\nname = "a"\nmatrix = { headline = ["x"] }\n'
    [p] = problems(project(text))
    assert p.key == "variants[0].matrix" and p.line == 14 and 'variant "a"' in p.message


def test_bad_override_in_one_variant_names_it(project) -> None:
    text = BASE + (
        '[[variants]]\nname = "a-results"\n'
        '[[variants]]\nname = "b-free"\noutput = { format = "squar" }\n'  # line 15-16
    )
    [p] = problems(project(text))
    assert p.key == "variants[1].output.format" and p.line == 16
    assert p.message.startswith('variant "b-free": ') and "'square'" in p.hint


def test_undefined_var_in_one_variant_names_it(project) -> None:
    text = BASE.replace('"{{headline}}"', '"{{headline}} {{cta}}"') + (
        '[[variants]]\nname = "a"\nvars = { cta = "go" }\n[[variants]]\nname = "b-free"\n'
    )
    [p] = problems(project(text))
    assert p.key == "scenes[0].text" and p.line == 10
    assert p.message == 'variant "b-free": undefined variable {{cta}}'
    # only the other variant selected: it loads
    [a] = load_recipe(project(text), variants=["a"])
    assert a.scenes[0].text == "Hello go"


def test_a_problem_every_variant_has_is_reported_once(project) -> None:
    text = BASE.replace('"{{headline}}"', '"{{nope}}"')
    text += '[[variants]]\nname = "a"\n[[variants]]\nname = "b"\n'
    [p] = problems(project(text))
    assert p.key == "scenes[0].text" and p.message == "undefined variable {{nope}}"


def test_bad_value_from_a_matrix_variable_names_the_variant(project) -> None:
    text = BASE.replace("duration = 2.0", 'duration = 2.0\ncolor = "{{c}}"')
    text += '[matrix]\nc = ["#ffffff", "nope"]\n'
    [p] = problems(project(text))
    assert p.key == "scenes[0].color" and p.message == "variant \"c=nope\": not a colour: 'nope'"


def test_problem_in_a_variants_scenes_points_at_the_variant(project) -> None:
    text = BASE + (
        '[[variants]]\nname = "a"\n[[variants]]\nname = "b"\n'
        'scenes = [{ type = "title", text = "{{zzz}}" }]\n'  # line 16
    )
    [p] = problems(project(text))
    assert p.key == "variants[1].scenes[0].text" and p.line == 16
    assert p.message.startswith('variant "b": ')


def test_format_override_replaces_the_base_size(project) -> None:
    text = BASE + '[[variants]]\nname = "sq"\noutput = { format = "square" }\n'
    [r] = load_recipe(project(text))
    assert (r.output.width, r.output.height) == (1080, 1080)
    [r] = load_recipe(project(text), sets=["output.size=[90, 160]"])
    assert (r.output.width, r.output.height) == (90, 160)  # --set wins over every variant


def test_two_variants_writing_one_file(project) -> None:
    text = BASE.replace("{{variant}}", "{{headline}}")
    text += '[matrix]\nformat = ["square", "vertical"]\n'
    [p] = problems(project(text))
    assert p.key == "output.path" and "would both write Hello.mp4" in p.message


# ---- the command line ----------------------------------------------------------------------


def test_cli_variants_lists_names_files_and_differences(project, capsys, monkeypatch) -> None:
    text = BASE + (
        '[[variants]]\nname = "a-results"\n'
        '[[variants]]\nname = "b-free"\nvars = { headline = "今なら入塾金 0円" }\n'
        '[matrix]\nformat = ["vertical", "square"]\n'
    )
    path = project(text)
    monkeypatch.chdir(project.folder)  # paths are shown relative to the working directory
    assert main(["variants", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("recipe.toml: 4 variants")
    assert "b-free,format=square  [b-free_format-square]" in out
    assert "-> out/b-free_format-square.mp4  1080x1080" in out
    assert '    headline = "今なら入塾金 0円"\n    output.format = "square"\n' in out
    args = ["variants", str(path), "--json", "--variant", "b-free_*square"]
    args += ["--set", "output.crf=20"]
    assert main(args) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["name"] == "b-free,format=square" and row["safe_name"] == "b-free_format-square"
    assert row["output"].endswith("out/b-free_format-square.mp4")
    assert (row["width"], row["height"]) == (1080, 1080)
    assert row["differs"] == {"vars.headline": "今なら入塾金 0円", "output.format": "square"}
    assert not (project.folder / "out").exists()


def test_cli_one_bad_variant_stops_the_batch(project, capsys) -> None:
    text = BASE + '[[variants]]\nname = "a"\n[[variants]]\nname = "b-free"\n'
    text += 'output = { format = "squar" }\n'
    path = project(text)
    for command in ("variants", "render"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert f"{path}:16: variants[1].output.format: variant \"b-free\": 'squar'" in err
    assert not (project.folder / "out").exists(), "nothing rendered"
