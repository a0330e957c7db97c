"""What generation costs: the one price table of every paid provider, and money in US dollars.

Each provider bills in its own unit; cmforge shows every paid item in that unit **and** in US
dollars at the unit's list price, and holds all of them to one budget in dollars
(assets/budget.py). This module is the only place a price is written down; the providers'
packages, the simulators, `plan`, the budget and the account commands read it from here.

Units (the name printed after every amount, `Unit.label`):

- ``Kling API units`` (KLING_UNITS): units of a Kling *video* resource pack. List price
  US$0.14 a unit (kling-api.md section 9 [doc], copies of the "Billing / Prepaid Resource
  Packs" page). Failed tasks, moderation included, are not charged [doc].
- ``Kling image units`` (KLING_IMAGE_UNITS): units of a Kling *image* resource pack, a separate
  pack. List price US$0.0035 a unit (image-apis.md section 6 [doc], K3).
- ``FLUX credits`` (FLUX_CREDITS): Black Forest Labs credits, US$0.01 each, one balance per
  organisation (image-apis.md section 5 [doc], B3, B7).
- ``Kling web-app credits`` (KLING_WEB_CREDITS): the consumer app's credits, as the original
  workflow counts them: a 5 s clip is 10 credits standard, 35 professional (kling-api.md
  section 9, a user's blog); 10 s clips 20 / 70 [3p]. They are **not** what the API bills and
  have no dollar price here: shown only as an equivalent, labelled as such. (Their ratio to
  kling-v1 API units, 10 : 1, is an inference [?] and is not used for money.)

The choices where the references are unsure are written beside each table below. A model not
in a table is priced at the dearest row of that table, so a budget errs on the safe side
(`Cost.known` False, source "assumed").
"""

from __future__ import annotations

from dataclasses import dataclass

USD = "USD"


@dataclass(frozen=True)
class Unit:
    """A provider's billing unit: the label printed after every amount, its list price in US
    dollars (None: no dollar price, an equivalent only), and where the price comes from."""

    key: str
    label: str
    usd: float | None
    source: str


KLING_UNITS = "Kling API units"
KLING_IMAGE_UNITS = "Kling image units"
FLUX_CREDITS = "FLUX credits"
KLING_WEB_CREDITS = "Kling web-app credits"
NO_UNIT = "nothing paid"  # an offline stand-in
# the unit `--max-credits` / `[generate] max_credits` limit (the contract's credit budget)
CREDIT_LIMIT_UNIT = KLING_UNITS

UNITS: dict[str, Unit] = {
    u.label: u
    for u in (
        # kling-api.md section 9 [doc]: "List price of a video unit: US$0.14"
        Unit("kling-video", KLING_UNITS, 0.14, "kling-api.md section 9 [doc]"),
        # image-apis.md section 6 [doc] (K3): "one image unit lists at $0.0035"
        Unit("kling-image", KLING_IMAGE_UNITS, 0.0035, "image-apis.md section 6 [doc]"),
        # image-apis.md section 5 [doc] (B3, B7): "1 credit = $0.01"
        Unit("flux", FLUX_CREDITS, 0.01, "image-apis.md section 5 [doc]"),
        # kling-api.md section 9: consumer credits, not the API's; no dollar price
        Unit("kling-web", KLING_WEB_CREDITS, None, "kling-api.md section 9 [blog, 3p]"),
        Unit("none", NO_UNIT, 0.0, "offline"),
    )
}


def unit(label: str) -> Unit:
    """The unit called `label` (KeyError names the units known)."""
    try:
        return UNITS[label]
    except KeyError:
        raise KeyError(f"no unit {label!r}; known: {', '.join(UNITS)}") from None


def usd(amount: float, label: str) -> float:
    """`amount` of a unit in US dollars at its list price (rounded to a hundredth of a cent);
    0 for a unit with no dollar price."""
    price = unit(label).usd
    return round(amount * price, 4) if price else 0.0


def money(value: float) -> str:
    """US dollars as printed: $0.49; amounts under a cent keep their cents' fraction
    ($0.0035)."""
    if value and abs(value) < 0.01:
        return f"${value:.4f}".rstrip("0")
    return f"${value:,.2f}"


def amount_text(amount: float, label: str) -> str:
    """An amount with its unit: '3.5 Kling API units'."""
    return f"{amount:g} {label}"


