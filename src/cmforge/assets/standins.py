"""Stand-ins are never shipped by accident.

An offline stand-in (a provider registered with `fallback = True`: the zoomed still, the prompt
card) is made when the provider a recipe asks for cannot run here. From then on it lies at the
clip's or still's path like any file, so each generated file gets a provenance sidecar
`<file>.provenance.json` when it is made: provider, model, request, whether it is a stand-in,
task id, cost. With it:

- when a paying provider is configured, a cached stand-in is made again for real (within the
  budget, like any paid item) unless the recipe pins it (`keep_stand_in = true` in
  `[scenes.generate]` or `[[stills]]`): `needs_real` decides, `set_aside` keeps the stand-in
  until the real file exists (and puts it back if generation fails);
- a render that contains stand-ins says so (`stand_ins_in`: the manifest's `stand_ins`, the last
  line of the render's output, batch.csv's `stand_ins`), and `render --final` refuses it.

A clip made by a paid provider from a stand-in still shows that stand-in, so it counts as a
stand-in too (`stand_in_reason` says which still, `from_stand_in` lists them); it is made again
only once its request changes (the still made for real has other bytes), since paying again for
the same request would give the same stand-in picture. Files made before sidecars existed: a file
in the cache with no sidecar that a paying provider has no record of was made by the stand-in
(the only other maker of cached files), and is treated as one.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .. import atomic
from ..errors import CmforgeError
from ..generate import GenerationJob, GenerationResult, provider_named
from ..generate.base import CACHE_DIR
from ..generate.jobs import waits_for

SIDECAR = ".provenance.json"


def provenance_path(file: Path) -> Path:
    """The provenance sidecar beside a generated file: NAME.EXT.provenance.json."""
    return file.with_name(file.name + SIDECAR)


def read_provenance(file: Path) -> dict | None:
    """What the sidecar beside `file` says, or None (no sidecar, or unreadable)."""
    try:
        data = json.loads(provenance_path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_fallback(provider: str, makes: str) -> bool:
    try:
        return bool(provider_named(provider, makes).fallback)
    except KeyError:
        return False


def provenance_of(job: GenerationJob, result: GenerationResult, unit: str | None = None) -> dict:
    """The sidecar's content for a file just made (`unit`: what `cost` is counted in)."""
    stand_in = bool(result.details.get("stand_in")) or _is_fallback(result.provider, job.makes)
    reason = "made by the offline stand-in" if stand_in else ""
    from_stand_in = [] if stand_in else [p for p in waits_for(job) if is_stand_in(p)]
    if from_stand_in:
        stand_in = True
        reason = "made from the stand-in still " + ", ".join(p.name for p in from_stand_in)
    request = result.request
    return {
        "file": job.dest.name,
        "scene": job.scene_key,
        "makes": job.makes,
        "provider": result.provider,
        "model": request.get("model") if isinstance(request, dict) else None,
        "stand_in": stand_in,
        **({"stand_in_reason": reason} if reason else {}),
        **({"from_stand_in": [str(p) for p in from_stand_in]} if from_stand_in else {}),
        "task_id": result.task_id,
        "cost": result.cost,
        "unit": result.details.get("unit") or unit,
        "money_usd": result.money_usd,
        "fingerprint": job.fingerprint,
        "take": job.take,
        "request": request,
        "made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_provenance(job: GenerationJob, result: GenerationResult, unit: str | None = None) -> Path:
    """Write the sidecar beside the file a job made (atomically); return its path."""
    path = provenance_path(result.path)
    data = provenance_of(job, result, unit)
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    return path


def is_stand_in(file: Path) -> bool:
    """Whether the file's sidecar says it is a stand-in."""
    data = read_provenance(file)
    return bool(data and data.get("stand_in"))


def _legacy_stand_in(job: GenerationJob, recipe_folder: Path) -> bool:
    """A cached file made before sidecars existed, of which the paying provider the job was
    given to has no record: the stand-in made it."""
    if not job.dest.resolve().is_relative_to((recipe_folder / CACHE_DIR).resolve()):
        return False
    try:
        return job.maker().provenance(job, recipe_folder) is None
    except Exception:  # a provider that cannot read its records: do not guess
        return False


def needs_real(job: GenerationJob, recipe_folder: Path) -> bool:
    """Whether the file at job.dest is a stand-in to be made again for real: the job's
    provider pays (it is not a stand-in itself), the recipe does not pin the stand-in, and the
    file is one (its sidecar says so, or a cached file no paying provider made)."""
    if not job.dest.exists() or job.generate.keep_stand_in or not job.provider:
        return False
    if _is_fallback(job.provider, job.makes):
        return False
    data = read_provenance(job.dest)
    if data is None:
        return _legacy_stand_in(job, recipe_folder)
    if data.get("from_stand_in"):  # paid for, from a stand-in still: again once that changed
        return data.get("fingerprint") != job.fingerprint
    return bool(data.get("stand_in"))


def aside_path(file: Path) -> Path:
    """Where a stand-in waits while the real file is made: .NAME.stand-in.EXT beside it."""
    return file.with_name(f".{file.stem}.stand-in{file.suffix}")


def set_aside(file: Path) -> Path | None:
    """Move a stand-in (and its sidecar) out of the way of the real file; None if absent."""
    if not file.exists():
        return None
    aside = aside_path(file)
    os.replace(file, aside)
    side = provenance_path(file)
    if side.exists():
        os.replace(side, provenance_path(aside))
    return aside


def put_back(file: Path, aside: Path | None) -> None:
    """The real file could not be made: the stand-in goes back where it was."""
    if aside is None or not aside.exists() or file.exists():
        return
    os.replace(aside, file)
    side = provenance_path(aside)
    if side.exists():
        os.replace(side, provenance_path(file))


def drop_aside(aside: Path | None) -> None:
    """The real file exists: the stand-in set aside is no longer needed."""
    if aside is None:
        return
    aside.unlink(missing_ok=True)
    provenance_path(aside).unlink(missing_ok=True)


def stand_ins_in(
    used: dict[Path, str], generated: dict[Path, GenerationResult] | None = None
) -> list[dict]:
    """The stand-ins among the files a video uses (`used`: file -> the key that reads it),
    one entry each: key, file, provider, why."""
    out = []
    for path, key in sorted(used.items(), key=lambda kv: kv[1]):
        data = read_provenance(path)
        if data is None or not data.get("stand_in"):
            continue
        made = (generated or {}).get(path)
        out.append(
            {
                "key": key,
                "file": str(path),
                "provider": data.get("provider") or (made.provider if made else None),
                "why": data.get("stand_in_reason") or "made by the offline stand-in",
            }
        )
    return out


def will_be_stand_ins(jobs: list[GenerationJob], used: dict[Path, str]) -> list[dict]:
    """What a render of a plan would ship as stand-ins: the files it uses that are stand-ins
    (and are not about to be made for real), and the jobs an offline stand-in will make."""
    remade = {j.dest for j in jobs}
    out = [e for e in stand_ins_in(used) if Path(e["file"]) not in remade]
    stand_in_jobs = [j for j in jobs if _is_fallback(j.provider, j.makes)]
    stills = {j.dest for j in stand_in_jobs if j.makes == "still"}
    real = {j.dest for j in jobs if j not in stand_in_jobs}  # made (again) by a paid provider
    for j in jobs:
        if j in stand_in_jobs:
            why = "to be made by the offline stand-in"
        elif any(p in stills or (is_stand_in(p) and p not in real) for p in waits_for(j)):
            why = "to be made from a stand-in still"
        else:
            continue
        if j.take == j.generate.pick:
            entry = {"key": j.scene_key, "file": str(j.dest), "provider": j.provider, "why": why}
            out.append(entry)
    return out


class StandInError(CmforgeError):
    """`render --final` and the video would contain stand-ins: nothing was rendered or spent."""

    exit_code = 2


def stand_ins_text(found: list[dict], limit: int = 4) -> str:
    """'scenes[0] (made by the offline stand-in), stills[0] (...)', the first few."""
    shown = [f"{e['key']} ({e['why']})" for e in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return ", ".join(shown) + more


def refuse_stand_ins(found: dict[str, list[dict]]) -> None:
    """`--final`: raise StandInError when any variant (name -> its stand-ins) would ship one."""
    found = {k: v for k, v in found.items() if v}
    if not found:
        return
    lines = [f"{variant}: {stand_ins_text(items, 8)}" for variant, items in found.items()]
    n = sum(len(v) for v in found.values())
    raise StandInError(
        f"--final: the video would contain {n} stand-in(s), so nothing was rendered or "
        "spent:\n  " + "\n  ".join(lines) + "\n  hint: set the keys of the provider the recipe "
        "asks for (a stand-in is then made for real, within --max-cost), or remove "
        "keep_stand_in = true; render without --final for a draft"
    )
