"""`cmforge init | templates | schema`: starting a project from a template, the templates
shipped, the recipe's JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `init`, `templates` and `schema`."""
    i = sub.add_parser("init", help="start a project from a template")
    i.add_argument("dir", type=Path)
    i.add_argument("--template", default="school-ad")
    i.set_defaults(run=run_init)
    sub.add_parser("templates", help="list the templates").set_defaults(run=run_templates)
    sub.add_parser("schema", help="print the recipe's JSON Schema").set_defaults(run=run_schema)


def run_init(args: argparse.Namespace) -> int:
    from ..templates import init_project

    path = init_project(args.template, args.dir)
    print(path)
    print(f"next: cmforge render {path}", file=sys.stderr)
    return EXIT_OK


def run_templates(args: argparse.Namespace) -> int:
    from ..templates import list_templates

    for name, desc in list_templates():
        print(f"{name:<16} {desc}")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from ..recipe.schema import recipe_schema

    print(json.dumps(recipe_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
