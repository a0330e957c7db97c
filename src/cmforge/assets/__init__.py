"""The assets stage: every file a recipe uses, found, probed and (when missing) planned for
generation, and the budget those stills and clips are held to (budget.py; cost.py: `recipe_cost`,
what a recipe would cost per provider). `load_recipe` is the
recipe stage with the music found in the audio libraries."""

from __future__ import annotations

from pathlib import Path

from ..errors import RecipeError
from ..recipe import load_recipe as _load_variants
from ..recipe.model import Recipe
from .budget import Budget, BudgetError, budget_of, check_batch_budget, check_budget
from .cost import ProviderCost, RecipeCost, recipe_cost
from .media import Assets, file_problems, gather, references, stand_in, with_sources
from .music import LibraryMusic

__all__ = [
    "Assets",
    "Budget",
    "BudgetError",
    "ProviderCost",
    "RecipeCost",
    "budget_of",
    "check_batch_budget",
    "check_budget",
    "gather",
    "load_recipe",
    "recipe_cost",
    "references",
    "stand_in",
    "with_sources",
]


def load_recipe(
    path: str | Path,
    *,
    variants: list[str] | None = None,
    sets: list[str] | tuple[str, ...] = (),
    output_dir: str | Path | None = None,
    allow_unlicensed: bool = False,
) -> list[Recipe]:
    """Read, check and expand a recipe: one Recipe per selected variant, its music found in
    the audio libraries (a file, a library id or a mood pick). allow_unlicensed lets the music
    be a library track without a license. Raises RecipeError listing every problem found
    (file, key, line, hint)."""
    try:
        return _load_variants(
            path,
            variants=variants,
            sets=sets,
            output_dir=output_dir,
            music=LibraryMusic(allow_unlicensed),
        )
    except RecipeError as e:  # the files are looked at too: every problem in one run
        files = file_problems(Path(path), e.problems)
        if not files:
            raise
        every = sorted(e.problems + files, key=lambda p: (p.file is not None, p.line or 0))
        raise RecipeError(every) from None
