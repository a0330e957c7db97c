"""The reports of a batch, written into the first variant's output folder: batch.json and
batch.csv (a line per variant, from its manifest) and storyboard.png (a row of key frames per
variant)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from .. import atomic
from ..pipeline import Plan
from ..recipe.model import Recipe
from ..recipe.variants import AS_WRITTEN, differs_lines
from ..version import __version__
from .result import BatchResult, VariantResult
from .storyboard import Row, make_storyboard

Events = Callable[[str], None]

COLUMNS = [
    "variant",
    "label",
    "status",
    "error",
    "output",
    "duration",
    "size",
    "width",
    "height",
    "bytes",
    "integrated_lufs",
    "true_peak_dbtp",
    "render_seconds",
    "cache_hits",
    "generated_clips",
    "generated_cost",
    "generated_usd",
    "stand_ins",
    "differs",
]


def first_line(text: str) -> str:
    """The first line of an error, for a one-line report."""
    return text.strip().splitlines()[0] if text.strip() else ""


def report_folder(recipes: list[Recipe], plans: dict[str, Plan]) -> Path:
    """Where the reports go: the first variant's output folder."""
    first = recipes[0]
    p = plans.get(first.variant)
    return (p.output if p else first.output.path).parent


def write_reports(
    batch: BatchResult,
    recipes: list[Recipe],
    plans: dict[str, Plan],
    preview: bool,
    say: Events,
) -> None:
    """Write batch.json, batch.csv and storyboard.png (NAME.preview.* for a preview batch);
    a storyboard that cannot be drawn is a warning (the videos are fine), said and kept."""
    folder = report_folder(recipes, plans)
    suffix = ".preview" if preview else ""
    rows = [report_row(v) for v in batch.variants]
    batch.report_json = folder / f"batch{suffix}.json"
    batch.report_csv = folder / f"batch{suffix}.csv"
    doc = {
        "cmforge": __version__,
        "recipe": str(recipes[0].file),
        "preview": preview,
        "variants": rows,
    }
    atomic.write_text(batch.report_json, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({**row, "differs": "; ".join(differs_lines(row["differs"]))})
    atomic.write_text(batch.report_csv, buf.getvalue())
    story = []
    for v in batch.variants:
        m = v.manifest
        if m is None or v.output is None:
            continue
        scenes = [(s["start"], s["end"]) for s in m.get("scenes", [])]
        notes = differs_lines(v.differs) or [AS_WRITTEN]  # as `cmforge variants` says it
        title = v.label if v.label == v.variant else f"{v.label} ({v.variant})"
        p = plans.get(v.variant)
        lay = p.command.layout if p is not None and p.guides and not p.preview else None
        guides = lay.as_dict(p.timeline.seconds) if lay is not None else None
        size = (p.timeline.width, p.timeline.height) if p is not None else (0, 0)
        story.append(Row(title, v.output, scenes, notes, guides, size))
    if story:
        try:
            batch.storyboard = make_storyboard(story, folder / f"storyboard{suffix}.png")
        except Exception as exc:  # the videos are fine; only the overview could not be drawn
            batch.warnings.append(f"no storyboard: {type(exc).__name__}: {exc}")
            say(batch.warnings[-1])


def report_row(v: VariantResult) -> dict:
    """One variant's line of batch.json / batch.csv, from its manifest where there is one
    (None, an empty CSV cell, where a fact is not known)."""
    m = v.manifest or {}
    out = m.get("output") or {}
    loud = m.get("loudness") or {}
    generated = [s["generated"] for s in m.get("sources", []) if s.get("generated")]
    size = v.output.stat().st_size if m and v.output and v.output.is_file() else None
    return {
        "variant": v.variant,
        "label": v.label,
        "status": v.status,
        "error": first_line(v.error),
        "output": str(v.output) if v.output else "",
        "duration": out.get("duration"),
        "size": f"{out['width']}x{out['height']}" if "width" in out else None,
        "width": out.get("width"),
        "height": out.get("height"),
        "bytes": size,
        "integrated_lufs": loud.get("integrated_lufs"),
        "true_peak_dbtp": loud.get("true_peak_dbtp"),
        "render_seconds": 0 if v.status == "skipped" else round(v.seconds, 3),
        "cache_hits": (m.get("cache") or {}).get("hits", 0),
        "generated_clips": len(generated),
        "generated_cost": sum(float(g.get("cost") or 0) for g in generated),
        # dollars the generated files in the video cost when made; offline stand-ins in it
        "generated_usd": m.get("generated_usd") if m else None,
        "stand_ins": len(m.get("stand_ins") or []) if m else None,
        "differs": v.differs,
    }
