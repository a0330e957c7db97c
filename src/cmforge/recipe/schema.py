"""The recipe's JSON Schema, derived from the same spec the validator uses."""

from __future__ import annotations

from ..delivery.standards import STANDARDS
from .kinds import SCENE_KINDS
from .spec import TOP, F
from .transitions import TRANSITION_KINDS

_SIMPLE = {
    "str": {"type": "string"},
    "path": {"type": "string"},
    "color": {"type": "string"},
    "number": {"type": "number"},
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "strbool": {"type": ["string", "boolean"]},
    "dict": {"type": "object"},
    "strlist": {"type": "array", "items": {"type": "string"}},
    "pair": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "gain": {
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*([dD][bB]|%|[xX])\s*$"},
        ]
    },
    "background": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}


def transition_schema() -> dict:
    """A transition name, or a table with the keys of its registered kind."""
    kinds: dict[type, list[str]] = {}
    for name, kind in TRANSITION_KINDS.items():
        kinds.setdefault(kind, []).append(name)
    tables = [
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "type": {"enum": names},
                **{k: field_schema(v) for k, v in kind.fields.items()},
            },
            "required": ["type"],
        }
        for kind, names in kinds.items()
    ]
    return {"anyOf": [{"type": "string"}, *tables]}


def field_schema(f: F) -> dict:
    if f.kind == "transition":
        return {**transition_schema(), "description": f.desc}
    if f.kind in ("table", "tables", "duck", "named", "color_table") and f.fields is not None:
        obj = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: field_schema(v) for k, v in f.fields.items()},
            "required": [k for k, v in f.fields.items() if v.required],
        }
        if f.kind == "tables":
            out: dict = {"type": "array", "items": obj}
        elif f.kind == "duck":
            out = {"anyOf": [{"type": "number", "maximum": 0}, _SIMPLE["gain"], obj]}
        elif f.kind == "named":  # a name, or a table of the same thing's settings
            out = {"anyOf": [{"type": "string", "enum": list(f.choices)}, obj]}
        elif f.kind == "color_table":  # a colour, or a table of it and its settings
            out = {"anyOf": [{"type": "string"}, obj]}
        else:
            out = obj
    elif f.kind == "platforms":  # one platform's name or a list of them
        one = {"type": "string", "enum": list(f.choices)}
        out = {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    elif f.kind == "loudness":  # a standard's name (read when asked) or LUFS
        out = {"anyOf": [{"type": "string", "enum": list(STANDARDS)}, {"type": "number"}]}
    else:
        out = dict(_SIMPLE.get(f.kind, {}))
    if f.choices:
        if f.kind == "int":
            out["enum"] = [int(c) for c in f.choices]
        elif f.kind == "str":
            out["enum"] = list(f.choices)
    if f.minimum is not None:
        out["minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.positive:
        out["exclusiveMinimum"] = 0
    if f.desc:
        out["description"] = f.desc
    return out


def scene_schema() -> dict:
    variants = []
    for kind, record in SCENE_KINDS.items():
        fields = record.fields
        props = {k: field_schema(v) for k, v in fields.items()}
        props["type"] = {"const": kind}
        variants.append(
            {
                "type": "object",
                "additionalProperties": False,
                "properties": props,
                "required": ["type"] + [k for k, v in fields.items() if v.required and k != "type"],
            }
        )
    return {"type": "array", "items": {"oneOf": variants}}


def recipe_schema() -> dict:
    props = {k: field_schema(v) for k, v in TOP.items()}
    props["scenes"] = scene_schema()
    top_tables = {k: field_schema(v) for k, v in TOP.items() if k not in ("variants", "version")}
    props["variants"] = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, **top_tables, "scenes": scene_schema()},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cmforge CM recipe",
        "type": "object",
        "additionalProperties": False,
        "required": ["scenes"],
        "properties": props,
    }
