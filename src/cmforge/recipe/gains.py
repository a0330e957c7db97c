"""Volumes as a recipe writes them. A bare number keeps the contract's meaning (a clip's
`volume` is a linear gain; music and [[audio]] volumes and duck are dB); a string says its
unit ("-6dB", "50%", "0.5x", units.parse_gain). A bare number that looks like the other unit
is refused with what it probably meant."""

from __future__ import annotations

import math
from typing import Any

from ..units import parse_gain

UNITS = 'write the unit to be sure: "-6dB", "50%" or "0.5x" mean the same gain anywhere'
MEANS = {  # what a bare number means, said when it looks like the other unit
    "linear": "is a linear gain here (1 = as recorded, 0.5 = half, 0 = mute); music and "
    "[[audio]] volumes are in dB",
    "dB": "is in dB here (0 = as it is, -6 = about half); a clip's volume is a linear gain",
}
Said = tuple[str, str]  # (message, hint)


def read_gain(value: Any, unit: str, key: str) -> tuple[float | None, Said | None]:
    """The gain in the key's unit ("linear" or "dB"), or None and what is wrong with it."""
    try:
        gain = parse_gain(value, unit)
    except ValueError as exc:
        silence = "silence" in str(exc)
        return None, (str(exc), "leave the track out to mute it" if silence else UNITS)
    if isinstance(value, str):
        return gain, None
    if unit == "linear" and value < 0:
        return None, (f"{value:g} {MEANS[unit]}", f'did you mean "{value:g}dB"?')
    if unit == "dB" and 0 < value < 1 and not key.endswith(("duck", "depth")):
        return None, (
            f"{value:g} {MEANS[unit]}; {value:g} dB is almost no change",
            f'did you mean "{value * 100:g}%" ({20 * math.log10(value):.1f} dB)?',
        )
    return gain, None


def duck_problem(depth: Any, gain: float | None) -> Said | None:
    """A duck lowers the music: a depth above 0 dB is refused, with the value meant."""
    if gain is None or gain <= 0:
        return None
    hint = f"to lower the music {gain:g} dB under speech write -{gain:g}"
    if isinstance(depth, (int, float)) and 0 < depth < 1:
        hint = f'for the music at {depth * 100:g}% under speech write "{depth * 100:g}%"'
    return f"must be 0 (off) or negative dB, got {depth}", hint
