"""The manifest's account of the recipe's stills: for each, the file used and where it came
from (provider, model, prompt, seed, task id), whether this render made it or an earlier one."""

from __future__ import annotations

import json
from pathlib import Path

from ..generate import GenerationResult
from ..generate.jobs import still_jobs
from ..recipe.model import Recipe


def stills_provenance(recipe: Recipe, generated: dict[Path, GenerationResult]) -> list[dict]:
    """One entry per still of the recipe (the take it uses)."""
    size = (recipe.output.width, recipe.output.height)
    out = []
    for still in recipe.stills:
        gen = still.generate
        job = still_jobs(still, size)[gen.pick - 1]
        entry = {
            "key": still.key,
            "path": str(still.path),
            "file": str(job.dest),
            "take": job.take,
            "prompt": gen.prompt,
            "negative_prompt": gen.negative_prompt,
            "aspect_ratio": job.generate.aspect_ratio,
            "model": gen.options.get("model"),
            "seed": gen.options.get("seed"),
        }
        made = generated.get(job.dest)
        if made is not None:
            record = {
                "provider": made.provider,
                "task_id": made.task_id,
                "cost": made.cost,
                "money_usd": made.money_usd,
                "request": made.request,
                "stand_in": bool(made.details.get("stand_in")),
                "made": "this render",
            }
        else:
            record = _earlier(job.dest) or _from_provider(job, recipe.folder)
        out.append({**entry, **record, **_asked(record.get("request"))})
    return out


def _asked(request: object) -> dict:
    """The model and seed as sent, where the request records them."""
    if not isinstance(request, dict):
        return {}
    return {k: request[k] for k in ("model", "seed", "prompt") if request.get(k) is not None}


def _earlier(file: Path) -> dict | None:
    """What the provenance sidecar beside the file says (written when it was made)."""
    side = file.with_name(file.name + ".provenance.json")
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    keep = ("provider", "task_id", "cost", "money_usd", "request", "stand_in")
    return {**{k: data.get(k) for k in keep}, "made": "an earlier render"}


def _from_provider(job, folder: Path) -> dict:  # noqa: ANN001 - a GenerationJob
    record = job.maker().provenance(job, folder) if job.provider else None
    if record:
        return {**record, "made": "an earlier render (from the provider's records)"}
    return {
        "provider": None,
        "task_id": "",
        "made": "found at its path: the recipe's own file, or made with no record kept",
    }
