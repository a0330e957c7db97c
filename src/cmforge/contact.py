"""`cmforge generate`: make the clips without rendering, and a contact sheet of the takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from .assets import gather
from .generate.base import jobs_for
from .pipeline import budget_of, check_budget, generate_all, generation_plan
from .recipe.model import Recipe
from .text import TextStyle, render_text

THUMB_W = 180
POSITIONS = (0.1, 0.37, 0.63, 0.9)


def generate_clips(
    recipe: Recipe,
    *,
    scene: int | None = None,
    max_credits: float | None = None,
    on_event: Callable[[str], None] | None = None,
) -> list[Path]:
    """Generate every take of the recipe's generated clips (or one scene's); return the contact
    sheets written, one PNG per scene, a row per take."""
    say = on_event or (lambda _m: None)
    assets = gather(recipe)
    if scene is not None:
        assets = replace(assets, jobs=[j for j in assets.jobs if j.scene_key == f"scenes[{scene}]"])
    check_budget(generation_plan(recipe, assets), *budget_of(recipe, max_credits))
    generate_all(recipe, assets, say)
    sheets = []
    size = (recipe.output.width, recipe.output.height)
    for s in recipe.scenes:
        if s.generate is None or (scene is not None and s.index != scene):
            continue
        takes = [j.dest for j in jobs_for(s, recipe.folder, size) if j.dest.exists()]
        if not takes:
            continue
        out = recipe.output.path.parent / f"{recipe.variant}-scene{s.index}-takes.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        contact_sheet(takes, s.generate.pick).save(out)
        sheets.append(out)
    return sheets


def _frames(path: Path) -> list[Image.Image]:
    import av

    with av.open(str(path)) as c:
        v = c.streams.video[0]
        total = v.frames or int(float(v.duration * v.time_base) * float(v.average_rate))
        want = {int(p * max(1, total - 1)) for p in POSITIONS}
        out = [f.to_image() for i, f in enumerate(c.decode(video=0)) if i in want]
    return out


def contact_sheet(takes: list[Path], pick: int) -> Image.Image:
    rows = [_frames(p) for p in takes]
    w = THUMB_W
    h = max(2, round(w * rows[0][0].height / rows[0][0].width)) if rows and rows[0] else w
    label_w, pad = 150, 8
    sheet = Image.new(
        "RGB",
        (label_w + len(POSITIONS) * (w + pad) + pad, len(rows) * (h + pad) + pad),
        (24, 28, 36),
    )
    draw = ImageDraw.Draw(sheet)
    for r, frames in enumerate(rows):
        y = pad + r * (h + pad)
        label = f"take {r + 1}" + ("  ◀ pick" if r + 1 == pick else "")
        text = render_text(label, TextStyle(weight="bold", size=22), (label_w - 2 * pad, h))
        sheet.paste(text, (pad, y + (h - text.height) // 2), text)
        for c, frame in enumerate(frames):
            x = label_w + pad + c * (w + pad)
            sheet.paste(frame.convert("RGB").resize((w, h), Image.LANCZOS), (x, y))
        if r + 1 == pick:
            draw.rectangle(
                (label_w, y - 3, sheet.width - 3, y + h + 2), outline=(244, 166, 192), width=3
            )
    return sheet
