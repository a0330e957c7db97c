"""[[variants]] x [matrix] -> named variants, as pure functions on plain data.

Every variant has a human name (`b-free,format=square`, Japanese kept) for display and
--variant, and a safe name for files (`{{variant}}` in output.path): only [A-Za-z0-9._-], no
leading '-' or '.', at most 80 characters, unique even on case-insensitive file systems.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import itertools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from .spec import TOP, F
from .validate import did_you_mean

MAX_NAME = 80  # characters of a safe name
HASH = 8  # hex digits of the hash a safe name gets when its slug is not enough
MAX_VARIANTS = 10_000
NOT_VARIED = ("scenes", "captions", "overlays", "audio", "variants", "matrix", "version")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_MISSING = object()


class Variant(NamedTuple):
    name: str  # the human name: display, --variant, {{variant}} outside output.path
    safe_name: str  # the file name: {{variant}} in output.path, Recipe.variant
    overrides: dict  # nested tables (vars included) to merge over the base with apply()
    differs: dict  # dotted key -> value: what this variant changes from the base


class DuplicateName(ValueError):
    """Two variants would get the same human name."""


# ---- plain-data helpers -------------------------------------------------------------------


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """{"output": {"format": "square"}} -> {"output.format": "square"}; lists stay whole."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and v:
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out


def nest(flat: dict[str, Any]) -> dict:
    """The inverse of flatten: {"output.fps": 24} -> {"output": {"fps": 24}}."""
    out: dict = {}
    for dotted, value in flat.items():
        node = out
        *parents, last = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = copy.deepcopy(value)
    return out


def lookup(data: dict, dotted: str) -> Any:
    node: Any = data
    for p in dotted.split("."):
        if not isinstance(node, dict) or p not in node:
            return _MISSING
        node = node[p]
    return node


def merge(base: dict, over: dict) -> dict:
    """Tables merge key by key (vars included); everything else, arrays too, is replaced."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def apply(base: dict, overrides: dict) -> dict:
    """The variant's data. An overriding output.format replaces the base's output.size."""
    out = merge(base, overrides)
    over_out = overrides.get("output")
    if isinstance(over_out, dict) and "format" in over_out and "size" not in over_out:
        out.get("output", {}).pop("size", None)
    return out


# ---- the matrix ---------------------------------------------------------------------------


def axes(matrix: dict) -> list[tuple[str, Any]]:
    """The matrix's keys in file order; nested tables become dotted keys (output.fps)."""
    return list(flatten(matrix).items())


def target(key: str) -> str:
    """Where a matrix key goes in the recipe: format, platform -> output.*, name -> vars.name."""
    if key in ("format", "platform"):
        return f"output.{key}"
    return key if "." in key else f"vars.{key}"


def leaf_spec(dotted: str) -> F | None:
    """The spec of a recipe key a matrix may vary (output.fps), or None."""
    first, *rest = dotted.split(".")
    spec = TOP.get(first)
    if spec is None or first in NOT_VARIED or first == "vars":
        return None
    for part in rest:
        if spec.fields is None or part not in spec.fields:
            return None
        spec = spec.fields[part]
    return None if spec.kind in ("table", "tables") else spec


def _is_value(v: Any) -> bool:
    return isinstance(v, str) or (
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    )


