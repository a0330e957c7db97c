"""The registry of scene kinds. A kind (a module in cmforge/scenes/) is a frozen record class,
a subclass of `Scene`, that owns its recipe keys, its defaults, the files it reads, its length
rule, its compile step, its plan row and its manifest entry. The recipe stage reads only this
registry; the kinds register themselves (cmforge/scenes/__init__.py), so a new kind is one new
file and one registration line."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Scene
from .spec import F

SCENE_KINDS: dict[str, type[Scene]] = {}


def register_scene(kind: type[Scene]) -> type[Scene]:
    """Add a kind under its `type` name (the recipe's `type = "..."`). A name already taken
    by another kind is refused; registering the same kind again changes nothing."""
    if not kind.type:
        raise ValueError(f"{kind.__name__} has no type name")
    taken = SCENE_KINDS.get(kind.type)
    if taken is not None and taken is not kind:
        raise ValueError(
            f"scene type {kind.type!r} is already registered "
            f"({taken.__module__}.{taken.__qualname__})"
        )
    SCENE_KINDS[kind.type] = kind
    return kind


def scene_types() -> tuple[str, ...]:
    return tuple(SCENE_KINDS)


def scene_fields(kind: str) -> Mapping[str, F]:
    """Every key a scene of this kind takes, `type` and the common keys included."""
    return SCENE_KINDS[kind].fields


def all_scene_keys() -> list[str]:
    return sorted({k for kind in SCENE_KINDS.values() for k in kind.fields})
