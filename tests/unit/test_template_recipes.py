"""The shipped templates are ads a school would run: each of campaign, teacher and trial declares
vertical, square and landscape, moves from its first frame, marks its key words, sets its captions
on a band or box, plays a track from the shipped library and closes on a call to action (button,
phone, URL and QR code, the logo standing for the name)."""

from __future__ import annotations

import tomllib

import pytest

from cmforge.templates import template_dir

pytestmark = pytest.mark.unit
NEW = ("campaign", "teacher", "trial")


def _recipe(name: str) -> dict:
    return tomllib.loads((template_dir() / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NEW)
def test_template_declares_every_format(name: str) -> None:
    assert _recipe(name)["matrix"]["format"] == ["vertical", "square", "landscape"]


@pytest.mark.parametrize("name", NEW)
def test_template_uses_the_motion_and_caption_keys(name: str) -> None:
    d = _recipe(name)
    first = d["scenes"][0]
    assert first["type"] == "title" and first.get("animate"), "the hook moves in"
    assert "**" in first["text"], "the hook marks its key word"
    assert d["style"]["caption"]["look"] in ("band", "box")
    assert all(c.get("animate") for c in d["captions"])
    assert d["music"]["track"] in ("bright-steps", "calm-morning", "short-loop")


@pytest.mark.parametrize("name", NEW)
def test_template_media_are_shipped_sample_assets(name: str) -> None:
    text = (template_dir() / f"{name}.toml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if "../sample_assets/" in line:
            rel = line.split('"')[1]
            assert (template_dir() / rel).is_file(), rel


@pytest.mark.parametrize("name", NEW)
def test_template_closes_on_a_call_to_action(name: str) -> None:
    slate = _recipe(name)["scenes"][-1]
    assert slate["type"] == "endslate" and slate["name"] is False, "the logo carries the name"
    assert slate["cta"] and slate["phone"] and slate["url"].startswith("https://")
    assert slate["qr"] is True
    assert slate["duration"] >= 3.0, "long enough to scan the QR code"
