"""The budget for paid generation, checked in one place: once per batch (a single render being a
batch of one, `cmforge generate` a batch of its variants), before the first paid request, over
every variant's stills and clips together.

One budget across providers, in US dollars (`--max-cost 2.50`, else `[generate] max_cost`), and
the contract's older limit in API units (`--max-credits`, else `[generate] max_credits`, in the
unit prices.CREDIT_LIMIT_UNIT names, printed with every figure), both optional; with neither,
the budget is $0: nothing is paid without one. Each paid item is priced in its provider's own
unit and in dollars (generate/prices.py):

- a money budget holds every paid item, whatever its provider, to the total in dollars;
- the unit limit holds the items billed in that unit to their total in it; the items of other
  providers and units then need a money budget too, since a limit in one provider's units says
  nothing of another's. Given both, both hold.

Every figure in the messages carries its unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import CmforgeError
from ..generate.prices import CREDIT_LIMIT_UNIT as LIMIT_UNIT
from ..generate.prices import USD, money
from ..recipe.model import Recipe


class BudgetError(CmforgeError):
    """Paid generation would go above the budget: nothing was spent."""

    exit_code = 2


@dataclass(frozen=True)
class Budget:
    """The most a run may pay: in US dollars (None: not given) and in the credit-limit unit
    (None: not given), with where each comes from. Neither given: $0."""

    max_usd: float | None = None
    usd_source: str = ""
    max_units: float | None = None
    units_source: str = ""

    @property
    def given(self) -> bool:
        return self.max_usd is not None or self.max_units is not None

    def text(self) -> str:
        """'$2.50 (--max-cost)', the unit limit ('3.5 ... units (--max-credits)'), both, or the
        default."""
        parts = []
        if self.max_usd is not None:
            parts.append(f"{money(self.max_usd)} ({self.usd_source})")
        if self.max_units is not None:
            parts.append(f"{self.max_units:g} {LIMIT_UNIT} ({self.units_source})")
        return " and ".join(parts) or "$0.00 (no budget given: nothing is paid without one)"


def budget_of(
    recipe: Recipe, max_credits: float | None = None, max_cost: float | None = None
) -> Budget:
    """The budget and where each part comes from: the command line's `--max-cost` and
    `--max-credits`, else the recipe's `[generate] max_cost` and `max_credits`."""
    usd, usd_from = max_cost, "--max-cost"
    if usd is None and getattr(recipe, "max_cost", None) is not None:
        usd, usd_from = recipe.max_cost, "[generate] max_cost in the recipe"
    units, units_from = max_credits, "--max-credits"
    if units is None and recipe.max_credits is not None:
        units, units_from = recipe.max_credits, "[generate] max_credits in the recipe"
    return Budget(
        usd, usd_from if usd is not None else "", units, units_from if units is not None else ""
    )


def paid_items(entries: Iterable[dict]) -> list[dict]:
    """The paid items among generation plan entries, one per file made (a still or clip the
    variants share, the same file, counts once)."""
    return list({e["dest"]: e for e in entries if e.get("credits") or e.get("money")}.values())


@dataclass(frozen=True)
class Totals:
    """What paid items cost together: dollars, and the amount per unit."""

    usd: float
    by_unit: dict[str, float]
    count: int

    def text(self) -> str:
        """'7 ... units = $0.98' in one unit; '$1.02 (7 ... units, 4 ... credits)' in
        several: dollars, then each unit's amount."""
        if not self.count:
            return "nothing paid"
        if len(self.by_unit) == 1:
            [(unit, amount)] = self.by_unit.items()
            return f"{amount:g} {unit} = {money(self.usd)}"
        amounts = ", ".join(f"{v:g} {u}" for u, v in self.by_unit.items())
        return money(self.usd) + (f" ({amounts})" if amounts else "")


def unit_of(entry: dict) -> str:
    """The unit an entry's `credits` are in (a provider that names none: its own credits)."""
    return str(entry.get("unit") or f"{entry.get('provider') or 'provider'} credits")


def totals(entries: Iterable[dict]) -> Totals:
    """The dollars and the amounts per unit of the paid items (paid_items) among entries."""
    items = paid_items(entries)
    by_unit: dict[str, float] = {}
    for e in items:
        unit = unit_of(e)
        by_unit[unit] = by_unit.get(unit, 0.0) + float(e.get("credits") or 0)
    usd = round(sum(float(e.get("money") or 0) for e in items), 4)
    return Totals(usd, by_unit, len(items))


