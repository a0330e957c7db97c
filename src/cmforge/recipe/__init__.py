"""Load a recipe file into checked, per-variant Recipe records."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Problem, RecipeError
from .build import Builder, MusicSource
from .load import Source, read_recipe
from .model import Recipe
from .sets import (
    Sets,
    apply_keys,
    from_command_line,
    parse_sets,
    read_sets,
    recipe_strings,
    unknown_vars,
)
from .stills import variant_clashes
from .validate import Checker, find_vars, substitute
from .variants import (
    DuplicateName,
    Variant,
    apply,
    axes,
    expand,
    leaf_spec,
    matches,
    matrix_problems,
    origins,
    relocate,
    target,
)

__all__ = ["MusicSource", "Recipe", "load_recipe", "parse_sets", "read_recipe"]

_VARIANT = re.compile(r"\{\{\s*variant\s*\}\}")


def load_recipe(
    path: str | Path,
    *,
    variants: list[str] | None = None,
    sets: list[str] | tuple[str, ...] = (),
    output_dir: str | Path | None = None,
    music: MusicSource | None = None,
) -> list[Recipe]:
    """Read, check and expand a recipe: one Recipe per selected variant.

    Every selected variant is built and checked before this returns, so one bad variant stops
    the batch; a problem only some variants have names them (`variant "b-free": ...`).
    music finds the music's file (the assets stage's library search); without it the music
    stays as written, unresolved (this stage reads no library and probes no media).
    Raises RecipeError listing every problem found (file, key, line, hint); a problem with a
    value --set gave names the option instead of a line."""
    source = read_recipe(path)
    given = read_sets(sets)
    try:
        return _load(source, given, variants, output_dir, music)
    except RecipeError as e:
        raise RecipeError(from_command_line(e.problems, given)) from None


def _load(
    source: Source,
    given: Sets,
    variants: list[str] | None,
    output_dir: str | Path | None,
    music: MusicSource | None,
) -> list[Recipe]:
    """load_recipe's work on the file as read, with the command line's --set options."""
    unknown = unknown_vars(source.data, given)
    apply_keys(source.data, given)
    set_vars, set_keys = given.vars, given.keys
    check = Checker(source)
    check.problems += unknown
    check.recipe(source.data)
    tables, matrix = source.data.get("variants") or [], source.data.get("matrix") or {}
    if isinstance(tables, list) and isinstance(matrix, dict):
        _check_matrix(check, source.data, tables, matrix)
    if check.problems:
        raise RecipeError(_name_tables(check.problems, tables))
    base = {k: v for k, v in source.data.items() if k not in ("variants", "matrix")}
    fixed = {**set_keys, **{f"vars.{k}": v for k, v in set_vars.items()}}
    stem = source.path.stem
    try:
        every = expand(base, tables, matrix, default_name=stem, fixed=fixed)
    except DuplicateName as e:
        raise RecipeError(
            [source.problem("matrix", str(e), "make the variants' names and values distinct")]
        ) from None
    chosen = [
        (v, where)
        for v, where in zip(every, origins(tables, matrix, default_name=stem))
        if matches(v, variants)
    ]
    if not chosen:
        names = ", ".join(repr(v.name) for v in every[:12])
        more = f", ... ({len(every)} in all: see cmforge variants)" if len(every) > 12 else ""
        raise RecipeError(
            [
                Problem(
                    f"no variant matches {' '.join(variants or [])!r}",
                    source.path,
                    "variants",
                    hint=f"variants here: {names}{more}",
                )
            ]
        )
    out_dir = Path(output_dir).resolve() if output_dir else None
    builder = Builder(source, check, out_dir, music)
    recipes: list[Recipe] = []
    found: list[tuple[Variant, list[Problem]]] = []
    for variant, where in chosen:
        start = len(check.problems)
        recipe = _build(builder, check, base, variant)
        found.append((variant, [_moved(p, where, source) for p in check.problems[start:]]))
        del check.problems[start:]
        if recipe is not None:
            recipes.append(recipe)
    problems = _attribute(found, len(every), source.path)
    if problems:
        raise RecipeError(problems)
    outputs: dict[str, Recipe] = {}
    for r in recipes:
        same = outputs.get(str(r.output.path).casefold())
        if same is not None:
            check.add(
                "output.path",
                f"variants {same.display_name!r} and {r.display_name!r} "
                f"would both write {r.output.path.name}",
                "put {{variant}} in output.path",
            )
        outputs[str(r.output.path).casefold()] = r
    check.problems += variant_clashes(recipes)
    if check.problems:
        raise RecipeError(check.problems)
    return [replace(r, given=given.options) for r in recipes]


def _check_matrix(check: Checker, data: dict, tables: list, matrix: dict) -> None:
    used = {name for text in recipe_strings(data) for name in find_vars(text)}
    for key, message, hint in matrix_problems(matrix, used, len(tables)):
        check.add(key, message, hint)
    for key, values in axes(matrix):
        spec = leaf_spec(target(key))
        if spec is not None and isinstance(values, list):
            for value in values:
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    check.value(value, spec, f"matrix.{key}")
    for i, table in enumerate(tables):
        if isinstance(table, dict) and "matrix" in table:
            check.add(
                f"variants[{i}].matrix",
                "a variant cannot have its own matrix",
                "the top-level [matrix] is crossed with every variant",
            )


def _name_tables(problems: list[Problem], tables: Any) -> list[Problem]:
    """Problems inside a [[variants]] table also name the variant."""
    out = []
    for p in problems:
        m = re.match(r"variants\[(\d+)\]\.(?!name$)", p.key)
        table = tables[int(m.group(1))] if m and isinstance(tables, list) else None
        name = table.get("name") if isinstance(table, dict) else None
        out.append(replace(p, message=f'variant "{name}": {p.message}') if name else p)
    return out


def _build(builder: Builder, check: Checker, base: dict, v: Variant) -> Recipe | None:
    """One variant's Recipe, or None when it has problems (added to check)."""
    data = apply(base, v.overrides)
    env = {k: str(x) for k, x in {**data.get("vars", {}), "variant": v.name}.items()}
    body = {k: x for k, x in data.items() if k != "vars"}
    out = body.get("output")
    if isinstance(out, dict) and isinstance(out.get("path"), str):  # files get the safe name
        body["output"] = {**out, "path": _VARIANT.sub(lambda _: v.safe_name, out["path"])}
    missing: list[tuple[str, str]] = []
    body = substitute(body, env, "", missing)
    for key, var in dict.fromkeys(missing):
        check.add(
            key,
            f"undefined variable {{{{{var}}}}}",
            f"define it in [vars], a variant's vars, [matrix] or with --set {var}=...",
        )
    if missing:
        return None
    start = len(check.problems)
    check.recipe(body)  # values that came from variables, now substituted
    if len(check.problems) > start:
        return None
    return replace(builder.recipe(body, v.safe_name, env), label=v.name, differs=v.differs)


def _moved(p: Problem, where: dict[str, str], source: Source) -> Problem:
    """A variant's problem, pointed at the key (and line) the variant or matrix set."""
    key = relocate(p.key, where) if p.file == source.path else p.key
    if key == p.key:
        return p
    return replace(p, key=key, line=source.lines.line_of(key) or p.line)


def _attribute(
    found: list[tuple[Variant, list[Problem]]], total: int, recipe: Path
) -> list[Problem]:
    """One list of problems: those every built variant has once, the others per variant. A
    problem in another file (a library.toml) belongs to that file, never to a variant."""
    counts = Counter(p for _, ps in found for p in set(ps))
    out: dict[Problem, None] = {}
    for variant, ps in found:
        for p in ps:
            elsewhere = p.file is not None and Path(p.file) != recipe
            shared = elsewhere or total == 1 or (len(found) > 1 and counts[p] == len(found))
            named = replace(p, message=f'variant "{variant.name}": {p.message}')
            out[p if shared else named] = None
    return list(out)
