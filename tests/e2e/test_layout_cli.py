"""Tier 3: the layout is inspectable. `plan --json` lists every text block (lines as drawn,
font size, pixel box, visible frames), every logo box and the safe zone; `plan` shows a
warnings column; `render --preview --guides` draws the safe zone and the boxes over the
picture, a final render never does, and `render --guides` draws them on the storyboard."""

from __future__ import annotations

import json

import media
import numpy as np
from look import frame_rgb
from PIL import Image
from recipes import entry, output, scene, title

from cmforge.cli import main


def _recipe(project) -> str:
    media.logo(project.folder / "logo.png", 120)
    return project(
        output(size=(180, 320), fps=30, platform="tiktok")
        + title("合格実績 No.1!", subtext="春期講習 受付中", duration=1.0, background="#000000")
        + scene("endslate", logo="logo.png", text="さくら進学塾", duration=1.0)
        + entry("captions", text="勉強が、楽しくなる。", start=0.2, end=0.9, x=0.02, y=0.9)
        + entry("overlays", src="logo.png", scale=0.2, end=1.0)
        + entry("variants", name="a")
        + entry("variants", name="b", vars={})
    )


def test_plan_json_lists_every_box_and_the_table_a_warnings_column(project, capsys) -> None:
    path = _recipe(project)
    assert main(["plan", str(path), "--json", "--variant", "a"]) == 0
    [plan] = json.loads(capsys.readouterr().out)
    lay = plan["layout"]
    assert lay["safe_zone"]["platforms"] == ["tiktok"] and lay["safe_zone"]["box"] == [
        20,
        42,
        140,
        168,
    ]
    texts = {t["key"]: t for t in lay["texts"]}
    assert set(texts) == {
        "scenes[0].text",
        "scenes[0].subtext",
        "scenes[1].text",
        "captions[0].text",
    }
    head = texts["scenes[0].text"]
    assert (
        "".join(head["lines"]).replace(" ", "") == "合格実績No.1!" and head["font_size"] >= 40 / 6
    )
    assert head["frames"] == [0, 30] and len(head["box"]) == 4
    assert texts["captions[0].text"]["pinned"] and texts["captions[0].text"]["frames"] == [6, 27]
    logos = {b["key"]: b for b in lay["logos"]}
    assert set(logos) == {"scenes[1].logo", "overlays[0]"}
    assert {w["key"] for w in plan["warnings"]} >= {"captions[0].x"}
    assert main(["plan", str(path), "--variant", "a"]) == 0
    table = capsys.readouterr().out
    assert "warnings" in table.splitlines()[1]
    assert "⚠ " in table and "x: pinned at" in table


def _cyan(rgb: np.ndarray) -> np.ndarray:
    return (rgb[..., 0] < 90) & (rgb[..., 1] > 150) & (rgb[..., 2] > 180)


def test_guides_on_the_preview_and_storyboard_never_in_a_final_video(project, capsys) -> None:
    path = _recipe(project)
    out = project.folder / "out"
    assert main(["render", str(path), "--preview", "--guides", "--quiet", "--variant", "a"]) == 0
    drafted = frame_rgb(out / "a.preview.mp4", 2)  # 90x160: the zone is x 10-80, y 20-104
    assert _cyan(drafted)[:, 8:14].any(axis=1).sum() > 30, "the safe zone's left edge is drawn"
    assert main(["render", str(path), "--guides", "--quiet"]) == 0
    for name in ("a", "b"):
        assert not _cyan(frame_rgb(out / f"{name}.mp4", 5)).any(), "no guides in a final video"
    board = np.asarray(Image.open(out / "storyboard.png").convert("RGB")).astype(float)
    assert _cyan(board).sum() > 100, "the storyboard shows the safe zone"
