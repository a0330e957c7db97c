"""What a batch tells its caller: each variant's result, and the batch's (with its reports)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..render.manifest import manifest_path


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
    # the error itself (None where only its text is known, e.g. from a Dask worker)
    exception: Exception | None = field(default=None, repr=False, compare=False)

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
