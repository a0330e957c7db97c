"""The delivery standards and output formats, each defined once.

A standard is what a station or platform asks of a finished ad's sound: a loudness target and
how far the delivered file may miss it, a true-peak ceiling, the sample rates it accepts, and
digital silence at the head and tail. Recipe validation (names, did-you-mean), the JSON Schema,
recipe building (the target), mastering (the limiter's ceiling, the silent edges), the
manifest's `within_spec` and `cmforge check` all read the one table below, so a render and
`check` judge the same file by the same numbers. A new standard is one entry in STANDARDS.

Tolerances, as decided from the public texts (docs/recipe.md, *Sound*, says the same):
- web -14 LUFS ±1 LU: no platform publishes an ad target; YouTube turns playback down to about
  -14 LUFS (unofficial measurements), and ±1 LU is EBU R128's production tolerance. [estimate]
- ebu -23 LUFS ±0.5 LU: EBU R128 (since v3.0, 2014) holds a finished programme to ±0.5 LU and
  allows ±1 LU only where exact normalisation cannot be reached (live); R128 s1 keeps the same
  target and true peak for commercials.
- jp-tv -24 LKFS ±1 dB: ARIB TR-B32 and the JBA's T032 ("the operational tolerance is ±1 dB"),
  which TV stations apply to every commercial since October 2012; the JBA/JAAA delivery rules
  for commercials add 48 kHz and 0.5 s of silence at both ends, where stations cut.
- true peak at most -1 dBTP for all three (R128, TR-B32; room for lossy re-encoding).
- a number instead of a name (`output.loudness = -16`) has no published tolerance: it is held
  to ±0.5 LU, the strictest in the table, and -1 dBTP.

This module imports nothing from cmforge: every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

# dBTP the mastering aims below a standard's true-peak ceiling: AAC encoding adds a few tenths
ENCODER_HEADROOM = 0.5
CUSTOM_TOLERANCE = 0.5  # LU either side for a target given as a number (see above)
CUSTOM_TRUE_PEAK = -1.0  # dBTP for a target given as a number
_SLACK = 1e-9  # the edge of a tolerance counts as inside it, whatever the float rounding


@dataclass(frozen=True)
class Standard:
    """One delivery standard: what the sound of a delivered file must measure."""

    name: str  # as written in a recipe (`output.loudness = "web"`) and `check --standard`
    target: float  # integrated loudness, LUFS (= LKFS)
    tolerance: float  # LU either side of the target a delivered file may measure
    true_peak: float = -1.0  # dBTP, at most
    unit: str = "LUFS"  # how the standard's own text writes loudness (LUFS or LKFS)
    rates: tuple[int, ...] = (44100, 48000)  # audio sample rates accepted, Hz
    silent_edge: float = 0.0  # s of digital silence required at the head and at the tail
    fps: float = 0.0  # the broadcast's frame rate, when it has one (check notes a difference)
    # how cmforge meets silent edges: the silence runs `edge_margin` longer (AAC frames overlap
    # by 21 ms and must not smear sound into it) and the programme fades in over `edge_fade`
    # after it and out before the silent tail (the picture is not cut)
    edge_margin: float = 0.05
    edge_fade: float = 0.25
    source: str = ""  # the public text the figures come from

    @property
    def ceiling(self) -> float:
        """dBTP the mastering's true-peak limiter aims under."""
        return self.true_peak - ENCODER_HEADROOM

    @property
    def silent_edges(self) -> bool:
        """Whether the head and tail must be digital silence (else they are only reported)."""
        return self.silent_edge > 0

    def loudness_ok(self, integrated: float) -> bool:
        """Whether a measured integrated loudness is within the tolerance of the target."""
        return abs(integrated - self.target) <= self.tolerance + _SLACK

    def peak_ok(self, true_peak: float) -> bool:
        """Whether a measured true peak is at or under the ceiling the standard allows."""
        return true_peak <= self.true_peak + _SLACK

    def summary(self) -> str:
        """'-14 LUFS' or '-24 LKFS': the target as the standard writes it."""
        return f"{self.target:g} {self.unit}"


STANDARDS: dict[str, Standard] = {
    s.name: s
    for s in (
        Standard("web", -14.0, 1.0, source="platform playback normalisation [estimate]"),
        Standard("ebu", -23.0, 0.5, rates=(48000,), source="EBU R128, R128 s1"),
        Standard(
            "jp-tv",
            -24.0,
            1.0,
            unit="LKFS",
            rates=(48000,),
            silent_edge=0.5,
            fps=30000 / 1001,
            source="ARIB TR-B32, JBA T032, JBA/JAAA commercial delivery rules",
        ),
    )
}

# output.format: width x height of each named frame
FORMATS: dict[str, tuple[int, int]] = {
    "vertical": (1080, 1920),
    "square": (1080, 1080),
    "landscape": (1920, 1080),
}


def custom(target: float) -> Standard:
    """The standard a loudness given as a number is held to."""
    return Standard("", target, CUSTOM_TOLERANCE, CUSTOM_TRUE_PEAK)


def standard_for(target: float | None, name: str = "") -> Standard | None:
    """The standard a recipe's output is delivered to: the named one, else one built around a
    numeric target; None when the recipe sets no loudness (the mix is delivered as it is)."""
    if name in STANDARDS:
        return STANDARDS[name]
    return None if target is None else custom(target)


def names_with_targets() -> str:
    """'"web" (-14 LUFS), "ebu" (-23 LUFS), "jp-tv" (-24 LKFS)': for help and error hints."""
    return ", ".join(f'"{s.name}" ({s.summary()})' for s in STANDARDS.values())
