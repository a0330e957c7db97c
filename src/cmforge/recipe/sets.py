"""`--set KEY=VALUE` from the command line: a plain key sets a variable, a dotted key
(`output.fps=24`) a recipe key. A variable the recipe does not have is an error (a typo would
otherwise be ignored without a word), and a problem with a value given on the command line
names the option (`--set output.fps=abc`), not a recipe line that did not cause it."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import Problem, RecipeError
from .model import given_by
from .validate import did_you_mean, find_vars
from .variants import axes, target


@dataclass(frozen=True)
class Sets:
    """The --set options: variables, recipe keys, and the option that gave each."""

    vars: dict[str, str] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)  # name or dotted key -> "--set ..."


def read_sets(items: list[str] | tuple[str, ...]) -> Sets:
    """Parse the options; a value of a dotted key is read as TOML (24, true, [1, 2]), as a
    string when it is not TOML."""
    sets, problems = Sets(), []
    for item in items:
        option = f"--set {item}"
        k, eq, v = (s.strip() for s in item.partition("="))
        if not eq or not k:
            problems.append(
                Problem("expected KEY=VALUE", hint="e.g. --set headline=Hello", origin=option)
            )
            continue
        sets.options[k] = option
        if "." in k:
            try:
                sets.keys[k] = tomllib.loads(f"v = {v}")["v"]
            except tomllib.TOMLDecodeError:
                sets.keys[k] = v
        else:
            sets.vars[k] = v
    if problems:
        raise RecipeError(problems)
    return sets


def parse_sets(items: list[str] | tuple[str, ...]) -> tuple[dict, dict]:
    """--set key=value: (variables, dotted recipe keys)."""
    sets = read_sets(items)
    return sets.vars, sets.keys


def apply_keys(data: dict, sets: Sets) -> None:
    """The dotted keys written into the recipe's data."""
    problems = []
    for dotted, value in sets.keys.items():
        node, parts = data, dotted.split(".")
        for i, p in enumerate(parts[:-1]):
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                problems.append(
                    Problem(
                        f"{'.'.join(parts[: i + 1])} is not a table",
                        key=dotted,
                        origin=sets.options[dotted],
                    )
                )
                break
        else:
            node[parts[-1]] = value
    if problems:
        raise RecipeError(problems)


def recipe_variables(data: dict) -> list[str]:
    """Every variable a recipe has: [vars], each variant's vars, the matrix's names, and the
    {{name}}s its text uses (one given only on the command line is fine)."""
    names: dict[str, None] = {}
    if isinstance(data.get("vars"), dict):
        names.update(dict.fromkeys(data["vars"]))
    for table in data.get("variants") or []:
        if isinstance(table, dict) and isinstance(table.get("vars"), dict):
            names.update(dict.fromkeys(table["vars"]))
    if isinstance(data.get("matrix"), dict):
        for key, _values in axes(data["matrix"]):
            if target(key).startswith("vars."):
                names[target(key)[5:]] = None
    names.update(dict.fromkeys(n for text in recipe_strings(data) for n in find_vars(text)))
    names.pop("variant", None)  # each variant's own name, never set
    return list(names)


def unknown_vars(data: dict, sets: Sets) -> list[Problem]:
    """A --set variable the recipe does not have, with did-you-mean."""
    known = recipe_variables(data)
    if "variant" in sets.vars:
        return [
            Problem(
                "{{variant}} is each variant's own name and cannot be set",
                hint="choose variants with --variant NAME",
                origin=sets.options["variant"],
            )
        ]
    listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return [
        Problem(
            f"the recipe has no variable {name!r}",
            hint=did_you_mean(name, known)
            or (f"its variables: {listed}" if known else "the recipe uses no {{variables}}")
            + "; a recipe key is set with a dotted name, e.g. --set output.fps=24",
            origin=sets.options[name],
        )
        for name in sets.vars
        if name not in known
    ]


def from_command_line(problems: list[Problem], sets: Sets) -> list[Problem]:
    """A problem with a key --set gave names the option instead of a recipe file and line."""
    out = []
    for p in problems:
        option = given_by(p.key, sets.options)
        out.append(replace(p, file=None, line=None, column=None, origin=option) if option else p)
    return out


def recipe_strings(data: Any) -> Iterator[str]:
    """Every string of the recipe, but in [vars] and [matrix] (where {{name}}s are replaced)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            if k not in ("vars", "matrix"):
                yield from recipe_strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from recipe_strings(v)
