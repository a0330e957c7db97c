"""Batches of variants: planned together, the credit budget checked once, rendered in parallel
(threads on this machine, or a Dask cluster), resumed, and reported side by side.

`run.py` (render_batch: the runner), `executors.py` (where each variant renders), `resume.py`
(what `--resume` skips), `report.py` (batch.json and batch.csv), `storyboard.py` (the key
frames of every variant in one picture), `result.py` (what a batch returns), `events.py` (its
messages about each variant). A single render is a batch of one: the same runner."""

from .events import Event
from .executors import DaskExecutor, Executor, Outcome, ThreadExecutor, VariantTask
from .report import COLUMNS, report_row
from .result import BatchResult, VariantResult
from .resume import is_current
from .run import default_jobs, render_batch

__all__ = [
    "COLUMNS",
    "BatchResult",
    "DaskExecutor",
    "Event",
    "Executor",
    "Outcome",
    "ThreadExecutor",
    "VariantResult",
    "VariantTask",
    "default_jobs",
    "is_current",
    "render_batch",
    "report_row",
]
