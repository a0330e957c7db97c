"""The options several commands share, each defined once with one help text, and the
recipes they select."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..assets import load_recipe
from ..errors import Problem, RecipeError
from ..pipeline import check as check_recipe

if TYPE_CHECKING:
    from ..recipe.model import Recipe
    from ..timeline.model import Timeline


# the README says the same of --preview, word for word (tests/unit/test_cli_help.py)
PREVIEW_HELP = (
    "a draft for checking timing: half width and height, half the frame rate from 24 fps up, "
    "x264 ultrafast; written as NAME.preview.mp4, so it never replaces the real file"
)


def debug(p: argparse.ArgumentParser) -> None:
    """`--debug` after the command name too (`cmforge render r.toml --debug`); not listed."""
    p.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def recipe(p: argparse.ArgumentParser) -> None:
    p.add_argument("recipe", type=Path, help="the recipe (a .toml file)")


def variant(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--variant",
        action="append",
        metavar="GLOB",
        help="only the variants whose human or file name matches (repeatable)",
    )


def sets(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a variable (or a dotted recipe key such as output.fps=24)",
    )


def allow_unlicensed(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-unlicensed",
        action="store_true",
        help="let the music be a library track that has no license",
    )


def output(p: argparse.ArgumentParser, listed: bool = True) -> None:
    """`--output DIR`; `listed=False` accepts it without showing it in the help."""
    help_ = "write the videos (export: the projects) here" if listed else argparse.SUPPRESS
    p.add_argument("--output", type=Path, metavar="DIR", help=help_)


def preview(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preview", action="store_true", help=PREVIEW_HELP)


def quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print only the files written")


def max_credits(p: argparse.ArgumentParser, listed: bool = True) -> None:
    """`--max-credits N`; `listed=False` accepts it without showing it in the help."""
    help_ = (
        "credit budget for paid clip generation (default: the recipe's, else 0)"
        if listed
        else argparse.SUPPRESS
    )
    p.add_argument("--max-credits", type=float, metavar="N", help=help_)


def json_output(p: argparse.ArgumentParser, what: str) -> None:
    """`--json`: print `what` (the plan, the report, ...) as JSON instead of as text."""
    p.add_argument("--json", action="store_true", help=f"{what} as JSON")


def recipe_command(
    sub: argparse._SubParsersAction, name: str, help_: str
) -> argparse.ArgumentParser:
    """A command on a recipe's variants: RECIPE, --variant, --set, --allow-unlicensed."""
    p = sub.add_parser(name, help=help_)
    recipe(p)
    variant(p)
    sets(p)
    debug(p)
    allow_unlicensed(p)
    return p


def load(args: argparse.Namespace) -> list[Recipe]:
    """The variants a recipe command's options select (--variant, --set, --output, ...)."""
    return load_recipe(
        args.recipe,
        variants=args.variant,
        sets=args.set,
        output_dir=getattr(args, "output", None),
        allow_unlicensed=args.allow_unlicensed,
    )


def check_all(recipes: list[Recipe]) -> list[Timeline]:
    """Every variant checked before anything renders; all problems reported together."""
    problems: list[Problem] = []
    timelines = []
    for r in recipes:
        try:
            timelines.append(check_recipe(r))
        except RecipeError as e:
            problems += [p for p in e.problems if p not in problems]
    if problems:
        raise RecipeError(problems)
    return timelines
