"""The runner of a batch of variants: rendered in parallel, resumed, and reported side by side.

render_batch plans every variant, skips those already up to date (resume), checks the credit
budget once over every variant's clips, renders the rest through an executor (threads here,
or a Dask cluster), and writes into the first variant's output folder: storyboard.png (a row
of key frames per variant), batch.json and batch.csv.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..assets import check_batch_budget
from ..assets.standins import refuse_stand_ins, will_be_stand_ins
from ..errors import CmforgeError
from ..pipeline import Plan, plan
from ..recipe.model import Recipe
from .events import AGAIN, DONE, FAILED, SKIPPED, Event
from .executors import Executor, ThreadExecutor, VariantTask
from .report import first_line, write_reports
from .result import BatchResult, VariantResult
from .resume import is_current

Events = Callable[[str], None]
Progress = Callable[[int, int], None]
ProgressFactory = Callable[[str, int], Progress]  # (variant, frames to encode) -> callback


def default_jobs() -> int:
    """Variants rendered at once by default: half the cores. Each render's x264 encoder runs
    2 threads (compile.encoder_args), so more would only make the renders wait on each other."""
    return max(1, (os.cpu_count() or 1) // 2)


def _differs(recipes: list[Recipe]) -> dict[str, dict]:
    """What each variant changes: the recipe's own account (r.differs, empty for the base
    recipe as written, as `cmforge variants` says) when the batch comes from [[variants]] or
    [matrix]; for recipes made otherwise (no variant has an account), the variables whose
    values are not the same across the batch. Variables by their plain name (`headline`, not
    `vars.headline`), so every row of a storyboard reads alike."""
    shared = [k for k in recipes[0].vars if k != "variant"] if recipes else []
    varying = [k for k in shared if len({str(r.vars.get(k)) for r in recipes}) > 1]
    accounted = any(getattr(r, "differs", None) for r in recipes)
    out = {}
    for r in recipes:
        own = getattr(r, "differs", None) or {}
        found = dict(own) if accounted else {k: r.vars.get(k) for k in varying}
        out[r.variant] = {k.removeprefix("vars."): v for k, v in found.items()}
    return out


@dataclass
class _Planned:
    """A batch once every variant is planned: what each became so far, the renders to run,
    and what planning found to say (said once the budget allows the batch to start)."""

    results: dict[str, VariantResult] = field(default_factory=dict)
    tasks: list[VariantTask] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)


def _plan_all(recipes: list[Recipe], preview: bool, resume: bool, guides: bool = False) -> _Planned:
    """Plan every variant, one at a time (this also makes the title cards each render will
    use); with resume, a variant already up to date is skipped. Nothing is rendered, nothing
    generated or spent."""
    differs = _differs(recipes)
    out = _Planned()

    def result(r: Recipe, output: Path | None, status: str, **kw: Any) -> None:
        label = getattr(r, "label", None) or r.variant
        out.results[r.variant] = VariantResult(
            r.variant, label, differs[r.variant], output, status, **kw
        )

    for r in recipes:
        try:
            p = out.plans[r.variant] = plan(r, preview=preview, guides=guides)
        except CmforgeError as exc:
            result(r, None, "failed", error=str(exc), exception=exc)
            out.said.append(Event(r.variant, f"failed: {first_line(str(exc))}", FAILED))
            continue
        why = ""
        if resume:
            current, why = is_current(r, p.output, preview=preview, planned=p)
            if current:
                result(r, p.output, "skipped", reason=why)
                out.said.append(Event(r.variant, "skipped (up to date)", SKIPPED))
                continue
            if p.output.exists():
                out.said.append(Event(r.variant, f"{why}: rendering again", AGAIN))
        dests = tuple(e["dest"] for e in p.generation)
        out.tasks.append(VariantTask(r, preview, p.timeline.frames, dests, p))
        result(r, p.output, "pending", reason=why)
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
    max_cost: float | None = None,
    final: bool = False,
    guides: bool = False,
) -> BatchResult:
    """Render the variants, `jobs` at once (default: default_jobs()); a variant that fails
    does not stop the others. With resume, variants already up to date (is_current) are
    skipped. Every variant is planned first; paid generation above the budget (of the first
    variant: max_cost / max_credits, else its recipe's, else $0) is refused then, once for the
    whole batch, before anything starts (BudgetError); with final, so is a variant whose video
    would contain an offline stand-in (StandInError). Unless reports=False, storyboard.png,
    batch.json and batch.csv are written into the first variant's output folder
    (NAME.preview.* for a preview batch). guides: the safe zone and every text and logo box
    drawn over a preview's picture and over the storyboard (never into a final video)."""
    say = on_event or (lambda _m: None)
    planned = _plan_all(recipes, preview, resume, guides)
    tasks, results = planned.tasks, planned.results
    if final:  # a video for delivery: no stand-in in it (StandInError, nothing done)
        refuse_stand_ins(
            {
                t.variant: will_be_stand_ins(p.assets.jobs, p.assets.used)
                for t in tasks
                for p in [planned.plans[t.variant]]
            }
        )
    if recipes:
        entries = [e for t in tasks for e in planned.plans[t.variant].generation]
        check_batch_budget(recipes[0], entries, max_credits, max_cost)
    for message in planned.said:
        say(message)

    bars: dict[str, Progress] = {}
    if on_progress_factory is not None:
        bars = {t.variant: on_progress_factory(t.variant, t.frames) for t in tasks}
    run = executor or ThreadExecutor(jobs or default_jobs())
    for outcome in run.run(tasks, say, lambda name: bars.get(name) or _ignore):
        v = results[outcome.variant]
        v.seconds = outcome.seconds
        if outcome.ok:
            v.status, v.output = "rendered", outcome.output
            say(Event(v.variant, f"rendered in {outcome.seconds:.1f} s", DONE))
        else:
            v.status, v.error, v.trace = "failed", outcome.error, outcome.trace
            v.exception = outcome.exception
            say(Event(v.variant, f"failed: {first_line(outcome.error)}", FAILED))
        finish = getattr(bars.get(v.variant), "finish", None)
        if finish is not None:
            finish()
    batch = BatchResult([results[r.variant] for r in recipes])
    for v in batch.variants:  # a variant whose task never came back
        if v.status == "pending":
            v.status, v.error = "failed", "the render did not finish"
    if reports and recipes:
        write_reports(batch, recipes, planned.plans, preview, say)
    return batch


def _ignore(_done: int, _total: int) -> None:
    pass
