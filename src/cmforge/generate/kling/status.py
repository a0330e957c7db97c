"""`cmforge kling status`: what the journal knows, and what the account has left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...errors import CmforgeError, shown_path
from .client import KlingClient
from .errors import KlingError
from .journal import Journal
from .plugin import has_credentials


def status_lines(recipe: Path | None) -> Iterator[str]:
    folder = recipe.resolve().parent if recipe else Path.cwd()
    journal = Journal.for_recipe(folder)
    records = journal.records() if journal.path.exists() else {}
    rows = list(records.values()) if isinstance(records, dict) else list(records)
    yield f"journal: {shown_path(journal.path)} ({len(rows)} task(s))"
    for r in rows:
        units = f"{r.units:g}" if r.units is not None else "-"
        yield (
            f"  {r.scene or '-':<14} {r.state:<10} task {r.task_id or '-':<20} "
            f"units {units:<5} {r.external_task_id}" + (f"  ({r.reason})" if r.reason else "")
        )
    if not has_credentials():
        yield "account: KLING_ACCESS_KEY/KLING_SECRET_KEY not set (offline: nothing to ask)"
        return
    try:
        packs = KlingClient.from_env().account_costs()
    except KlingError as exc:
        raise CmforgeError(f"could not read the account's resources: {exc}") from None
    for pack in packs:
        yield (f"account: {pack.name}: {pack.remaining:g} of {pack.total:g} left ({pack.status})")
