"""Tier 1: the end slate's `animate` key: its shapes (a name, a table, a part's own key), the
combinations it refuses (file, key, line, hint), the parts' order and timing (staggered, in by
~1 s, the phone number settled by 1 s), the QR code's rules, and the least time on screen
counted from when the QR code or call to action has come in."""

from __future__ import annotations

import media
import pytest
from recipes import CTA, load_one, output, scene

from cmforge.errors import RecipeError
from cmforge.recipe.schema import scene_schema
from cmforge.scenes.endslate_motion import ORDER, STAGGER, entrances, moves_from
from cmforge.timeline import resolve_timeline
from cmforge.timeline.warnings import timing_warnings

TEXTS = {"period": "3/1〜3/31", "cta": "無料体験 受付中", "phone": "☎ 0120-000-000"}
TEXTS |= {"qr_caption": "QRコードからアクセス", "url": "sakura-seminar.example/trial"}
TEXTS |= {"line_id": "LINE @sakura-juku"}
PRESENT = {*TEXTS, "logo", "qr"}


def slate(project, duration: float = 4.0, **keys: object):
    media.logo(project.folder / "logo.png", 200)
    text = output() + scene("endslate", **{**CTA, "duration": duration, **keys})
    return text, project(text)


def parts(value: object) -> dict:
    return {m.part: m for m in moves_from(value)}


def problems(project, animate: object) -> tuple[str, list]:
    text, path = slate(project, animate=animate)
    with pytest.raises(RecipeError) as e:
        load_one(path)
    return text, e.value.problems


def line_of(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key} ="))


@pytest.mark.parametrize(
    ("animate", "key", "why"),
    [
        ({"cta": "typewriter"}, "animate.cta", "pictures"),
        ({"in": "pop", "logo": {"in": "words"}}, "animate.logo.in", "pictures"),
        ({"qr": "pop"}, "animate.qr", "never moves or scales"),
        ({"qr": {"in": "slide-up"}}, "animate.qr.in", "never moves or scales"),
        ({"qr": {"out": "pop"}}, "animate.qr.out", "never moves or scales"),
        ({"phone": "spin"}, "animate.phone", ""),
        ({"name": "pop"}, "animate.name", ""),
    ],
)
def test_an_unsupported_combination_is_an_error_on_its_key_and_line(
    project, animate, key, why
) -> None:
    text, found = problems(project, animate)
    [p] = found
    assert p.key == f"scenes[0].{key}" and p.line == line_of(text, "animate")
    assert p.file.name == "recipe.toml" and (p.hint or not why)
    assert why in p.hint


def test_a_name_brings_every_part_in_that_way() -> None:
    got = parts("slide-up")
    assert {got[p].anim.enter for p in ORDER if p != "qr"} == {"slide-up"}
    assert got["qr"].anim.enter == "fade"  # the QR code only fades
    assert got["cta"].pulse  # and the button pulses once it is in


def test_typewriter_types_the_texts_and_fades_the_pictures_in() -> None:
    got = parts("typewriter")
    assert got["phone"].anim.enter == got["url"].anim.enter == "typewriter"
    assert got["logo"].anim.enter == got["cta"].anim.enter == got["qr"].anim.enter == "fade"


def test_a_part_of_its_own_overrides_and_the_rest_keep_their_default_motion() -> None:
    got = parts({"cta": "pop", "phone": {"in": "fade", "duration": 0.3}})
    assert got["cta"].anim.enter == "pop" and got["cta"].pulse
    assert got["phone"].anim.enter == "fade" and got["phone"].anim.duration == 0.3
    assert got["logo"].default and got["logo"].anim.enter == "rise"  # rises in, as without
    assert got["url"].anim.enter == got["qr"].anim.enter == "none"
    table = parts({"in": "fade", "duration": 0.5, "easing": "linear", "period": "words"})
    assert table["period"].anim == table["period"].anim.__class__("words", "none", 0.5, "linear")


def test_none_is_a_still_slate_and_no_key_keeps_todays_motion() -> None:
    got = parts("none")
    assert all(m.anim.enter == "none" and not m.pulse for m in got.values())
    assert moves_from(None) is None
    default = parts({})
    assert default["cta"].default and default["logo"].default


def test_out_takes_every_part_but_the_qr_code_unless_it_says_so() -> None:
    got = parts({"in": "fade", "out": "fade"})
    assert got["phone"].anim.leave == "fade" and got["qr"].anim.leave == "none"
    assert parts({"out": "fade", "qr": {"out": "fade"}})["qr"].anim.leave == "fade"


def test_parts_come_in_in_reading_order_staggered_and_all_in_by_about_a_second() -> None:
    fps = 30.0
    got = entrances(moves_from("slide-up"), TEXTS, PRESENT, fps, 120)
    order = [p for p in ORDER if p in got]
    delays = [got[p].delay for p in order]
    assert delays == sorted(delays) and delays[0] == 0
    assert delays[1] == round(STAGGER * fps)
    assert max((e.delay + e.motion.enter) / fps for e in got.values()) <= 1.0 + 1e-9


def test_the_phone_number_has_settled_by_one_second_whatever_its_duration() -> None:
    for own in ({"in": "typewriter", "duration": 2.0}, "words", {"in": "pop", "duration": 1.5}):
        got = entrances(moves_from({"in": "fade", "phone": own}), TEXTS, PRESENT, 30.0, 120)
        phone = got["phone"]
        assert (phone.delay + phone.motion.enter) / 30 <= 1.0
    # a part's own long duration elsewhere is kept (the phone's rule is the phone's)
    got = entrances(moves_from({"in": "fade", "url": {"duration": 1.5}}), TEXTS, PRESENT, 30.0, 120)
    assert got["url"].motion.enter == 45


def test_the_least_time_on_screen_counts_from_when_the_qr_code_has_come_in(project) -> None:
    def warned(duration: float, **keys: object) -> list:
        _, path = slate(project, duration=duration, **keys)
        return [p for p in timing_warnings(resolve_timeline(load_one(path), {}))]

    assert warned(3.5) == []  # no key: 3 s
    [w] = warned(3.5, animate="slide-up")
    assert w.key == "scenes[0].duration" and "once it has come in" in w.message
    assert warned(4.0, animate="slide-up") == []
    assert warned(3.5, animate="none") == []  # a still slate: the QR code is there at once


def test_the_schema_offers_pictures_and_the_qr_code_only_what_they_can_do() -> None:
    [slate] = [
        v
        for v in scene_schema()["items"]["oneOf"]
        if v["properties"]["type"] == {"const": "endslate"}
    ]
    props = slate["properties"]["animate"]
    [name, table] = props["anyOf"]
    assert "typewriter" in name["enum"]
    cta = table["properties"]["cta"]["anyOf"][0]["enum"]
    assert "typewriter" not in cta and "pop" in cta
    assert table["properties"]["qr"]["anyOf"][0]["enum"] == ["none", "fade"]