@dataclass(frozen=True)
class Cost:
    """What one paid item costs: in the provider's unit, in US dollars, and (Kling video) the
    web-app credit equivalent; `known` False when the model was not in the table."""

    amount: float
    unit: str
    usd: float
    known: bool = True
    source: str = ""
    equivalent: float | None = None  # Kling web-app credits, for comparison only

    def text(self) -> str:
        """'3.5 Kling API units = $0.49 (Kling web-app equivalent: 35 credits)'."""
        if self.unit == NO_UNIT:
            return "nothing paid (offline stand-in)"
        out = f"{amount_text(self.amount, self.unit)} = {money(self.usd)}"
        if self.equivalent is not None:
            out += f" (Kling web-app equivalent: {self.equivalent:g} credits)"
        if not self.known:
            out += " (model not in the price table: priced at the dearest)"
        return out

    def fields(self) -> dict:
        """The cost as an estimate's fields (generate.base.Provider.estimate): credits (the
        amount in `unit`), unit, money and currency (US dollars), equivalent, price_known,
        price_source, cost_text."""
        return {
            "credits": self.amount,
            "unit": self.unit,
            "money": self.usd,
            "currency": USD,
            "equivalent": self.equivalent,
            "price_known": self.known,
            "price_source": self.source,
            "cost_text": self.text(),
        }

    def times(self, n: int) -> Cost:
        """n of the same item."""
        eq = None if self.equivalent is None else self.equivalent * n
        return Cost(self.amount * n, self.unit, round(self.usd * n, 4), self.known, self.source, eq)


FREE = Cost(0.0, NO_UNIT, 0.0, True, "offline")


# ----- Kling video: API units per clip (kling-api.md section 9) ---------------------------

# model: (std 5 s, std 10 s, pro 5 s, pro 10 s). [doc] rows are from copies of the official
# deduction table; the rest are third-party figures [3p] (section 11: v2.x prices are mostly
# third-party), used as given. kling-v2-6 "pro with audio" (5 / 10) is left out: cmforge never
# sends `sound`. Lengths other than 5 and 10 s are not sold: pro rata of 5 s is a fallback.
KLING_VIDEO_UNITS: dict[str, tuple[float, float, float, float]] = {
    "kling-v1": (1, 2, 3.5, 7),  # [doc]
    "kling-v1-5": (2, 4, 3.5, 7),  # [doc]
    "kling-v1-6": (2, 4, 3.5, 7),  # [doc]
    "kling-v2-master": (10, 20, 10, 20),  # [doc], no std/pro split
    "kling-v2-1": (2, 4, 3.5, 7),  # [3p]
    "kling-v2-1-master": (10, 20, 10, 20),  # [3p]
    "kling-v2-5-turbo": (1.5, 3, 2.5, 5),  # [3p]
    "kling-v2-6": (1.5, 3, 2.5, 5),  # [3p], no audio
}
KLING_VIDEO_SOURCES = dict.fromkeys(
    ("kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master"), "doc"
)

# Kling web-app credits per clip, by mode and length, whatever the model (the blog counts
# clips, not models): std 5 s = 10, pro 5 s = 35 (a user's blog), 10 s = 20 / 70 [3p].
KLING_WEB_CREDITS_PER_CLIP = {
    ("std", 5): 10.0,
    ("std", 10): 20.0,
    ("pro", 5): 35.0,
    ("pro", 10): 70.0,
}


def kling_row(
    model: str, table: dict[str, tuple[float, float, float, float]] | None = None
) -> tuple[tuple[float, float, float, float], bool]:
    """A model's row of the video table and whether it is in it (else the dearest row)."""
    table = KLING_VIDEO_UNITS if table is None else table
    if model in table:
        return table[model], True
    return max(table.values(), key=lambda r: (r[3], r[1])), False


def kling_units(
    model: str,
    mode: str,
    length: int | float,
    table: dict[str, tuple[float, float, float, float]] | None = None,
) -> float:
    """Kling API units for one clip of `length` seconds (5 and 10 from the table, other
    lengths pro rata of 5 s); a model not in the table at the dearest row."""
    row, _known = kling_row(model, table)
    col = 2 if mode == "pro" else 0
    if length == 5:
        return row[col]
    if length == 10:
        return row[col + 1]
    return row[col] * float(length) / 5


def kling_web_credits(mode: str, length: int | float) -> float:
    """The Kling web-app credit equivalent of one clip (an equivalent, not a price)."""
    mode = "pro" if mode == "pro" else "std"
    if (mode, int(length)) in KLING_WEB_CREDITS_PER_CLIP and float(length) == int(length):
        return KLING_WEB_CREDITS_PER_CLIP[(mode, int(length))]
    return KLING_WEB_CREDITS_PER_CLIP[(mode, 5)] * float(length) / 5


def kling_video_cost(
    model: str,
    mode: str,
    length: int | float,
    table: dict[str, tuple[float, float, float, float]] | None = None,
    unit_price: float | None = None,
) -> Cost:
    """One Kling clip: API units, dollars at the unit's list price (or `unit_price`), and
    the web-app credit equivalent."""
    units = kling_units(model, mode, length, table)
    _row, known = kling_row(model, table)
    price = UNITS[KLING_UNITS].usd if unit_price is None else unit_price
    if not known:
        source = "assumed"
    elif table is not None and table is not KLING_VIDEO_UNITS:
        source = "config"
    else:
        source = KLING_VIDEO_SOURCES.get(model, "3p")
    return Cost(
        units,
        KLING_UNITS,
        round(units * (price or 0.0), 4),
        known,
        source,
        kling_web_credits(mode, length),
    )


# ----- Kling images: image units per image (image-apis.md section 6) ----------------------

