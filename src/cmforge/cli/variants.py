"""`cmforge variants`: list a recipe's variants, the file each writes and what each changes."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..assets import load_recipe
from ..errors import shown_path
from ..recipe.model import Recipe
from ..recipe.variants import AS_WRITTEN, differs_lines
from . import options


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "variants", help="list the variants of a recipe: names, files, what each changes"
    )
    options.recipe(p)
    options.variant(p)
    options.sets(p)
    options.json_output(p, "the variants")
    options.debug(p)
    p.set_defaults(run=run)
    return p


def describe(r: Recipe) -> dict:
    """One variant as plain data: names, output file and size, what differs from the base."""
    return {
        "name": r.display_name,
        "safe_name": r.variant,
        "output": str(r.output.path),
        "width": r.output.width,
        "height": r.output.height,
        "differs": r.differs,
    }


def run(args: argparse.Namespace) -> int:
    recipes = load_recipe(args.recipe, variants=args.variant, sets=args.set)
    if args.json:
        print(json.dumps([describe(r) for r in recipes], ensure_ascii=False, indent=2))
        return 0
    n = len(recipes)
    print(f"{shown_path(args.recipe)}: {n} variant{'s' if n != 1 else ''}")
    for r in recipes:
        print(r.display_name + (f"  [{r.variant}]" if r.variant != r.display_name else ""))
        o = r.output
        print(f"    -> {shown_path(o.path)}  {o.width}x{o.height}")
        for line in differs_lines(r.differs):  # as batch.csv and the storyboard say it
            print(f"    {line}")
        if not r.differs:
            print(f"    {AS_WRITTEN}")
    return 0
