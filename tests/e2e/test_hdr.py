"""HDR phone footage (HLG, PQ in BT.2020, 10-bit HEVC) and HDR stills come out as the SDR chart
they were made from: mid-tones within ΔE2000 5, white at L* 95 or more."""

from __future__ import annotations

import json
from pathlib import Path

import colour
import look
import pytest
from recipes import output, render_one, scene, write

from cmforge.cli import main
from cmforge.errors import RecipeError
from cmforge.media.probe import probe

FPS = 10


def chart_recipe(folder: Path, src: str, kind: str = "clip", **values: object) -> Path:
    text = output(size=colour.SIZE, fps=FPS) + scene(kind, src=src, duration=0.3, **values)
    return write(folder, text)


def check_chart(video: Path, label: str) -> list:
    rows = colour.measure(look.frame_rgb(video, 1))
    print(f"\n{label}\n{colour.table(rows)}")
    mid = [(name, round(de, 2)) for name, rgb, _, de, _ in rows if colour.is_mid_tone(rgb)]
    assert max(de for _, de in mid) <= 5, mid
    (white,) = [lum for name, _, _, _, lum in rows if name == colour.WHITE]
    assert white >= 95
    return rows


@pytest.mark.parametrize("transfer", ["hlg", "pq"])
@pytest.mark.parametrize("fit", ["cover", "contain", "blur"])
def test_hdr_clip_comes_back_as_the_sdr_chart(tmp_path: Path, transfer: str, fit: str) -> None:
    clip = colour.hdr_clip(tmp_path / f"{transfer}.mp4", transfer)
    info = probe(clip)
    assert info.hdr is not None and info.hdr.kind == transfer and info.hdr.bits == 10
    assert info.hdr.primaries == "bt2020"
    video = render_one(chart_recipe(tmp_path, clip.name, fit=fit))
    check_chart(video, f"{transfer} {fit}")
    (source,) = look.manifest_of(video)["sources"]
    assert source["hdr"]["kind"] == transfer and source["hdr"]["primaries"] == "bt2020"
    assert "tonemap=tonemap=mobius" in source["hdr"]["converted"]


def test_sdr_clip_is_not_hdr(tmp_path: Path) -> None:
    import media

    assert probe(media.video(tmp_path / "sdr.mp4", audio=None)).hdr is None


@pytest.mark.parametrize("name", ["hlg.png", "pq.png", "hlg.avif"])
def test_hdr_still_comes_back_as_the_sdr_chart(tmp_path: Path, name: str) -> None:
    transfer = name.split(".")[0]
    still = colour.hdr_still(tmp_path / name, transfer)
    hdr = probe(still).hdr
    assert hdr is not None and hdr.kind == transfer and hdr.primaries == "bt2020"
    video = render_one(chart_recipe(tmp_path, still.name, kind="image"))
    check_chart(video, f"still {name}")
    (source,) = look.manifest_of(video)["sources"]
    assert source["hdr"]["kind"] == transfer


def test_an_unreadable_heic_is_named(tmp_path: Path) -> None:
    (tmp_path / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    with pytest.raises(RecipeError) as err:
        render_one(chart_recipe(tmp_path, "photo.heic", kind="image"))
    text = str(err.value)
    assert "photo.heic" in text and "scenes[0].src" in text and "PNG or JPEG" in text


def test_dolby_vision_8_4_is_shown_through_its_hlg_base_layer(tmp_path: Path) -> None:
    hlg = colour.hdr_clip(tmp_path / "hlg.mp4", "hlg")
    clip = colour.with_dolby_vision(hlg, tmp_path / "dv.mp4")
    hdr = probe(clip).hdr
    assert hdr is not None and hdr.dolby_vision == "8.4" and hdr.kind == "hlg"
    video = render_one(chart_recipe(tmp_path, clip.name))
    check_chart(video, "Dolby Vision 8.4")
    (source,) = look.manifest_of(video)["sources"]
    assert source["hdr"]["dolby_vision"] == "8.4"


def test_validate_and_plan_say_which_sources_are_hdr(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    colour.hdr_clip(tmp_path / "pq.mp4", "pq")
    recipe = chart_recipe(tmp_path, "pq.mp4")
    assert main(["validate", str(recipe)]) == 0
    said = capsys.readouterr().out
    assert "note: scenes[0].src: HDR PQ bt2020 10-bit -> BT.709 SDR" in said
    assert "highlights up to 1000 cd/m² tone-mapped (mobius)" in said
    assert main(["plan", str(recipe)]) == 0
    assert "↳ HDR PQ bt2020 10-bit -> BT.709 SDR" in capsys.readouterr().out
    assert main(["plan", "--json", str(recipe)]) == 0
    (scene,) = json.loads(capsys.readouterr().out)[0]["scenes"]
    assert scene["hdr"]["peak_from"] == "max-cll" and "npl=203" in scene["hdr"]["converted"]


def test_dolby_vision_5_is_refused_with_a_way_out(tmp_path: Path) -> None:
    import media

    hevc = media.video(
        tmp_path / "plain.mp4",
        audio=None,
        vcodec=["-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1"],
    )
    colour.with_dolby_vision(hevc, tmp_path / "dv5.mp4", profile=5, compat=0)
    with pytest.raises(RecipeError) as err:
        render_one(chart_recipe(tmp_path, "dv5.mp4"))
    text = str(err.value)
    assert "dv5.mp4" in text and "scenes[0].src" in text and "profile 5" in text


def _patches(video: Path) -> list:
    return [(name, rgb, got) for name, rgb, got, _, _ in colour.measure(look.frame_rgb(video, 1))]


@pytest.mark.parametrize("use", ["title background", "end-slate logo", "overlay"])
def test_an_hdr_picture_anywhere_looks_like_its_sdr_original(tmp_path: Path, use: str) -> None:
    """A phone's HDR photo used as a title's background, an end slate's logo or an overlay
    comes out as the same recipe with the SDR original does (same text, same layout, so any
    difference is the picture's conversion): mid-tones within ΔE2000 5 of each other."""
    hdr = colour.hdr_still(tmp_path / "hlg.png", "hlg")
    sdr = hdr.with_suffix(".chart.png")
    videos = []
    for pic in (hdr, sdr):
        folder = tmp_path / pic.stem.replace(".", "-")
        folder.mkdir()
        (folder / pic.name).write_bytes(pic.read_bytes())
        if use == "title background":
            body = scene("title", text="A", background=pic.name, duration=0.3, animate="none")
        elif use == "end-slate logo":
            body = scene("endslate", logo=pic.name, background="#808080", duration=1.5)
        else:
            body = scene("title", text="A", background="#808080", duration=0.3, animate="none")
            body += f'\n[[overlays]]\nsrc = "{pic.name}"\nposition = "center"\nscale = 0.5\n'
        videos.append(render_one(write(folder, output(size=colour.SIZE, fps=FPS) + body)))
    if use == "title background":  # the chart's own patches, text and all
        pairs = zip(_patches(videos[0]), _patches(videos[1]))
        mid = [
            (name, round(look.delta_e2000(a, b), 2))
            for (name, rgb, a), (_, _, b) in pairs
            if colour.is_mid_tone(rgb)
        ]
        assert max(de for _, de in mid) <= 5, mid
    else:  # the whole frame, the picture drawn at its own size and place on grey
        a, b = (look.frame_rgb(v, 14 if use == "end-slate logo" else 2) for v in videos)
        diff = abs(a.astype(float) - b.astype(float)).mean()
        # measured: 0.26 (logo) and 0.41 (overlay); 2.04 and 5.96 with the HDR picture unconverted
        assert diff <= 1.0, diff
