"""`cmforge variants`: list a recipe's variants, the file each writes and what each changes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..assets import load_recipe
from ..recipe.model import Recipe
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


def _shown(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"({len(value)} table{'s' if len(value) != 1 else ''})"
    return json.dumps(value, ensure_ascii=False)


def _where(path: Path, folder: Path) -> str:
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


def run(args: argparse.Namespace) -> int:
    recipes = load_recipe(args.recipe, variants=args.variant, sets=args.set)
    if args.json:
        print(json.dumps([describe(r) for r in recipes], ensure_ascii=False, indent=2))
        return 0
    n = len(recipes)
    print(f"{args.recipe}: {n} variant{'s' if n != 1 else ''}")
    for r in recipes:
        print(r.display_name + (f"  [{r.variant}]" if r.variant != r.display_name else ""))
        o = r.output
        print(f"    -> {_where(o.path, r.folder)}  {o.width}x{o.height}")
        for key, value in r.differs.items():
            print(f"    {key} = {_shown(value)}")
        if not r.differs:
            print("    (the base recipe as written)")
    return 0
