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

from ..media.loudness import Loudness

CEILING = -1.5  # dBTP we aim under: delivery asks for -1; AAC encoding can add a few tenths
DELIVERY_PEAK = -1.0  # dBTP that delivery standards allow
SILENT_EDGE = 0.5  # jp-tv: seconds of digital silence at the head and tail
EDGE_MARGIN = 0.05  # and a little more: AAC frames (21 ms, overlapping) must not smear into it
EDGE_FADE = 0.25  # seconds the programme fades in after the silent head (and out before the tail)
TOLERANCE = 0.3  # LU: how close a correction pass must land (Japanese stations re-measure ±0.3)


@dataclass(frozen=True)
class Mastering:
    """The correction the render adds at the end of the mix (compile/audio.py builds it)."""

    target: float | None = None
    standard: str = ""  # jp-tv adds the silent head and tail
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
    material, and can add to the true peak), else through `measure`."""
    raw = measure(0.0, False)
    if raw.integrated <= -70.0:
        return Mastering(target, standard, 0.0, False, raw, raw, ("the programme is silent",))
    gain = target - raw.integrated
    limited = raw.true_peak + gain > CEILING
    notes = []
    if limited:
        notes.append(
            f"a gain of {gain:+.1f} dB would put the true peak at "
            f"{raw.true_peak + gain:+.1f} dBTP: limited to {CEILING} dBTP"
        )
    after = Loudness(raw.integrated + gain, raw.true_peak + gain, raw.lra)
    if not limited and encoded is None:
        return Mastering(target, standard, round(gain, 2), False, raw, after)
    check = encoded or measure
    for _ in range(3):
        after = check(round(gain, 2), limited)
        miss = target - after.integrated
        if not limited and after.true_peak + miss > CEILING:
            limited = True
            notes.append(f"limited to {CEILING} dBTP: the encoded sound peaks higher")
            continue
        if abs(miss) <= TOLERANCE / 3:
            break
        gain += miss
        notes.append(f"trimmed {miss:+.2f} dB after measuring the corrected sound")
    return Mastering(target, standard, round(gain, 2), limited, raw, after, tuple(notes))
