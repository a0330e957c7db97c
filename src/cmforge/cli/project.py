"""`cmforge init | templates | schema`: starting a project from a template, the templates
shipped, the recipe's JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import CmforgeError, shown_path
from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `init`, `templates` and `schema`."""
    i = sub.add_parser("init", help="start a project from a template")
    i.add_argument("dir", type=Path, help="the project folder (made if missing)")
    names = template_names()
    i.add_argument(
        "--template",
        choices=names or None,
        default="school-ad",
        help="the template to start from (default: school-ad; `cmforge templates` says what "
        "each makes)",
    )
    i.set_defaults(run=run_init)
    sub.add_parser("templates", help="list the templates").set_defaults(run=run_templates)
    sub.add_parser("schema", help="print the recipe's JSON Schema").set_defaults(run=run_schema)


def template_names() -> list[str]:
    """The templates shipped (the .toml files in templates/), for --template's choices."""
    from ..templates import list_templates

    try:
        return [name for name, _ in list_templates()]
    except CmforgeError:  # not installed with this copy: init says so when it runs
        return []


def run_init(args: argparse.Namespace) -> int:
    from ..templates import init_project

    path = init_project(args.template, args.dir)
    print(shown_path(path))
    print(f"next: cmforge render {shown_path(path)}", file=sys.stderr)
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