# model: (text-to-image, image-to-image) units per image. kling-v1 and kling-v1-5 [doc] (K3);
# kling-v2 text [doc], its i2i 8 [3p] (K2); kling-v2-1 [3p]; kling-v3 8 at 1k/2k [3p] (a code
# comment says 2k doubles it [uncertain]: not applied). Failed tasks cost nothing [doc].
KLING_IMAGE_UNITS_PER_IMAGE: dict[str, tuple[float, float]] = {
    "kling-v1": (1, 1),  # [doc]
    "kling-v1-5": (4, 8),  # [doc]
    "kling-v2": (4, 8),  # text [doc], i2i [3p]
    "kling-v2-1": (4, 8),  # [3p]
    "kling-v3": (8, 8),  # [3p]
}
KLING_IMAGE_SOURCES = dict.fromkeys(("kling-v1", "kling-v1-5"), "doc") | {"kling-v2": "doc"}


def kling_image_units(model: str, n: int = 1, with_image: bool = False) -> float:
    """Kling image units for one task making `n` images (from a reference image or not)."""
    table = KLING_IMAGE_UNITS_PER_IMAGE
    col = 1 if with_image else 0
    row = table.get(model) or max(table.values(), key=lambda r: r[col])
    return row[col] * max(1, int(n))


def kling_image_cost(model: str, n: int = 1, with_image: bool = False) -> Cost:
    """One Kling image task of `n` images, in image units and dollars."""
    units = kling_image_units(model, n, with_image)
    known = model in KLING_IMAGE_UNITS_PER_IMAGE
    source = KLING_IMAGE_SOURCES.get(model, "3p") if known else "assumed"
    return Cost(units, KLING_IMAGE_UNITS, usd(units, KLING_IMAGE_UNITS), known, source)


# ----- FLUX: credits per image (image-apis.md section 5) ----------------------------------

# FLUX.1 family: a flat price per image. flux-pro-1.1 4, -ultra 6, kontext-pro 4, -max 8
# [doc] (B7); flux-dev 2.5 [3p] (B13). The "raw" mode of ultra is the same endpoint (6).
FLUX_FLAT_CREDITS: dict[str, float] = {
    "flux-pro-1.1": 4,  # [doc]
    "flux-pro-1.1-ultra": 6,  # [doc]
    "flux-kontext-pro": 4,  # [doc]
    "flux-kontext": 4,  # the skills repo's name for kontext-pro (image-apis.md section 2)
    "flux-kontext-max": 8,  # [doc]
    "flux-dev": 2.5,  # [3p]
}
# FLUX.2: (first megapixel, each further megapixel) [doc] (B8); price = first + (output MP - 1)
# x step + input MP x step, a megapixel being 10^6 pixels (that reading gives the reference's
# "1088x1920 on flux-2-pro ~ 4.6 credits"; 2^20 would give 4.5). Output above 4 MP is resized
# to 4 MP by the API, so it is priced at 4.
FLUX2_CREDITS: dict[str, tuple[float, float]] = {
    "flux-2-klein-4b": (1.4, 0.1),
    "flux-2-klein-9b": (1.5, 0.2),
    "flux-2-pro": (3, 1.5),
    "flux-2-max": (7, 3),
    "flux-2-flex": (5, 5),
}
FLUX_SOURCES = {"flux-dev": "3p"}


def _flux2_row(model: str) -> tuple[float, float] | None:
    """FLUX.2's rows also cover their snapshots and previews (flux-2-pro-preview, ...)."""
    for name, row in sorted(FLUX2_CREDITS.items(), key=lambda kv: -len(kv[0])):
        if model == name or model.startswith(name + "-"):
            return row
    return None


def flux_credits(model: str, width: int = 1024, height: int = 1024, input_mp: float = 0.0) -> float:
    """FLUX credits for one image of width x height (and `input_mp` megapixels of input
    images, FLUX.2 editing); a model in no table at the dearest FLUX.2 price for that size."""
    model = model.removeprefix("/v1/").removeprefix("v1/")
    if model in FLUX_FLAT_CREDITS:
        return FLUX_FLAT_CREDITS[model]
    out_mp = min(4.0, max(1.0, width * height / 1_000_000))
    row = _flux2_row(model)
    rows = [row] if row else list(FLUX2_CREDITS.values())
    return max(round(a + (out_mp - 1) * b + max(0.0, input_mp) * b, 2) for a, b in rows)


def flux_cost(model: str, width: int = 1024, height: int = 1024, input_mp: float = 0.0) -> Cost:
    """One FLUX image in credits and dollars."""
    credits = flux_credits(model, width, height, input_mp)
    bare = model.removeprefix("/v1/").removeprefix("v1/")
    known = bare in FLUX_FLAT_CREDITS or _flux2_row(bare) is not None
    source = FLUX_SOURCES.get(bare, "doc") if known else "assumed"
    return Cost(credits, FLUX_CREDITS, usd(credits, FLUX_CREDITS), known, source)
