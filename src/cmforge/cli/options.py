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
    """`--max-cost USD` and `--max-credits N`; `listed=False` accepts them without showing
    them in the help."""
    cost_help = (
        "the budget for everything paid, in US dollars, e.g. 2.50 (default: the recipe's "
        "[generate] max_cost, else 0: nothing is paid)"
        if listed
        else argparse.SUPPRESS
    )
    help_ = (
        "a limit in Kling API units (resource-pack units, $0.14 each) for paid clips "
        "(default: the recipe's [generate] max_credits)"
        if listed
        else argparse.SUPPRESS
    )
    p.add_argument("--max-cost", type=_usd, metavar="USD", help=cost_help)
    p.add_argument("--max-credits", type=float, metavar="N", help=help_)


def _usd(text: str) -> float:
    """--max-cost: dollars, written 2.50 or $2.50."""
    try:
        value = float(text.strip().removeprefix("$").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an amount in US dollars such as 2.50, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an amount from 0 up, got {text!r}")
    return value


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


class _RetryLost(argparse.Action):
    """Tells the paid still makers that the user allows repeating a create whose answer was
    lost (or whose result expired): the providers read it from the environment they are
    opened with."""

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001
        import os

        from ..generate.flux.provider import RETRY_LOST_ENV

        os.environ[RETRY_LOST_ENV] = "1"
        setattr(namespace, self.dest, True)


def retry_lost(p: argparse.ArgumentParser) -> None:
    """`--retry-lost`: ask FLUX again for a still whose create answer was lost or whose
    result expired (it may be paid twice); never done without it."""
    p.add_argument(
        "--retry-lost",
        nargs=0,
        action=_RetryLost,
        default=False,
        help="ask again for a paid still whose answer was lost or whose download expired "
        "(it may then be paid twice; without it cmforge stops and says so)",
    )
