"""Structural checks of a raw recipe dict against the spec: every problem in one pass."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ..delivery.standards import STANDARDS
from ..errors import Problem
from ..units import parse_color
from .gains import duck_problem, read_gain
from .kinds import all_scene_keys, scene_fields, scene_types
from .load import Source
from .model import scene_key
from .spec import TOP, F
from .transitions import all_transition_keys, transition_fields, transition_names

_VAR = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
KIND_NAMES = {
    "str": "a string",
    "number": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "strbool": "a string, true or false",
    "color": 'a colour ("#rrggbb" or a CSS name)',
    "color_table": 'a colour ("#rrggbb" or a CSS name) or a table',
    "path": "a file path (string)",
    "table": "a table",
    "tables": "an array of tables ([[...]])",
    "strlist": "a list of strings",
    "dict": "a table",
    "pair": "a list of two numbers [a, b]",
    "transition": '{ type = "...", duration = ... } or a transition name',
    "background": 'a colour, a gradient ["#a", "#b"] or an image path',
    "loudness": ", ".join(f'"{name}"' for name in STANDARDS) + " or a number in LUFS",
    "named": "a name or a table",
    "duck": 'dB (-10 or "-10dB"), a gain ("30%") or { depth = -10, attack = 0.05, release = 0.4 }',
    "gain": 'a number or a gain with its unit: "-6dB", "50%", "0.5x"',
    "platforms": 'a platform name or a list of them (["tiktok", "reels"])',
}


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _type_ok(value: Any, kind: str) -> bool:
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "number":
        return is_num
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("str", "path", "color"):
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "strbool":
        return isinstance(value, (str, bool))
    if kind in ("table", "dict"):
        return isinstance(value, dict)
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == "strlist":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "platforms":  # one name or a non-empty list of names
        return isinstance(value, str) or (bool(value) and _type_ok(value, "strlist"))
    if kind == "pair":
        return (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        )
    if kind in ("transition", "named", "color_table"):
        return isinstance(value, (str, dict))
    if kind == "loudness":
        return is_num or isinstance(value, str)
    if kind == "duck":
        return is_num or isinstance(value, (dict, str))
    if kind == "gain":
        return is_num or isinstance(value, str)
    if kind == "background":
        return isinstance(value, str) or (
            isinstance(value, list)
            and len(value) in (1, 2)
            and all(isinstance(v, str) for v in value)
        )
    return True


class Checker:
    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(self.source.problem(key, message, hint))

    def value(self, value: Any, spec: F, key: str) -> None:
        if not _type_ok(value, spec.kind):
            got = type(value).__name__.replace("str", "string").replace("dict", "table")
            self.add(
                key, f"expected {KIND_NAMES.get(spec.kind, spec.kind)}, got {got} {value!r}"[:200]
            )
            return
        if spec.kind == "transition":
            self.transition(value, key)
        elif spec.kind == "duck":
            if isinstance(value, dict) and spec.fields is not None:
                self.table(value, spec.fields, key)
            self.duck(value, key)
        elif spec.kind == "loudness":
            self.loudness(value, key)
        elif spec.kind == "gain":
            self.gain(value, spec.unit, key)
        elif (
            spec.kind in ("table", "named", "color_table")
            and spec.fields
            and isinstance(value, dict)
        ):
            self.table(value, spec.fields, key)
        elif spec.kind == "tables" and spec.fields is not None:
            for i, item in enumerate(value):
                self.table(item, spec.fields, f"{key}[{i}]")
        elif (
            spec.kind in ("color", "color_table")
            and isinstance(value, str)
            and not _VAR.search(value)
        ):
            try:
                parse_color(value)
            except ValueError:
                self.add(
                    key, f"not a colour: {value!r}", 'use "#rrggbb", "#rrggbbaa" or a CSS name'
                )
        ones = value if spec.kind == "platforms" and isinstance(value, list) else [value]
        for one in ones if not isinstance(value, dict) else []:  # a table: its keys are checked
            if spec.choices and str(one) not in spec.choices and not _VAR.search(str(one)):
                self.add(
                    key,
                    f"{one!r} is not one of: {', '.join(spec.choices)}",
                    did_you_mean(str(one), spec.choices) or spec.hint,
                )
        if spec.kind in ("number", "int"):
            low, high = spec.minimum, spec.maximum
            if spec.positive and value <= 0:
                self.add(key, f"must be greater than 0, got {value}")
            elif low is not None and high is not None and not low <= value <= high:
                name = key.rsplit(".", 1)[-1]
                self.add(
                    key, f"must be from {low:g} to {high:g}, got {value}", f"{name}: {spec.desc}"
                )
            elif low is not None and value < low:
                self.add(key, f"must be at least {low:g}, got {value}")
            elif high is not None and value > high:
                self.add(key, f"must be at most {high:g}, got {value}")

    def table(self, data: dict, fields: Mapping[str, F], key: str) -> None:
        for name, value in data.items():
            sub = f"{key}.{name}" if key else name
            if name not in fields:
                self.add(
                    sub,
                    "unknown key",
                    did_you_mean(name, sorted(fields))
                    or f"known keys here: {', '.join(sorted(fields))}",
                )
                continue
            self.value(value, fields[name], sub)
        for name, spec in fields.items():
            if spec.required and name not in data:
                self.add(f"{key}.{name}" if key else name, "is required")

    def loudness(self, value: Any, key: str) -> None:
        if isinstance(value, str):
            if value not in STANDARDS and not _VAR.search(value):
                names = ", ".join(f'"{name}"' for name in STANDARDS)
                self.add(
                    key,
                    f"{value!r} is not a loudness preset",
                    did_you_mean(value, list(STANDARDS))
                    or f"use {names} or a number in LUFS such as -16",
                )
        elif not -70 < value < 0:
            self.add(key, f"{value} LUFS is not a loudness target", "use a value such as -16")

    def gain(self, value: Any, unit: str, key: str) -> float | None:
        """A volume (recipe/gains.py); None when it is not one, said as a problem."""
        if isinstance(value, str) and _VAR.search(value):
            return None
        gain, problem = read_gain(value, unit, key)
        if problem is not None:
            self.add(key, *problem)
        return gain

    def duck(self, value: Any, key: str) -> None:
        if isinstance(value, dict):  # its depth was checked as a key of the table
            at, depth = f"{key}.depth", value.get("depth", -10)
            gain = read_gain(depth, "dB", at)[0] if isinstance(depth, (int, float, str)) else None
        else:
            at, depth, gain = key, value, self.gain(value, "dB", key)
        problem = duck_problem(depth, gain)
        if problem is not None:
            self.add(at, *problem)

    def transition(self, value: Any, key: str) -> None:
        """A transition name or table, checked against its registered kind's keys."""
        if isinstance(value, str):
            value = {"type": value}
        kind, names, every = value.get("type"), transition_names(), all_transition_keys()
        if not isinstance(kind, str) or kind not in names:
            if isinstance(kind, str) and not _VAR.search(kind):
                self.add(
                    f"{key}.type",
                    f"unknown transition {kind!r}",
                    did_you_mean(kind, names)
                    or "use cut, dip or an xfade name: " + ", ".join(names[:12]) + ", ...",
                )
            self.table(value, every, key)  # the type is unknown: any transition's key is fine
            return
        self.kind_table(value, transition_fields(kind), every, key, f"{kind} transition")

    def scene(self, data: dict, key: str) -> None:
        kind, kinds = data.get("type"), scene_types()
        if kind not in kinds:
            if kind is None:
                self.add(f"{key}.type", "is required", f"one of: {', '.join(kinds)}")
            else:
                self.add(
                    f"{key}.type",
                    f"unknown scene type {kind!r}",
                    did_you_mean(str(kind), kinds) or f"one of: {', '.join(kinds)}",
                )
            return
        self.kind_table(data, scene_fields(kind), all_scene_keys(), key, f"{kind} scene")

    def kind_table(self, data: dict, fields: Any, every: Any, key: str, what: str) -> None:
        """A table of a registered kind (a scene, a transition): a key that belongs to another
        kind is named as such; any other key is checked as the kind's own (did-you-mean)."""
        for name in data:
            if name not in fields and name in every:
                self.add(
                    f"{key}.{name}",
                    f"is not a key of a {what}",
                    f"{what}s take: {', '.join(k for k in fields if k != 'type')}",
                )
        self.table({k: v for k, v in data.items() if k in fields or k not in every}, fields, key)

    def recipe(self, data: dict) -> None:
        top = {k: v for k, v in TOP.items() if k not in ("scenes", "variants")}
        self.table({k: v for k, v in data.items() if k not in ("scenes", "variants")}, top, "")
        scenes = data.get("scenes")
        if scenes is None:
            self.add("scenes", "the recipe has no scenes", "add at least one [[scenes]] table")
        elif not _type_ok(scenes, "tables") or not scenes:
            self.add("scenes", "expected an array of tables ([[scenes]]) with at least one scene")
        else:
            for i, scene in enumerate(scenes):
                self.scene(scene, scene_key(i))
        variants = data.get("variants", [])
        if not _type_ok(variants, "tables"):
            self.add("variants", "expected an array of tables ([[variants]])")
            return
        names: set[str] = set()
        for i, variant in enumerate(variants):
            self.variant(variant, f"variants[{i}]", names)

    def variant(self, data: dict, key: str, names: set[str]) -> None:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.add(f"{key}.name", "every variant needs a name (a string)")
        elif name in names:
            self.add(f"{key}.name", f"two variants are named {name!r}")
        else:
            if re.search(r"[/\\\x00]", name):
                self.add(f"{key}.name", "a variant name cannot contain / or \\")
            names.add(name)
        for table, value in data.items():
            sub = f"{key}.{table}"
            if table == "name":
                continue
            if table == "scenes":
                if _type_ok(value, "tables") and value:
                    for i, scene in enumerate(value):
                        self.scene(scene, f"{sub}[{i}]")
                else:
                    self.add(sub, "expected an array of scene tables")
            elif table in TOP and table not in ("variants", "version"):
                self.value(value, TOP[table], sub)
            else:
                self.add(
                    sub,
                    "a variant overrides vars or a top-level table",
                    did_you_mean(table, sorted(TOP)) or "e.g. vars, output, music, style",
                )


def find_vars(text: str) -> list[str]:
    return _VAR.findall(text)


def substitute(data: Any, env: dict[str, str], key: str, missing: list[tuple[str, str]]) -> Any:
    """Replace {{name}} everywhere strings are allowed; note each undefined name with its key."""
    if isinstance(data, str):

        def repl(m: re.Match) -> str:
            name = m.group(1)
            if name in env:
                return str(env[name])
            missing.append((key, name))
            return m.group(0)

        return _VAR.sub(repl, data)
    if isinstance(data, dict):
        return {k: substitute(v, env, f"{key}.{k}" if key else k, missing) for k, v in data.items()}
    if isinstance(data, list):
        return [substitute(v, env, f"{key}[{i}]", missing) for i, v in enumerate(data)]
    return data
