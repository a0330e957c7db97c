"""A batch of variants: rendered in parallel, resumed, and reported side by side.

render_batch plans every variant, skips those already up to date (resume), renders the rest
through an executor (threads here, or a Dask cluster), and writes into the first variant's
output folder: storyboard.png (a row of key frames per variant), batch.json and batch.csv.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import atomic
from .errors import CmforgeError
from .executors import Executor, ThreadExecutor, VariantTask
from .media.probe import sha256
from .pipeline import Plan, budget_of, check_budget, plan
from .recipe.model import Recipe
from .render.manifest import manifest_path
from .version import __version__

Events = Callable[[str], None]
Progress = Callable[[int, int], None]
ProgressFactory = Callable[[str, int], Progress]  # (variant, frames to encode) -> callback

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
    "differs",
]


def default_jobs() -> int:
    """Variants rendered at once by default: half the cores. Each render's x264 encoder runs
    2 threads (compile.encoder_args), so more would only make the renders wait on each other."""
    return max(1, (os.cpu_count() or 1) // 2)


@dataclass
class VariantResult:
    variant: str
    label: str
    differs: dict
    output: Path | None
    status: str  # rendered | skipped | failed
    error: str = ""
    seconds: float = 0.0  # render time; 0 for a skipped variant
    reason: str = ""  # why it was skipped, or rendered again
    trace: str = ""  # the traceback of an internal error (a bug in cmforge)

    @property
    def manifest(self) -> dict | None:
        if self.output is None or self.status == "failed":
            return None
        try:
            return json.loads(manifest_path(self.output).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


@dataclass
class BatchResult:
    variants: list[VariantResult]
    storyboard: Path | None = None
    report_json: Path | None = None
    report_csv: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[VariantResult]:
        return [v for v in self.variants if v.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


def _frames_in(video: Path) -> int | None:
    import av

    try:
        with av.open(str(video)) as c:
            return c.streams.video[0].frames
    except Exception:  # any damage means: not current
        return None


def is_current(
    recipe: Recipe, output: Path, *, preview: bool = False, planned: Plan | None = None
) -> tuple[bool, str]:
    """Whether the video at output (and its manifest) is what rendering the recipe now would
    make: same ffmpeg command line, same source files (sha256), same cmforge and FFmpeg, the
    video's own bytes are those the manifest recorded (sha256: a truncated or edited file is
    not current even when its header still claims every frame), and it opens with the frame
    count its manifest records. Returns (current, reason)."""
    from .media.ffmpeg import check_ffmpeg

    if not output.is_file():
        return False, "no video yet"
    try:
        m = json.loads(manifest_path(output).read_text(encoding="utf-8"))
    except OSError:
        return False, "no manifest"
    except ValueError:
        return False, "the manifest does not read"
    if m.get("cmforge") != __version__:
        return False, f"made by cmforge {m.get('cmforge')}, this is {__version__}"
    if m.get("ffmpeg") != check_ffmpeg().version:
        return False, f"made by FFmpeg {m.get('ffmpeg')}"
    p = planned or plan(recipe, preview=preview)
    if p.generation:
        return False, "a clip is to be generated"
    recorded = {s.get("path"): s.get("sha256") for s in m.get("sources", [])}
    if set(recorded) != {str(path) for path in p.assets.used}:
        return False, "the recipe uses other source files"
    for path, digest in recorded.items():
        f = Path(path)
        if not f.is_file():
            return False, f"{f.name} is missing"
        if sha256(f) != digest:
            return False, f"{f.name} changed"
    if m.get("ffmpeg_command") != p.shell(output):
        return False, "the ffmpeg command changed"
    recorded_out = m.get("output") or {}
    if recorded_out.get("sha256") and sha256(output) != recorded_out["sha256"]:
        return False, "the video is not the file its manifest describes (changed or damaged)"
    frames = recorded_out.get("frames")
    found = _frames_in(output)
    if found is None:
        return False, "the video does not open"
    if found != frames:
        return False, f"the video has {found} frames, its manifest says {frames}"
    return True, "up to date"


def _differs(recipes: list[Recipe]) -> dict[str, dict]:
    """What each variant changes: the recipe's own account (r.differs) where it has one, else
    the variables whose values are not the same across the batch; variables by their plain
    name (`headline`, not `vars.headline`), so every row of a storyboard reads alike."""
    shared = [k for k in recipes[0].vars if k != "variant"] if recipes else []
    varying = [k for k in shared if len({str(r.vars.get(k)) for r in recipes}) > 1]
    out = {}
    for r in recipes:
        own = getattr(r, "differs", None)
        found = dict(own) if own else {k: r.vars.get(k) for k in varying}
        out[r.variant] = {k.removeprefix("vars."): v for k, v in found.items()}
    return out


def render_batch(
    recipes: list[Recipe],
    *,
    jobs: int | None = None,
    resume: bool = False,
    preview: bool = False,
    max_credits: float | None = None,
    on_event: Events | None = None,
    on_progress_factory: ProgressFactory | None = None,
    executor: Executor | None = None,
    reports: bool = True,
) -> BatchResult:
    """Render the variants, `jobs` at once (default: default_jobs()); a variant that fails
    does not stop the others. With resume, variants already up to date (is_current) are
    skipped. Paid generation above the credit budget is refused before anything starts
    (BudgetError). Unless reports=False, storyboard.png, batch.json and batch.csv are written
    into the first variant's output folder (NAME.preview.* for a preview batch)."""
    say = on_event or (lambda _m: None)
    differs = _differs(recipes)
    results: dict[str, VariantResult] = {}
    tasks: list[VariantTask] = []
    plans: dict[str, Plan] = {}

    def result(r: Recipe, output: Path | None, status: str, **kw: Any) -> VariantResult:
        label = getattr(r, "label", None) or r.variant
        v = VariantResult(r.variant, label, differs[r.variant], output, status, **kw)
        results[r.variant] = v
        return v

    for r in recipes:  # one at a time: this also makes the title cards each render will use
        try:
            p = plans[r.variant] = plan(r, preview=preview)
        except CmforgeError as exc:
            result(r, None, "failed", error=str(exc))
            say(f"{r.variant}: failed: {_first_line(str(exc))}")
            continue
        why = ""
        if resume:
            current, why = is_current(r, p.output, preview=preview, planned=p)
            if current:
                result(r, p.output, "skipped", reason=why)
                say(f"{r.variant}: skipped (up to date)")
                continue
            if p.output.exists():
                say(f"{r.variant}: {why}: rendering again")
        dests = tuple(e["dest"] for e in p.generation)
        tasks.append(VariantTask(r, preview, max_credits, p.timeline.frames, dests, p))
        result(r, p.output, "pending", reason=why)
    if tasks:
        entries = [e for t in tasks for e in plans[t.variant].generation]
        check_budget(entries, *budget_of(tasks[0].recipe, max_credits))

    bars: dict[str, Progress] = {}
    if on_progress_factory is not None:
        bars = {t.variant: on_progress_factory(t.variant, t.frames) for t in tasks}
    run = executor or ThreadExecutor(jobs or default_jobs())
    for outcome in run.run(tasks, say, lambda name: bars.get(name) or _ignore):
        v = results[outcome.variant]
        v.seconds = outcome.seconds
        if outcome.ok:
            v.status, v.output = "rendered", outcome.output
            say(f"{v.variant}: rendered in {outcome.seconds:.1f} s")
        else:
            v.status, v.error, v.trace = "failed", outcome.error, outcome.trace
            say(f"{v.variant}: failed: {_first_line(outcome.error)}")
        finish = getattr(bars.get(v.variant), "finish", None)
        if finish is not None:
            finish()
    batch = BatchResult([results[r.variant] for r in recipes])
    for v in batch.variants:  # a variant whose task never came back
        if v.status == "pending":
            v.status, v.error = "failed", "the render did not finish"
    if reports and recipes:
        _write_reports(batch, recipes, plans, preview, say)
    return batch


