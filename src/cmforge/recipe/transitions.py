"""The registry of transition kinds. A kind (a module in cmforge/transitions/) is a frozen record
class, a subclass of `Transition`, that owns its recipe keys and defaults, how many frames it
overlaps, the video node mixing those frames and the crossfade of clip sound across them. The
recipe stage reads only this registry; the kinds register themselves
(cmforge/transitions/__init__.py), so a new transition is one new file and one registration
line."""

from __future__ import annotations

from .model import Transition
from .spec import F

TRANSITION_KINDS: dict[str, type[Transition]] = {}
TYPE = F("str", "cut, dip or an FFmpeg xfade transition name", required=True)


def register_transition(kind: type[Transition]) -> type[Transition]:
    """Add a kind under each of its type names (the recipe's `type = "..."`). A name already
    taken by another kind is refused (and none of the kind's names is added); registering the
    same kind again changes nothing."""
    if not kind.names:
        raise ValueError(f"{kind.__name__} has no type name")
    for name in kind.names:
        taken = TRANSITION_KINDS.get(name)
        if taken is not None and taken is not kind:
            raise ValueError(
                f"transition {name!r} is already registered "
                f"({taken.__module__}.{taken.__qualname__})"
            )
    for name in kind.names:
        TRANSITION_KINDS[name] = kind
    return kind


def transition_names() -> tuple[str, ...]:
    return tuple(TRANSITION_KINDS)


def transition_fields(name: str) -> dict[str, F]:
    """Every key a transition of this type takes, `type` included."""
    return {"type": TYPE, **TRANSITION_KINDS[name].fields}


def all_transition_keys() -> dict[str, F]:
    """The keys of every transition type (the first kind's spec of each)."""
    keys: dict[str, F] = {"type": TYPE}
    for kind in TRANSITION_KINDS.values():
        for name, spec in kind.fields.items():
            keys.setdefault(name, spec)
    return keys
