"""The storyboard of a batch: one row per variant, a key frame from the middle of each scene,
labelled with the variant's name and what it changes, so an A/B pair is judged side by side."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from .. import atomic
from ..text import TextStyle, render_text

THUMB_H = 160  # key frame height, px
LABEL_W = 300  # the label column
PAD = 8
ROW_H = THUMB_H + 2 * PAD
BACKGROUND = (24, 24, 28)
RULE = (60, 60, 68)
TITLE = TextStyle(weight="bold", color="#ffffff", size=20, align="left", balance=False)
NOTE = TextStyle(weight="regular", color="#c8c8d0", size=14, align="left", balance=False)


@dataclass
class Row:
    """One variant: its rendered video, the scene times from its manifest, and its label."""

    title: str
    video: Path
    scenes: list[tuple[float, float]]  # (start, end) seconds of each scene
    notes: list[str] = field(default_factory=list)  # what this variant changes
    guides: dict | None = None  # the layout (safe zone, boxes) drawn over each key frame
    size: tuple[int, int] = (0, 0)  # the video's frame, for the guides' scale


def key_times(scenes: list[tuple[float, float]]) -> list[float]:
    """The middle of each scene: past its transition in, before its transition out."""
    return [(start + end) / 2 for start, end in scenes]


def key_frames(video: Path, times: list[float], height: int = THUMB_H) -> list[Image.Image]:
    """The frame shown at each time, scaled to `height` (seek, then decode to the time)."""
    import av

    out = []
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        tb = s.time_base
        start = float(s.start_time * tb) if s.start_time is not None else 0.0
        half = 0.5 / float(s.average_rate or 30)
        for t in times:
            c.seek(int((start + t) / tb), stream=s, backward=True, any_frame=False)
            picked = None
            for frame in c.decode(s):
                picked = frame
                if frame.time is not None and frame.time - start >= t - half:
                    break
            if picked is None:
                continue
            im = picked.to_image()
            width = max(1, round(im.width * height / im.height))
            out.append(im.resize((width, height), Image.Resampling.LANCZOS))
    return out


def draw_guides(thumb: Image.Image, guides: dict, size: tuple[int, int], at: float) -> Image.Image:
    """The safe zone (cyan) and the text (yellow) and logo (magenta) boxes visible at `at`
    seconds, scaled onto a key frame."""
    k = thumb.height / size[1]
    out = thumb.convert("RGB")
    d = ImageDraw.Draw(out)

    def rect(box: list[int], colour: tuple) -> None:
        x, y, w, h = (round(v * k) for v in box)
        d.rectangle((x, y, x + max(1, w) - 1, y + max(1, h) - 1), outline=colour)

    for a in guides["safe_zone"]["avoid"]:
        rect(a, (255, 40, 40))
    rect(guides["safe_zone"]["box"], (0, 230, 255))
    for items, colour in ((guides["texts"], (255, 220, 0)), (guides["logos"], (255, 0, 220))):
        for item in items:
            if item["seconds"][0] <= at < item["seconds"][1]:
                rect(item["box"], colour)
    return out


def _label(row: Row) -> Image.Image:
    panel = Image.new("RGB", (LABEL_W, ROW_H), BACKGROUND)
    box_w, y = LABEL_W - 2 * PAD, PAD
    for text, style in [(row.title, TITLE), *[(n, NOTE) for n in row.notes]]:
        room = ROW_H - PAD - y
        if room < 10:
            break
        im = render_text(text, style, (box_w, room))
        panel.paste(im, (PAD, y), im)
        y += im.height + 6
    return panel


def make_storyboard(rows: list[Row], dest: Path) -> Path:
    """Draw the rows into one PNG at dest, written atomically (temp file, then rename)."""
    drawn = []
    for row in rows:
        times = key_times(row.scenes)
        thumbs = key_frames(row.video, times)
        if row.guides and row.size[1]:
            thumbs = [draw_guides(t, row.guides, row.size, at) for t, at in zip(thumbs, times)]
        width = LABEL_W + sum(t.width + PAD for t in thumbs) + PAD
        strip = Image.new("RGB", (width, ROW_H), BACKGROUND)
        strip.paste(_label(row), (0, 0))
        x = LABEL_W
        for t in thumbs:
            strip.paste(t, (x, PAD))
            x += t.width + PAD
        drawn.append(strip)
    sheet = Image.new("RGB", (max((s.width for s in drawn), default=LABEL_W), ROW_H * len(drawn)))
    sheet.paste(BACKGROUND, (0, 0, sheet.width, sheet.height))
    draw = ImageDraw.Draw(sheet)
    for i, strip in enumerate(drawn):
        sheet.paste(strip, (0, i * ROW_H))
        if i:
            draw.line([(0, i * ROW_H), (sheet.width, i * ROW_H)], fill=RULE)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary(dest)
    try:
        sheet.save(tmp, format="PNG")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