def _ignore(_done: int, _total: int) -> None:
    pass


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def report_folder(recipes: list[Recipe], plans: dict[str, Plan]) -> Path:
    first = recipes[0]
    p = plans.get(first.variant)
    return (p.output if p else first.output.path).parent


def _write_reports(
    batch: BatchResult,
    recipes: list[Recipe],
    plans: dict[str, Plan],
    preview: bool,
    say: Events,
) -> None:
    from .storyboard import Row, make_storyboard

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
        w.writerow({**row, "differs": _differs_text(row["differs"], "; ")})
    atomic.write_text(batch.report_csv, buf.getvalue())
    story = []
    for v in batch.variants:
        m = v.manifest
        if m is None or v.output is None:
            continue
        scenes = [(s["start"], s["end"]) for s in m.get("scenes", [])]
        notes = _differs_text(v.differs, "\n").splitlines()
        title = v.label if v.label == v.variant else f"{v.label} ({v.variant})"
        story.append(Row(title, v.output, scenes, notes))
    if story:
        try:
            batch.storyboard = make_storyboard(story, folder / f"storyboard{suffix}.png")
        except Exception as exc:  # the videos are fine; only the overview could not be drawn
            batch.warnings.append(f"no storyboard: {type(exc).__name__}: {exc}")
            say(batch.warnings[-1])


def _differs_text(differs: dict, sep: str) -> str:
    return sep.join(f"{k} = {v}" for k, v in differs.items())


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
        "error": _first_line(v.error),
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
        "differs": v.differs,
    }
