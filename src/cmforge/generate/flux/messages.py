"""What the flux provider says: a still that may have been paid for without being saved, and
the record of a still made (or found)."""

from __future__ import annotations

import time
from pathlib import Path

from ..base import GenerationJob, GenerationResult
from ..prices import FLUX_CREDITS, Cost, money, usd
from .errors import FluxLostAnswer, FluxResultExpired
from .journal import Attempt


def lost_error(
    rec: Attempt, model: str, cost: Cost, balance_now: float | None, journal: Path
) -> FluxLostAnswer:
    """A create whose answer never arrived: what happened and why, what may have been charged,
    how the balance moved since the intent (when FLUX tells it), where the journal is."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(rec.sent_at or time.time()))
    what = f"this still ({rec.model or model}, attempt {rec.attempt})"
    if rec.state == "lost":
        happened = f"the answer to the request for {what}, sent at {when}, was lost"
        happened += f" ({rec.reason})" if rec.reason else ""
    else:  # an intent and nothing after it: the run stopped while the request was out
        happened = (
            f"a run was stopped at {when} while it asked FLUX for {what}, before an "
            "answer was recorded"
        )
    text = (
        f"{happened}: FLUX may have made it and charged {cost.text()}.\n    FLUX cannot "
        "look a task up without its answer, so cmforge does not ask again on its own."
    )
    if rec.credits_before is not None and balance_now is not None:
        drop = round(rec.credits_before - balance_now, 2)
        text += (
            f"\n    balance: {rec.credits_before:g} {FLUX_CREDITS} before it, {balance_now:g} now"
            + (
                f" ({drop:g} less: probably charged, unless other tasks ran meanwhile)"
                if drop > 0
                else " (no drop: probably not charged)"
            )
        )
    return FluxLostAnswer(text + f"\n    journal: {journal}")


def expired_error(rec: Attempt, cost: Cost, dest: Path) -> FluxResultExpired:
    """A still made and paid for that FLUX no longer serves, with no copy saved."""
    return FluxResultExpired(
        f"the still of task {rec.task_id} was made (and paid for), but FLUX no longer serves "
        f"it (the download link lives 10 minutes) and no saved copy is at {dest}. Making "
        f"it again costs {cost.text()}; cmforge does not do that on its own"
    )


def result_of(
    job: GenerationJob, take: int, rec: Attempt | None, details: dict, listed: float
) -> GenerationResult:
    """The GenerationResult of a still: made now (`details` has what was done), or found at
    its path (no details; `rec` the journal's record when this provider made it). `listed`:
    the price of one, booked when FLUX answered no cost."""
    spent = rec.cost if rec and rec.cost is not None else (listed if rec else 0.0)
    dollars = usd(spent, FLUX_CREDITS)
    facts = {
        "take": take,
        "attempt": rec.attempt if rec else 0,
        "unit": FLUX_CREDITS,
        "reused": not details,
        "spent_now": spent if details.get("created_now") else 0.0,
        "stand_in": False,
        **details,
    }
    if rec and rec.request:
        facts["sent"] = rec.request
    request = {**job.request(), "take": take}
    if details:
        say_cost = f"{spent:g} {FLUX_CREDITS} = {money(dollars)}"
        facts["did"] = f"FLUX {request.get('model')}, task {rec.task_id if rec else ''}, {say_cost}"
    return GenerationResult(
        job.dest,
        "flux",
        request,
        task_id=rec.task_id if rec else "",
        cost=spent,
        details=facts,
        money_usd=dollars,
    )
