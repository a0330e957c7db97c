"""`cmforge generate`: make the clips without rendering, and a contact sheet of the takes.

Per scene with generated takes: ``<variant>-scene<N>-takes.png``, a row per take labelled with
its number, provider, task id, settings and cost (the picked take framed), and beside it
``<variant>-scene<N>-takes.json`` with the full request and provenance of every take. A take
made by an earlier run keeps what the earlier sidecar (or the provider's own records) says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw

from .assets import Assets, check_batch_budget, gather
from .assets.generation import generate_all, generation_plan
from .assets.standins import read_provenance
from .generate import GenerationJob, GenerationResult, Provider, asked_for, jobs_for
from .generate.base import aspect_for, providers_of
from .generate.jobs import still_jobs, waits_for
from .recipe.model import Generate, Recipe
from .recipe.stills import STILL_EXT
from .render.manifest import write_json_atomic
from .text import TextStyle, render_text

THUMB_W = 180
POSITIONS = (0.1, 0.37, 0.63, 0.9)
LABEL_W = 250
PAD = 8
BACKGROUND = (24, 28, 36)
PICK_COLOUR = (244, 166, 192)


def generate_takes(
    recipes: list[Recipe],
    *,
    scene: int | None = None,
    max_credits: float | None = None,
    on_event: Callable[[str], None] | None = None,
    still: int | None = None,
    max_cost: float | None = None,
) -> Iterator[Path]:
    """Generate every take of the variants' stills and generated clips (or one scene's, or
    stills[still]), the credit budget checked once over every variant's before the first is
    made (a clip several variants share counts once); yield the contact sheets as each
    variant's are written, one PNG per scene or still, a row per take (each with a JSON
    sidecar)."""
    say = on_event or (lambda _m: None)
    only = Only(scene, still)
    gathered = [_to_generate(r, only) for r in recipes]
    if recipes:
        entries = [e for r, a in zip(recipes, gathered) for e in generation_plan(r, a)]
        check_batch_budget(recipes[0], entries, max_credits, max_cost)
    for i, recipe in enumerate(recipes):
        # what the variants before made is found, not made again
        assets = gathered[i] if i == 0 else _to_generate(recipe, only)
        results = generate_all(recipe, assets, say)
        yield from _sheets(recipe, only, results, say)


def generate_clips(
    recipe: Recipe,
    *,
    scene: int | None = None,
    max_credits: float | None = None,
    on_event: Callable[[str], None] | None = None,
) -> list[Path]:
    """Generate every take of the recipe's generated clips (or one scene's); return the contact
    sheets written, one PNG per scene, a row per take (each with a JSON sidecar)."""
    return list(generate_takes([recipe], scene=scene, max_credits=max_credits, on_event=on_event))


def _to_generate(recipe: Recipe, only: Only) -> Assets:
    """The recipe's assets, its stills and clips to generate narrowed to what `only` asks for
    (and the stills of this run the clips kept read)."""
    assets = gather(recipe)
    if only.scene is None and only.still is None:
        return assets
    kept = [j for j in assets.jobs if only.wants(j.scene_key)]
    needs = {p for j in kept for p in waits_for(j)}
    jobs = [j for j in assets.jobs if j in kept or (j.makes == "still" and j.dest in needs)]
    return replace(assets, jobs=jobs)


def _sheets(
    recipe: Recipe,
    only: Only,
    results: dict[Path, GenerationResult],
    say: Callable[[str], None],
) -> Iterator[Path]:
    """The contact sheet (and its sidecar) of each generated scene and still, written, then
    yielded."""
    size = (recipe.output.width, recipe.output.height)
    folder = recipe.output.path.parent
    for s in recipe.scenes:
        if s.generate is None or not only.wants(s.key):
            continue
        jobs = [j for j in jobs_for(s, recipe.folder, size) if j.dest.exists()]
        name = f"{recipe.variant}-scene{s.index}-takes.png"
        yield from _sheet(recipe, s.key, s.generate, jobs, folder / name, results, say)
    for still in recipe.stills:
        if not only.wants(still.key):
            continue
        jobs = [j for j in still_jobs(still, size) if j.dest.exists()]
        name = f"{recipe.variant}-{sheet_name(still.key)}-takes.png"
        yield from _sheet(recipe, still.key, still.generate, jobs, folder / name, results, say)


def _sheet(
    recipe: Recipe,
    key: str,
    gen: Generate,
    jobs: list[GenerationJob],
    out: Path,
    results: dict[Path, GenerationResult],
    say: Callable[[str], None],
) -> Iterator[Path]:
    """The contact sheet of one scene's or still's takes (those made), and its sidecar."""
    if not jobs:
        return
    size = (recipe.output.width, recipe.output.height)
    makes = jobs[0].makes
    out.parent.mkdir(parents=True, exist_ok=True)
    sidecar = takes_json_path(out)
    earlier = _earlier_takes(sidecar)
    takes = [_take(j, gen, size, results.get(j.dest), earlier, recipe.folder) for j in jobs]
    row = next((i + 1 for i, t in enumerate(takes) if t["picked"]), 0)  # 0: not made
    asked = asked_for(gen, makes)
    lines = [label_lines(t, asked, makes) for t in takes]
    contact_sheet([j.dest for j in jobs], row, lines).save(out)
    write_json_atomic(
        sidecar,
        {
            "variant": recipe.variant,
            "scene" if makes == "clip" else "still": key,
            "fingerprint": jobs[0].fingerprint,
            "pick": gen.pick,
            "sheet": str(out),
            "takes": takes,
        },
    )
    say(f"{key}: the settings of each take are in {sidecar}")
    yield out


@dataclass(frozen=True)
class Only:
    """What `cmforge generate` was asked to make: scenes[scene] (its clip, or an image
    scene's still), stills[still], or (both None) everything."""

    scene: int | None = None
    still: int | None = None

    def wants(self, key: str) -> bool:
        if self.scene is None and self.still is None:
            return True
        return key in (f"scenes[{self.scene}]", f"scenes[{self.scene}].generate") or (
            key == f"stills[{self.still}]"
        )


def sheet_name(key: str) -> str:
    """stills[2] -> still2, scenes[3].generate -> scene3 (a file-name part)."""
    return re.sub(r"^(still|scene)s\[(\d+)\].*$", r"\1\2", key)


def takes_json_path(sheet: Path) -> Path:
    """The sidecar of a contact sheet: the same name, .json."""
    return sheet.with_suffix(".json")


# ----- what each take is -------------------------------------------------------------------


def _take(
    job: GenerationJob,
    gen: Generate,
    size: tuple[int, int],
    result: GenerationResult | None,
    earlier: dict[str, dict],
    recipe_folder: Path,
) -> dict:
    """A take's entry: the settings asked for, who made it and how, what it cost. The settings
    are those of the provider the recipe asks for: a stand-in's take shows the settings of the
    clip it stands in for."""
    base = {
        "take": job.take,
        "picked": job.take == gen.pick,
        "path": str(job.dest),
        "fingerprint": job.fingerprint,
        "settings": {
            "length": gen.length,
            "aspect_ratio": aspect_for(gen, size),
            **asked_for(gen, job.makes).shown(gen.options),
        },
    }
    side = read_provenance(job.dest) or {}  # the unit its cost is in, and whether a stand-in
    base.update({k: side[k] for k in ("unit", "stand_in") if side.get(k) is not None})
    if result is not None:
        return {**base, **_provenance(result), "made": "this run"}
    before = earlier.get(str(job.dest))
    if before and before.get("fingerprint") == job.fingerprint and before.get("provider"):
        keep = {k: v for k, v in before.items() if k not in base and k != "made"}
        return {**base, **keep, "made": "an earlier run"}
    for provider in providers_of(job.makes).values():
        record = provider.provenance(job, recipe_folder)
        if record is not None:
            return {**base, "made": "an earlier run (from the provider's records)", **record}
    return {
        **base,
        "provider": "unknown",
        "task_id": "",
        "cost": None,
        "request": job.request(),
        "details": {},
        "made": "an earlier run, which left no record of how",
    }


def _provenance(r: GenerationResult) -> dict:
    """The GenerationResult's fields, as JSON."""
    return {
        "provider": r.provider,
        "task_id": r.task_id,
        "cost": r.cost,
        "money_usd": r.money_usd,
        "request": _jsonable(r.request),
        "details": _jsonable(r.details),
    }


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


def _earlier_takes(sidecar: Path) -> dict[str, dict]:
    """The takes an earlier run's sidecar describes, by clip path."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        return {str(t["path"]): t for t in data.get("takes", []) if isinstance(t, dict)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def label_lines(take: dict, asked: type[Provider], makes: str = "clip") -> list[str]:
    """What the contact sheet writes beside a take: number, who made it and how, the settings
    (as the provider asked for words them), cost."""
    maker = providers_of(makes).get(take.get("provider") or "", Provider)
    who, money = maker.take_label(take)
    return [
        f"take {take['take']}" + ("  ◀ pick" if take.get("picked") else ""),
        who,
        *asked.setting_lines(take["settings"]),
        money,
    ]


# ----- the sheet ---------------------------------------------------------------------------


def _frames(path: Path) -> list[Image.Image]:
    import av

    if path.suffix.lower() in STILL_EXT:  # a still: itself, once
        with Image.open(path) as im:
            return [im.convert("RGB")]

    with av.open(str(path)) as c:
        v = c.streams.video[0]
        total = v.frames or int(float(v.duration * v.time_base) * float(v.average_rate))
        want = {int(p * max(1, total - 1)) for p in POSITIONS}
        out = [f.to_image() for i, f in enumerate(c.decode(video=0)) if i in want]
    return out


def contact_sheet(
    takes: list[Path], pick: int, labels: list[list[str]] | None = None
) -> Image.Image:
    """A row per take: its label (first line bold), then frames at POSITIONS of the clip; row
    ``pick`` (counted from 1) is framed."""
    rows = [_frames(p) for p in takes]
    w = THUMB_W
    h = max(2, round(w * rows[0][0].height / rows[0][0].width)) if rows and rows[0] else w
    columns = max((len(r) for r in rows), default=len(POSITIONS))  # a still has one
    sheet = Image.new(
        "RGB", (LABEL_W + columns * (w + PAD) + PAD, len(rows) * (h + PAD) + PAD), BACKGROUND
    )
    draw = ImageDraw.Draw(sheet)
    for r, frames in enumerate(rows):
        y = PAD + r * (h + PAD)
        lines = labels[r] if labels else [f"take {r + 1}" + ("  ◀ pick" if r + 1 == pick else "")]
        _draw_label(sheet, lines, (PAD, y), (LABEL_W - 2 * PAD, h))
        for c, frame in enumerate(frames):
            x = LABEL_W + PAD + c * (w + PAD)
            sheet.paste(frame.convert("RGB").resize((w, h), Image.LANCZOS), (x, y))
        if r + 1 == pick:
            draw.rectangle(
                (LABEL_W, y - 3, sheet.width - 3, y + h + 2), outline=PICK_COLOUR, width=3
            )
    return sheet


def _draw_label(
    sheet: Image.Image, lines: list[str], at: tuple[int, int], box: tuple[int, int]
) -> None:
    """Lines stacked from the top of the row, sized to fit its height."""
    bw, bh = box
    gap = 3
    title = max(9.0, min(20.0, bh / 6))
    body = max(8.0, min(13.0, bh / 8))
    images = [
        render_text(
            line,
            TextStyle(
                weight="bold" if i == 0 else "regular",
                size=title if i == 0 else body,
                align="left",
                balance=False,
            ),
            (bw, max(1, int(bh / len(lines)))),
        )
        for i, line in enumerate(lines)
        if line
    ]
    x, y = at
    for im in images:
        if y + im.height > at[1] + bh:
            break
        sheet.paste(im, (x, y), im)
        y += im.height + gap