def matrix_problems(
    matrix: dict, used_vars: set[str], n_tables: int = 0
) -> list[tuple[str, str, str]]:
    """What is wrong with [matrix], as (key, message, hint). Values of recipe keys (format,
    output.fps) are checked against the spec by the caller, with leaf_spec()."""
    problems: list[tuple[str, str, str]] = []
    count = max(1, n_tables)
    for key, values in axes(matrix):
        where = f"matrix.{key}"
        if not isinstance(values, list) or not values:
            problems.append((where, "expected a non-empty list of values", f'{key} = ["a", "b"]'))
            continue
        count *= len(values)
        bad = [v for v in values if not _is_value(v)]
        if bad:
            problems.append(
                (where, f"matrix values are strings or numbers, got {bad[0]!r}"[:200], "")
            )
            continue
        seen: set[str] = set()
        for v in values:
            if str(v) in seen:
                problems.append((where, f"{str(v)!r} is listed twice", "list each value once"))
            seen.add(str(v))
        tgt = target(key)
        if tgt.startswith("vars.") and tgt.count(".") == 1:
            var = tgt[5:]
            if var == "variant":
                problems.append(
                    (where, "{{variant}} is the variant's own name", "use another variable name")
                )
            elif var not in used_vars:
                problems.append(
                    (
                        where,
                        f"{{{{{var}}}}} is used nowhere in the recipe, "
                        "so these variants would all look the same",
                        did_you_mean(var, sorted(used_vars))
                        or f"write {{{{{var}}}}} where the value should appear",
                    )
                )
        elif leaf_spec(tgt) is None:
            first = tgt.split(".")[0]
            fields = (TOP[first].fields or {}) if first in TOP else {}
            problems.append(
                (
                    where,
                    "a matrix key is a variable, format, or a key of a table (output.fps)",
                    did_you_mean(tgt.split(".")[-1], sorted(fields))
                    or f"{first} cannot vary in a matrix; use [[variants]]",
                )
            )
    if count > MAX_VARIANTS:
        problems.append(("matrix", f"makes {count} variants, more than {MAX_VARIANTS}", ""))
    return problems


# ---- names --------------------------------------------------------------------------------


def slug(text: str) -> tuple[str, bool]:
    """An ASCII-safe slug of one part of a name, and whether it kept all the information."""
    norm = unicodedata.normalize("NFKC", text)
    out = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", norm)).strip("-.")
    return out, out == text


def _reserved(name: str) -> bool:
    return name.split(".")[0].lower() in _RESERVED


def safe_names(slugs: list[tuple[str, bool]], identities: list[str]) -> list[str]:
    """One safe name per variant, never two alike (ignoring case). A name gets a hash of its
    identity when its slug lost information, is too long, empty or reserved (CON, NUL...),
    or when it would clash with another; clashing hashes grow until nothing clashes."""
    if len(set(identities)) != len(identities):
        raise DuplicateName("two variants have the same identity")
    digests = [hashlib.sha256(i.encode("utf-8")).hexdigest() for i in identities]
    texts, lengths = [], []
    for text, exact in slugs:
        if _reserved(text):
            text, exact = "_" + text, False
        texts.append(text)
        lengths.append(0 if exact and 0 < len(text) <= MAX_NAME else HASH)
    for _ in range(4 * len(texts) + 2):  # each round lengthens a clashing hash
        names = [_render(t, d, n) for t, d, n in zip(texts, digests, lengths)]
        groups: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(names):
            groups[name.lower()].append(i)
        clashes = [i for g in groups.values() if len(g) > 1 for i in g]
        if not clashes:
            return names
        for i in clashes:
            lengths[i] = HASH if lengths[i] == 0 else min(64, lengths[i] * 2)
    raise DuplicateName("safe names could not be made unique")  # not reached: sha256 differs


def _render(text: str, digest: str, n: int) -> str:
    if n == 0:
        return text
    head = text[: MAX_NAME - n - 1].rstrip("-._")
    return f"{head}-{digest[:n]}" if head else digest[:n]


# ---- expansion ----------------------------------------------------------------------------


def _plan(
    tables: list[dict], matrix: dict, default_name: str
) -> Iterator[tuple[int | None, str | None, tuple[tuple[str, Any], ...]]]:
    """(index of the [[variants]] table, its name, the matrix values) per variant, in order."""
    keys = [k for k, _ in axes(matrix)]
    combos = list(itertools.product(*(v for _, v in axes(matrix)))) if keys else [()]
    sources: list[tuple[int | None, str | None]] = [(i, t["name"]) for i, t in enumerate(tables)]
    if not sources:
        sources = [(None, None if keys else default_name)]
    for index, name in sources:
        for combo in combos:
            yield index, name, tuple(zip(keys, combo))


def label(name: str | None, combo: tuple[tuple[str, Any], ...]) -> str:
    """The human name: the variant's name, then key=value per matrix key, comma-separated."""
    return ",".join(([name] if name else []) + [f"{k}={v}" for k, v in combo])


