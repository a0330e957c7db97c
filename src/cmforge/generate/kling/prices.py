"""API units per clip and their list price (kling-api.md section 9).

The table is data: ``PriceTable.from_toml`` reads a replacement, because packs and prices
change. Units are API resource-pack units (1 unit = US$0.14 list price), not web credits.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

UNIT_PRICE_USD = 0.14

# model: (std 5 s, std 10 s, pro 5 s, pro 10 s), source tag of section 9
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
