"""The assets stage: every file a recipe uses, found, probed and (when missing) planned for
generation, and the budget those stills and clips are held to (budget.py: also `recipe_cost`,
what a recipe would cost per provider). `load_recipe` is the
recipe stage with the music found in the audio libraries."""

from __future__ import annotations

from pathlib import Path

from ..recipe import load_recipe as _load_variants
from ..recipe.model import Recipe
from .budget import (
    Budget,
    BudgetError,
    RecipeCost,
    budget_of,
    check_batch_budget,
    check_budget,
    recipe_cost,
)
from .media import Assets, gather, references, stand_in, with_sources
from .music import LibraryMusic

__all__ = [
    "Assets",
    "Budget",
    "BudgetError",
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
    return _load_variants(
        path,
        variants=variants,
        sets=sets,
        output_dir=output_dir,
        music=LibraryMusic(allow_unlicensed),
    )
