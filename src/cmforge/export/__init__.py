"""`cmforge export`: the resolved timeline of each variant (the one `plan` shows and `render`
uses) handed to a desktop editor as an editable project: OpenTimelineIO (`.otio`), FCP 7 XML
(through the OTIO FCP adapter) or MLT XML (Shotcut, Kdenlive, `melt`). edit.py turns a plan
into one editor-neutral record and makes the pictures; one module per format writes it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import atomic
from ..assets import check_batch_budget
from ..assets.generation import generate_all
from ..errors import CmforgeError, shown_path
from ..pipeline import plan as plan_recipe
from ..recipe.model import Recipe
from ..render import Plan
from . import mlt, otio
from .edit import MEDIA, Edit, build_edit
from .paths import place_media

FORMATS = {"otio": ".otio", "fcp7": ".xml", "mlt": ".mlt"}


class ExportError(CmforgeError):
    exit_code = 2


def _check_format(fmt: str, recipe: Recipe) -> None:
    """Before anything is planned or generated: the format exists and can hold the ad."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt != "mlt" and (why := otio.available()):
        raise ExportError(why)
    if fmt == "fcp7" and (why := otio.fcp7_rate_problem(recipe.output.fps)):
        raise ExportError(
            f"{shown_path(recipe.file)}: output.fps: {why}; hint: --set output.fps=24 "
            "(or 25, 30, 50, 60), or --to otio / --to mlt, which keep any rate"
        )


@dataclass(frozen=True)
class Exported:
    project: Path
    edit: Edit


def export_plan(plan: Plan, fmt: str, folder: Path, bundle: bool = False) -> Exported:
    """Write the plan's timeline as a `fmt` project into `folder` (cmforge's own pictures in
    folder/media); media by path relative to the project, or copied beside it (bundle)."""
    _check_format(fmt, plan.recipe)
    folder.mkdir(parents=True, exist_ok=True)
    stem = plan.recipe.output.path.stem
    project = folder / f"{stem}{FORMATS[fmt]}"
    edit = build_edit(plan, folder / MEDIA)
    names = place_media(edit, project, bundle)
    tmp = atomic.temporary(project)
    try:
        if fmt == "mlt":
            mlt.write(edit, names, tmp)
        else:
            otio.write(edit, names, tmp, adapter="fcp_xml" if fmt == "fcp7" else "otio_json")
        tmp.replace(project)
    finally:
        tmp.unlink(missing_ok=True)
    return Exported(project, edit)


def export_recipe(
    recipe: Recipe,
    fmt: str,
    folder: Path,
    *,
    bundle: bool = False,
    max_credits: float | None = None,
    on_event=None,
) -> Exported:
    """One variant: planned as a render would plan it (clips still to generate made first,
    within the credit budget, as `render` does), then exported."""
    say = on_event or (lambda _m: None)
    _check_format(fmt, recipe)
    p = plan_recipe(recipe)
    if p.generation:
        check_batch_budget(recipe, p.generation, max_credits)
        if generate_all(recipe, p.assets, say):
            p = plan_recipe(recipe)
    return export_plan(p, fmt, folder, bundle)


__all__ = ["FORMATS", "ExportError", "Exported", "export_plan", "export_recipe"]