def _slug_of(name: str | None, combo: tuple[tuple[str, Any], ...]) -> tuple[str, bool]:
    parts, exact = [], True
    if name:
        s, ok = slug(name)
        parts.append(s)
        exact &= ok
    for k, v in combo:
        ks, kok = slug(k)
        vs, vok = slug(str(v))
        parts.append("-".join(p for p in (ks, vs) if p))
        exact &= kok and vok
    return "_".join(p for p in parts if p), exact


def expand(
    base: dict,
    variants_tables: list[dict],
    matrix: dict,
    *,
    default_name: str = "recipe",
    fixed: dict[str, Any] | None = None,
) -> list[Variant]:
    """Every variant: each [[variants]] table crossed with every [matrix] combination (the
    matrix's values win over the table's); with neither, one variant named default_name.
    `fixed` (dotted key -> value, from --set) is applied last to every variant."""
    fixed_tree = nest(fixed or {})
    base_eff = apply(base, fixed_tree)
    plan = list(_plan(variants_tables, matrix, default_name))
    names = [label(name, combo) for _, name, combo in plan]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DuplicateName(f"two variants would both be named {dup!r}")
    identities = [
        json.dumps([name, [[k, str(v)] for k, v in combo]], ensure_ascii=False)
        for _, name, combo in plan
    ]
    safe = safe_names([_slug_of(name, combo) for _, name, combo in plan], identities)
    out = []
    for (index, _, combo), human, file_name in zip(plan, names, safe):
        table = variants_tables[index] if index is not None else {}
        over = {k: v for k, v in table.items() if k != "name"}
        over = merge(over, nest({target(k): v for k, v in combo}))
        over = merge(over, fixed_tree)
        data = apply(base, over)
        differs = {
            k: v
            for k, v in flatten(over).items()
            if k not in (fixed or {}) and lookup(base_eff, k) != lookup(data, k)
        }
        out.append(Variant(human, file_name, over, differs))
    return out


AS_WRITTEN = "(the base recipe as written)"  # what a variant that changes nothing shows


def differs_lines(differs: dict[str, Any]) -> list[str]:
    """What a variant changes, one `key = value` line each, in the one wording that
    `cmforge variants`, batch.csv and the storyboard all show: a variable by its plain name
    (`headline`, as --set spells it), a value as the recipe would write it (TOML: strings
    quoted), a list of tables by how many there are."""
    return [f"{k.removeprefix('vars.')} = {_literal(v)}" for k, v in differs.items()]


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"({len(value)} table{'s' if len(value) != 1 else ''})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_literal(v)}" for k, v in value.items()) + " }"
    return str(value)


def origins(
    variants_tables: list[dict], matrix: dict, *, default_name: str = "recipe"
) -> list[dict[str, str]]:
    """Per variant (in expand's order): recipe key -> the key in the file that set it
    ("output.format" -> "matrix.format" or "variants[1].output.format")."""
    out = []
    for index, _, combo in _plan(variants_tables, matrix, default_name):
        where: dict[str, str] = {}
        if index is not None:
            table = {k: v for k, v in variants_tables[index].items() if k != "name"}
            where.update({k: f"variants[{index}].{k}" for k in flatten(table)})
        where.update({target(k): f"matrix.{k}" for k, _ in combo})
        out.append(where)
    return out


def relocate(key: str, where: dict[str, str]) -> str:
    """A problem's key, moved to where the variant set it (scenes[1].text ->
    variants[0].scenes[1].text when the variant replaced scenes)."""
    best = ""
    for k in where:
        if (key == k or key.startswith((k + ".", k + "["))) and len(k) > len(best):
            best = k
    return where[best] + key[len(best) :] if best else key


def matches(variant: Variant, globs: list[str] | None) -> bool:
    """--variant GLOB: by the human name or the safe name."""
    return not globs or any(
        fnmatch.fnmatchcase(variant.name, g) or fnmatch.fnmatchcase(variant.safe_name, g)
        for g in globs
    )


def is_safe_name(name: str) -> bool:
    return bool(_SAFE_NAME.fullmatch(name)) and len(name) <= MAX_NAME and not _reserved(name)