def item_line(e: dict) -> str:
    """One paid item as a budget message lists it, every figure with its unit."""
    cost = e.get("cost_text") or (
        f"{e['credits']:g} {unit_of(e)} = {money(float(e.get('money') or 0))}"
    )
    return f"{e['scene']}: {cost} ({e['what']})"


def counted(items: list[dict]) -> str:
    """'3 clip(s)', '1 still(s)', '2 clip(s) and 1 still(s)'."""
    stills = sum(e.get("makes") == "still" for e in items)
    parts = [f"{len(items) - stills} clip(s)"] if len(items) > stills else []
    return " and ".join([*parts, *([f"{stills} still(s)"] if stills else [])])


def over_budget(entries: Iterable[dict], budget: Budget) -> str | None:
    """Why the paid items among entries do not fit the budget, or None when they do."""
    items = paid_items(entries)
    if not items:
        return None
    t = totals(items)
    units = t.by_unit.get(LIMIT_UNIT, 0.0)
    if budget.max_units is not None and units > budget.max_units + 1e-9:
        return (
            f"generating {counted(items)} costs {units:g} {LIMIT_UNIT}"
            + (f" (all of them: {t.text()})" if len(t.by_unit) > 1 else f" = {money(t.usd)}")
            + f", above the limit of {budget.max_units:g} {LIMIT_UNIT} ({budget.units_source})"
        )
    if budget.max_usd is not None:
        if t.usd > budget.max_usd + 1e-9:
            return (
                f"generating {counted(items)} costs {t.text()}, above the budget of "
                f"{money(budget.max_usd)} ({budget.usd_source})"
            )
        return None
    if budget.max_units is not None:  # a unit limit only: other units unbudgeted
        others = [e for e in items if unit_of(e) != LIMIT_UNIT]
        if not others:
            return None
        o = totals(others)
        return (
            f"{counted(others)} are billed in other units than {LIMIT_UNIT} "
            f"({o.text()}) and the only limit given is {budget.text()}: they need a budget "
            f"in money"
        )
    return f"generating {counted(items)} costs {t.text()}, above the budget of {budget.text()}"


def check_budget(entries: list[dict], budget: Budget) -> None:
    """Refuse, before the first paid request, generation that costs more than the budget."""
    why = over_budget(entries, budget)
    if why is None:
        return
    items = paid_items(entries)
    t = totals(items)
    need = f"{t.usd:.2f}" if t.usd >= 0.01 else f"{t.usd:g}"
    hint = f"Allow it with --max-cost {need} or [generate] max_cost = {need} in the recipe"
    units = t.by_unit.get(LIMIT_UNIT)
    if units and budget.max_units is not None:
        hint += (
            f" (and --max-credits {units:g} or [generate] max_credits = {units:g}, "
            f"in {LIMIT_UNIT}, if you keep that limit)"
        )
    elif units and len(t.by_unit) == 1:
        hint += f", or --max-credits {units:g} (a limit in {LIMIT_UNIT})"
    raise BudgetError(
        f"{why}; nothing was generated or spent.\n  "
        + "\n  ".join(item_line(e) for e in items)
        + f"\n  {hint}; `cmforge plan` shows each cost."
    )


def check_batch_budget(
    first: Recipe,
    entries: Iterable[dict],
    max_credits: float | None = None,
    max_cost: float | None = None,
) -> None:
    """The budget check of a batch: `entries` are the generation plans of every variant
    together (assets.generation.generation_plan: a file shared by variants counts once), held
    against the budget of the batch's first variant (budget_of). Raises BudgetError, before
    anything is generated or spent. The batch runner, a single render and `cmforge generate`
    each call this once, before their first paid request."""
    check_budget(list(entries), budget_of(first, max_credits, max_cost))


def budget_line(entries: Iterable[dict], budget: Budget, variants: int) -> str:
    """The plan's line for the whole run: what every selected variant's paid items cost
    together, against the budget."""
    items = paid_items(entries)
    t = totals(items)
    scope = f"all {variants} variants together" if variants > 1 else "this render"
    if not items:
        return f"budget: {scope}: nothing paid"
    why = over_budget(items, budget)
    verdict = "within" if why is None else "ABOVE"
    return (
        f"budget: {scope}: {counted(items)} paid, {t.text()}, {verdict} the budget of "
        f"{budget.text()}" + ("" if why is None else "; render and generate would refuse")
    )


__all__ = [
    "USD",
    "Budget",
    "BudgetError",
    "Totals",
    "budget_line",
    "budget_of",
    "check_batch_budget",
    "check_budget",
    "item_line",
    "over_budget",
    "paid_items",
    "totals",
    "unit_of",
]
