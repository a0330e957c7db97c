"""The credit budget for paid clip generation, checked in one place: once per batch (a single
render being a batch of one), before the first paid request, over every variant's clips."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import CmforgeError
from ..recipe.model import Recipe


class BudgetError(CmforgeError):
    """Paid generation would go above the credit budget: nothing was spent."""

    exit_code = 2


def budget_of(recipe: Recipe, max_credits: float | None) -> tuple[float, str]:
    """The budget and where it comes from: max_credits (`--max-credits`), else the recipe's
    `[generate] max_credits`, else 0."""
    if max_credits is not None:
        return max_credits, "--max-credits"
    if recipe.max_credits is not None:
        return recipe.max_credits, "[generate] max_credits in the recipe"
    return 0.0, "the default budget is 0 credits"


def check_budget(entries: list[dict], budget: float, source: str) -> None:
    """Refuse, before the first paid request, generation that costs more than the budget."""
    paid = {e["dest"]: e for e in entries if e.get("credits")}  # one per clip file (take)
    total = sum(e["credits"] for e in paid.values())
    if total <= budget:
        return
    lines = [
        f"{e['scene']}: {e['credits']:g} credits, about {e.get('money', 0):.2f} "
        f"{e.get('currency', 'USD')} ({e['what']})"
        for e in paid.values()
    ]
    raise BudgetError(
        f"generating {len(paid)} clip(s) costs {total:g} credits, above the budget of "
        f"{budget:g} ({source}); nothing was generated or spent.\n  "
        + "\n  ".join(lines)
        + "\n  Allow it with --max-credits N or [generate] max_credits = N in the recipe."
    )


def check_batch_budget(
    first: Recipe, entries: Iterable[dict], max_credits: float | None = None
) -> None:
    """The budget check of a batch: `entries` are the generation plans of every variant
    together (pipeline.generation_plan: a clip shared by variants, the same file, counts once),
    held against the budget of the batch's first variant (budget_of). Raises BudgetError,
    before anything is generated or spent. The batch runner, a single render and
    `cmforge generate` each call this once, before their first paid request."""
    check_budget(list(entries), *budget_of(first, max_credits))
