"""API units per clip and their list price (kling-api.md section 9).

The table is data: ``PriceTable.from_toml`` reads a replacement, because packs and prices
change. Units are API resource-pack units (1 unit = US$0.14 list price), not web credits.

Checked against section 9 of kling-api.md: every units figure and the unit price agree
with it, and failed tasks are not charged (the simulator deducts on ``succeed`` only). What
the reference marks uncertain, and what was chosen:

- kling-v2-1, kling-v2-1-master, kling-v2-5-turbo and kling-v2-6 figures are third-party
  [3p] (section 11: v2.x prices are mostly third-party): used as given, with source "3p".
- kling-v2-6 "pro with audio" (5 / 10 units) is not in the table: cmforge never sends
  ``sound``, so the no-audio row applies.
- "1 API unit ~ 10 web credits" is an inference [?]: not used; estimates are in API units
  and money at the list unit price, never in web credits.
- Pack prices, sizes and the trial entry [3p][?]: not used (only the unit price matters).
- Whether a balance above zero but below a clip's cost is refused [?]: the simulator
  refuses only an empty or expired pack (1102).
- Lengths other than 5 and 10 s are not sold; pro rata of 5 s is a fallback only.
- A model missing from the table [?] is priced at the dearest row, so a budget check errs
  on the safe side (``Price.known`` is False, source "assumed").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

UNIT_PRICE_USD = 0.14

# model: (std 5 s, std 10 s, pro 5 s, pro 10 s); source tags of section 9 below ("3p" if absent)
DEFAULT_UNITS: dict[str, tuple[float, float, float, float]] = {
    "kling-v1": (1, 2, 3.5, 7),
    "kling-v1-5": (2, 4, 3.5, 7),
    "kling-v1-6": (2, 4, 3.5, 7),
    "kling-v2-master": (10, 20, 10, 20),
    "kling-v2-1": (2, 4, 3.5, 7),
    "kling-v2-1-master": (10, 20, 10, 20),
    "kling-v2-5-turbo": (1.5, 3, 2.5, 5),
    "kling-v2-6": (1.5, 3, 2.5, 5),
}
DEFAULT_SOURCES = {
    "kling-v1": "doc",
    "kling-v1-5": "doc",
    "kling-v1-6": "doc",
    "kling-v2-master": "doc",
}


@dataclass(frozen=True)
class Price:
    units: float
    money: float  # approximate, at the list price of a unit
    known: bool  # False: the model is not in the table; the dearest entry was assumed
    source: str  # doc | 3p | assumed


@dataclass(frozen=True)
class PriceTable:
    units: dict[str, tuple[float, float, float, float]] = field(
        default_factory=lambda: dict(DEFAULT_UNITS)
    )
    unit_price: float = UNIT_PRICE_USD
    sources: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SOURCES))

    def price(self, model: str, mode: str, length: int) -> Price:
        """Units for one clip; 5 and 10 s from the table, other lengths pro rata of 5 s."""
        col = 2 if mode == "pro" else 0
        if model in self.units:
            row, known, source = self.units[model], True, self.sources.get(model, "3p")
        else:  # unknown model: assume the dearest, so a budget check errs on the safe side
            row = max(self.units.values(), key=lambda r: r[col + 1])
            known, source = False, "assumed"
        if length == 5:
            units = row[col]
        elif length == 10:
            units = row[col + 1]
        else:
            units = row[col] * length / 5
        return Price(units, round(units * self.unit_price, 2), known, source)

    @classmethod
    def from_toml(cls, path: Path) -> PriceTable:
        """A table from TOML: ``unit_price = 0.14`` and ``[units]`` entries such as
        ``"kling-v1" = [1, 2, 3.5, 7]`` (std 5 s, std 10 s, pro 5 s, pro 10 s)."""
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        units = {str(k): tuple(float(x) for x in v) for k, v in data.get("units", {}).items()}
        if any(len(v) != 4 for v in units.values()):
            raise ValueError(f"{path}: every [units] entry needs 4 numbers")
        return cls(
            units or dict(DEFAULT_UNITS),  # type: ignore[arg-type]
            float(data.get("unit_price", UNIT_PRICE_USD)),
            {k: "config" for k in units} if units else dict(DEFAULT_SOURCES),
        )
