"""Loudness delivery, in two passes: measure the mixed programme, then correct it.

Pass one measures the mix as it is (ebur128: integrated loudness and true peak). If the gain
that brings it to the target keeps the true peak under the ceiling, the correction is that gain
and nothing else (the mix keeps all its dynamics). Otherwise the gain goes through a true-peak
limiter (a look-ahead limiter run at 4x the sample rate, where inter-sample peaks are visible),
and because limiting takes a little loudness away, the corrected programme is measured again
and the gain trimmed by what is missing. Each pass renders only the sound (no picture), which
takes a fraction of a second for a 30 s ad."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..delivery.standards import standard_for
from ..media.loudness import Loudness

# The target, the true-peak ceiling (the standard's maximum less the encoder's headroom) and the
# silent head and tail come from the standard (delivery/standards.py).
TOLERANCE = 0.3  # LU: how close a correction pass must land (Japanese stations re-measure ±0.3)


@dataclass(frozen=True)
class Mastering:
    """The correction the render adds at the end of the mix (compile/audio.py builds it)."""

    target: float | None = None
    standard: str = ""  # the standard's name ("" for a number); it may add silent edges
    gain_db: float = 0.0
    limited: bool = False
    measured: Loudness | None = None  # the mix before correction
    predicted: Loudness | None = None  # the corrected programme, measured before encoding
    notes: tuple[str, ...] = field(default_factory=tuple)


# measure(gain_db, limited): render the mix with that correction (and the standard's silent
# edges) and return what ebur128 reads; encoded(...) the same after an AAC encode and decode
Measure = Callable[[float, bool], Loudness]


def master(
    target: float, standard: str, measure: Measure, encoded: Measure | None = None
) -> Mastering:
    """Choose the correction that brings the delivered programme to target LUFS with its true
    peak under the ceiling. The first pass measures the mix; the checks after it go through
    `encoded` when given (the AAC encoder's low-pass takes a few tenths of a LU off bright
    material, and can add to the true peak), else through `measure`. `standard` names the
    standard (delivery/standards.py) whose true peak sets the ceiling; "" for a number."""
    ceiling = _ceiling(target, standard)
    raw = measure(0.0, False)
    if raw.integrated <= -70.0:
        return Mastering(target, standard, 0.0, False, raw, raw, ("the programme is silent",))
    gain = target - raw.integrated
    limited = raw.true_peak + gain > ceiling
    notes = []
    if limited:
        notes.append(
            f"a gain of {gain:+.1f} dB would put the true peak at "
            f"{raw.true_peak + gain:+.1f} dBTP: limited to {ceiling:g} dBTP"
        )
    after = Loudness(raw.integrated + gain, raw.true_peak + gain, raw.lra)
    if not limited and encoded is None:
        return Mastering(target, standard, round(gain, 2), False, raw, after)
    check = encoded or measure
    for _ in range(3):
        after = check(round(gain, 2), limited)
        miss = target - after.integrated
        if not limited and after.true_peak + miss > ceiling:
            limited = True
            notes.append(f"limited to {ceiling:g} dBTP: the encoded sound peaks higher")
            continue
        if abs(miss) <= TOLERANCE / 3:
            break
        gain += miss
        notes.append(f"trimmed {miss:+.2f} dB after measuring the corrected sound")
    return Mastering(target, standard, round(gain, 2), limited, raw, after, tuple(notes))


def _ceiling(target: float, standard: str) -> float:
    std = standard_for(target, standard)
    assert std is not None  # a target always has a standard
    return std.ceiling
