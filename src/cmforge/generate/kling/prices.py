"""Kling's clip prices as the provider and the simulator read them: the table itself is in
generate/prices.py (the one price table of every provider, with its sources); this is that
table for one clip, optionally replaced from TOML (``PriceTable.from_toml``), because packs
and prices change.

Units are API resource-pack units (1 unit = US$0.14 list price), not web credits; the web-app
credit equivalent (std 5 s = 10, pro 5 s = 35) comes along, labelled, for comparison only.
A model missing from the table is priced at the dearest row, so a budget check errs on the
safe side (``Price.known`` is False, source "assumed"). Whether a balance above zero but below
a clip's cost is refused is undocumented: the simulator refuses only an empty or expired pack.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..prices import (
    KLING_UNITS,
    KLING_VIDEO_SOURCES,
    KLING_VIDEO_UNITS,
    UNITS,
    Cost,
    kling_video_cost,
)

UNIT_PRICE_USD: float = UNITS[KLING_UNITS].usd or 0.14
DEFAULT_UNITS = dict(KLING_VIDEO_UNITS)
DEFAULT_SOURCES = dict(KLING_VIDEO_SOURCES)


@dataclass(frozen=True)
class Price:
    units: float
    money: float  # approximate, at the list price of a unit, in US dollars
    known: bool  # False: the model is not in the table; the dearest entry was assumed
    source: str  # doc | 3p | assumed | config
    cost: Cost | None = None  # the same, with its unit and the web-app equivalent

    def fields(self, takes: int = 1) -> dict:
        """An estimate's cost fields for `takes` clips (generate.prices.Cost.fields)."""
        cost = self.cost or Cost(self.units, KLING_UNITS, self.money, self.known, self.source)
        return cost.times(takes).fields()


@dataclass(frozen=True)
class PriceTable:
    units: dict[str, tuple[float, float, float, float]] = field(
        default_factory=lambda: dict(DEFAULT_UNITS)
    )
    unit_price: float = UNIT_PRICE_USD
    sources: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SOURCES))

    def price(self, model: str, mode: str, length: int) -> Price:
        """Units for one clip; 5 and 10 s from the table, other lengths pro rata of 5 s."""
        cost = kling_video_cost(model, mode, length, self.units, self.unit_price)
        source = self.sources.get(model, "3p") if cost.known else "assumed"
        cost = Cost(cost.amount, cost.unit, cost.usd, cost.known, source, cost.equivalent)
        return Price(cost.amount, round(cost.amount * self.unit_price, 2), cost.known, source, cost)

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
