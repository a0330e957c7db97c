"""`cmforge generate`: a recipe's stills and generated clips (every take) and their contact
sheets."""

from __future__ import annotations

import argparse

from . import options
from .report import EXIT_OK, say


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `generate`."""
    gen = options.recipe_command(
        sub, "generate", "generate the stills and clips (every take) without rendering"
    )
    gen.add_argument(
        "--scene", type=int, metavar="N", help="only scenes[N] (its clip or its still)"
    )
    gen.add_argument(
        "--still", type=int, metavar="N", help="only stills[N] (the [[stills]] entry N, from 0)"
    )
    options.max_credits(gen)
    options.retry_lost(gen)
    gen.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..contact import generate_takes

    recipes = options.load(args)
    options.check_all(recipes)
    for sheet in generate_takes(
        recipes,
        scene=args.scene,
        still=args.still,
        max_credits=args.max_credits,
        max_cost=args.max_cost,
        on_event=say,
    ):
        print(sheet)
    return EXIT_OK
