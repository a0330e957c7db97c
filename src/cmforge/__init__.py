"""cmforge: render short video ads from a declarative TOML recipe with FFmpeg.

import cmforge
for recipe in cmforge.load_recipe("school-ad.toml"):
    print(cmforge.plan(recipe).timeline.duration)
    cmforge.render(recipe)
"""

from . import generate, scenes, transitions  # noqa: F401  (registers providers, scene kinds, transitions)
from .assets import load_recipe
from .errors import CmforgeError, Problem, RecipeError, RenderError
from .pipeline import Plan, plan, render
from .recipe.model import Recipe
from .version import __version__

__all__ = [
    "CmforgeError",
    "Plan",
    "Problem",
    "Recipe",
    "RecipeError",
    "RenderError",
    "__version__",
    "load_recipe",
    "plan",
    "render",
]
