"""Load a recipe file into checked, per-variant Recipe records."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from ..errors import Problem, RecipeError
from .build import Builder, merge
from .load import read_recipe
from .model import Recipe
from .validate import Checker, substitute

__all__ = ["Recipe", "load_recipe", "parse_sets", "read_recipe"]


def parse_sets(sets: list[str] | tuple[str, ...]) -> tuple[dict, dict]:
    """--set key=value: plain keys set variables; dotted keys (output.fps=24) set recipe keys."""
    vars_, keys = {}, {}
    for item in sets:
        if "=" not in item:
            raise RecipeError([Problem(f"--set {item!r}: expected key=value")])
        k, v = (s.strip() for s in item.split("=", 1))
        if "." in k:
            try:
                keys[k] = tomllib.loads(f"v = {v}")["v"]
            except tomllib.TOMLDecodeError:
                keys[k] = v
        else:
            vars_[k] = v
    return vars_, keys


def _apply_keys(data: dict, keys: dict) -> None:
    for dotted, value in keys.items():
        node = data
        parts = dotted.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise RecipeError([Problem(f"--set {dotted}: {p} is not a table")])
        node[parts[-1]] = value


def load_recipe(
    path: str | Path,
    *,
    variants: list[str] | None = None,
    sets: list[str] | tuple[str, ...] = (),
    output_dir: str | Path | None = None,
) -> list[Recipe]:
    """Read, check and expand a recipe: one Recipe per selected variant.

    Raises RecipeError listing every problem found (file, key, line, hint)."""
    source = read_recipe(path)
    set_vars, set_keys = parse_sets(sets)
    _apply_keys(source.data, set_keys)
    check = Checker(source)
    check.recipe(source.data)
    if check.problems:
        raise RecipeError(check.problems)
    base = {k: v for k, v in source.data.items() if k != "variants"}
    variant_tables = source.data.get("variants") or [{"name": source.path.stem}]
    chosen = [
        v
        for v in variant_tables
        if not variants or any(fnmatch.fnmatchcase(v["name"], g) for g in variants)
    ]
    if not chosen:
        names = ", ".join(v["name"] for v in variant_tables)
        raise RecipeError(
            [
                Problem(
                    f"no variant matches {' '.join(variants or [])!r}",
                    source.path,
                    "variants",
                    hint=f"variants here: {names}",
                )
            ]
        )
    out_dir = Path(output_dir).resolve() if output_dir else None
    builder = Builder(source, check, out_dir)
    recipes, seen_missing = [], set()
    for table in chosen:
        name = table["name"]
        data = merge(base, {k: v for k, v in table.items() if k not in ("name", "vars")})
        env = {**base.get("vars", {}), **table.get("vars", {}), **set_vars, "variant": name}
        env = {k: str(v) for k, v in env.items()}
        missing: list[tuple[str, str]] = []
        data = substitute({k: v for k, v in data.items() if k != "vars"}, env, "", missing)
        for key, var in missing:
            if (key, var) not in seen_missing:
                seen_missing.add((key, var))
                check.add(
                    key,
                    f"undefined variable {{{{{var}}}}}",
                    f"define it in [vars], a variant's vars or with --set {var}=...",
                )
        if missing:
            continue
        recipes.append(builder.recipe(data, name, env))
    if check.problems:
        raise RecipeError(check.problems)
    outputs: dict[Path, str] = {}
    for r in recipes:
        if r.output.path in outputs:
            check.add(
                "output.path",
                f"variants {outputs[r.output.path]!r} and {r.variant!r} "
                f"would both write {r.output.path.name}",
                "put {{variant}} in output.path",
            )
        outputs[r.output.path] = r.variant
    if check.problems:
        raise RecipeError(check.problems)
    return recipes
