"""Tier 3: every box is inspectable after the render too. The manifest beside a video keeps
the layout `plan --json` shows (every text and logo box, the safe zone and the platforms it
was placed for), and those boxes hold the text the video shows; a length the targeted
platform refuses is a warning in the manifest, and an error with --strict."""

from __future__ import annotations

import json

import numpy as np
from look import frame_rgb, manifest_of
from recipes import entry, output, title

from cmforge.cli import main


def _recipe(project) -> str:
    """180x320, 2 s on black: a title, and a caption over it, for TikTok and Reels."""
    return project(
        output(size=(180, 320), fps=24, platform=["tiktok", "reels"])
        + title("春期講習", subtext="受付中", duration=2.0, background="#000000")
        + entry("captions", text="勉強が、楽しくなる。", start=0.0, end=2.0)
    )


def _inside(box: list[int], zone: list[int]) -> bool:
    x, y, w, h = box
    zx, zy, zw, zh = zone
    return zx <= x and zy <= y and x + w <= zx + zw and y + h <= zy + zh


def _overlaps(a: list[int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_the_manifest_keeps_the_boxes_plan_json_shows(project, capsys) -> None:
    path = _recipe(project)
    assert main(["plan", str(path), "--json"]) == 0
    [planned] = json.loads(capsys.readouterr().out)
    assert main(["render", str(path), "--quiet"]) == 0
    video = project.folder / "out" / "recipe.mp4"
    m = manifest_of(video)
    lay = m["layout"]
    assert lay == planned["layout"], "the manifest's layout is plan --json's"
    zone = lay["safe_zone"]
    assert zone["platforms"] == ["tiktok", "reels"] and zone["avoid"]
    texts = {t["key"]: t for t in lay["texts"]}
    assert set(texts) == {"scenes[0].text", "scenes[0].subtext", "captions[0].text"}
    for t in lay["texts"]:
        assert _inside(t["box"], zone["box"]), t["key"]
        assert not any(_overlaps(t["box"], a) for a in zone["avoid"]), t["key"]
    assert texts["captions[0].text"]["frames"] == [0, 48]
    # what the video shows is in those boxes: every light pixel of a frame on black
    rgb = frame_rgb(video, 15).astype(int)
    light = rgb.min(axis=2) > 128
    boxed = np.zeros_like(light)
    for t in lay["texts"]:
        x, y, w, h = t["box"]
        boxed[y : y + h, x : x + w] = True
    assert light.sum() > 50 and not (light & ~boxed).any(), "no text outside its box"
    # the length TikTok refuses, said in the manifest beside the layout
    [w] = [w for w in m["warnings"] if w["key"] == "output.platform"]
    assert "TikTok In-Feed ad (tiktok) takes ads of at least 5 s" in w["message"]


def test_plan_says_the_length_a_platform_refuses_and_strict_stops(project, capsys) -> None:
    path = project(output(size=(180, 320), fps=24, platform="line") + title("A", 122.0))
    assert main(["plan", str(path)]) == 0
    err = capsys.readouterr().err
    line = next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if "platform" in ln)
    assert f"{path.resolve()}:{line}: output.platform: the ad runs 122.00 s, but LINE" in err
    assert "at most 2 min (5 s-2 min)" in err
    assert main(["plan", str(path), "--strict"]) == 2
    assert "[--strict]" in capsys.readouterr().err
