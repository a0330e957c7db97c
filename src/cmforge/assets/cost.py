"""What a recipe would cost, per provider and unit, against its budget: for the account
commands of the providers (`cmforge PROVIDER account`) and for programs. No network,
nothing spent."""

from __future__ import annotations

from dataclasses import dataclass

from ..generate.prices import money
from ..recipe.model import Recipe
from .budget import Budget, budget_of, over_budget, paid_items, totals, unit_of
from .generation import generation_plan
from .media import gather


@dataclass(frozen=True)
class ProviderCost:
    """What one provider would be paid, in one of its units."""

    provider: str
    unit: str
    amount: float
    usd: float
    items: int  # stills and clips (each take one)

    def text(self) -> str:
        """'PROVIDER: 2 item(s), 7 UNITS = $0.98'."""
        amount = f"{self.amount:g} {self.unit} = {money(self.usd)}"
        return f"{self.provider}: {self.items} item(s), {amount}"


@dataclass(frozen=True)
class RecipeCost:
    """What generating a recipe's missing stills and clips would cost (every selected variant
    together, a shared file once), per provider and unit, against the budget."""

    providers: tuple[ProviderCost, ...]
    usd: float
    budget: Budget
    over: str | None  # why it is above the budget, None when within

    @property
    def within(self) -> bool:
        return self.over is None

    def of(self, provider: str) -> list[ProviderCost]:
        """The lines of one provider (a provider billing stills and clips in two units has
        two)."""
        return [p for p in self.providers if p.provider == provider]

    def lines(self) -> list[str]:
        """The cost as the account commands print it, every figure with its unit."""
        if not self.providers:
            return ["nothing to generate: every still and clip exists"]
        return [
            *(p.text() for p in self.providers),
            f"total {money(self.usd)}, "
            + ("within" if self.within else "ABOVE")
            + f" the budget of {self.budget.text()}",
        ]


def recipe_cost(
    recipes: Recipe | list[Recipe],
    max_credits: float | None = None,
    max_cost: float | None = None,
) -> RecipeCost:
    """What `cmforge render`/`generate` would pay now for the recipe's variants (the stills and
    clips not made yet, stand-ins to be made for real included), per provider and unit; no
    network, nothing spent. The budget is the first variant's (budget_of)."""
    variants = [recipes] if isinstance(recipes, Recipe) else list(recipes)
    entries = [e for r in variants for e in generation_plan(r, gather(r))]
    items = paid_items(entries)
    groups: dict[tuple[str, str], list[dict]] = {}
    for e in items:
        groups.setdefault((str(e.get("provider")), unit_of(e)), []).append(e)
    providers = tuple(
        ProviderCost(
            provider,
            unit,
            sum(float(e.get("credits") or 0) for e in group),
            round(sum(float(e.get("money") or 0) for e in group), 4),
            len(group),
        )
        for (provider, unit), group in groups.items()
    )
    budget = budget_of(variants[0], max_credits, max_cost) if variants else Budget()
    return RecipeCost(providers, totals(items).usd, budget, over_budget(items, budget))
