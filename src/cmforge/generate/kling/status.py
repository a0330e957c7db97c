"""`cmforge kling status` and `cmforge kling account`: what the journal knows, and what the
account has left."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ...errors import CmforgeError, shown_path
from ..prices import KLING_IMAGE_UNITS, KLING_UNITS, money, usd
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


@dataclass(frozen=True)
class Balance:
    """What one resource pack has left, in the unit it is counted in."""

    name: str
    unit: str  # Kling API units (a video pack) or Kling image units (an image pack)
    remaining: float
    total: float
    status: str

    def text(self) -> str:
        left = f"{self.remaining:g} of {self.total:g} {self.unit} left"
        worth = usd(self.remaining, self.unit)
        return f"{self.name}: {left} (about {money(worth)} at list price; {self.status})"


def balances(env: Mapping[str, str] | None = None) -> list[Balance]:
    """The account's resource packs (section 4.7: free, about one call a second; the figures
    may lag real usage by up to 12 hours). Raises CmforgeError when Kling cannot be asked."""
    if not has_credentials(env):
        raise CmforgeError(
            "KLING_ACCESS_KEY and KLING_SECRET_KEY are not set: the balance cannot be asked"
        )
    try:
        with KlingClient.from_env(env) as client:
            packs = client.account_costs()
    except KlingError as exc:
        raise CmforgeError(f"could not read the account's resources: {exc}") from None
    return [
        Balance(
            p.name,
            KLING_IMAGE_UNITS if "image" in p.name.lower() else KLING_UNITS,
            p.remaining,
            p.total,
            p.status,
        )
        for p in packs
    ]
