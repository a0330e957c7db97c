"""The FLUX models cmforge can ask for (image-apis.md section 2), their sizes and their body.

Each model is one endpoint ``POST /v1/<model>``. The families differ in how the size is asked:

- FLUX.1 (flux-pro-1.1, flux-pro, flux-dev): ``width`` and ``height``, 256-1440 px, multiples
  of 32;
- FLUX.2 (flux-2-pro, -max, -flex, -klein-4b, -klein-9b): ``width`` and ``height``, multiples
  of 16, at least 64 px, at most 4 megapixels (the API resizes larger ones; cmforge never asks);
- ultra (flux-pro-1.1-ultra) and Kontext (flux-kontext-pro, -max): ``aspect_ratio`` only (about
  4 MP and 1 MP, the sides multiples of 32).

The size asked for is the largest the model allows up to the size cmforge wants for the still
(jobs.STILL_SIZES: 1080x1920 for 9:16, rounded up to the grid), on the model's grid, within 1 %
of the exact aspect ratio: 9:16 is 768x1376 on FLUX.1 (exact 9:16 on a 32 px grid is only
576x1024) and 1088x1920 on FLUX.2, as BFL's own help suggests; Kontext 736x1312, ultra
1536x2720. The compositor fits the still to the frame either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FLUX1, FLUX2, ULTRA, KONTEXT = "flux1", "flux2", "ultra", "kontext"
RATIO_TOLERANCE = 0.01  # how far from the exact aspect ratio a size may be


@dataclass(frozen=True)
class Model:
    name: str  # the path after /v1/
    family: str
    step: int = 32  # sides are multiples of this
    low: int = 256  # smallest side
    high: int = 1440  # largest side (FLUX.1)
    max_pixels: int = 0  # FLUX.2: 4 MP
    safety: int = 6  # safety_tolerance upper bound
    own: tuple[str, ...] = ()  # family-specific keys cmforge sends when the recipe sets them
    approx_pixels: int = 0  # ultra / Kontext: about this many pixels for a given aspect ratio

    @property
    def sized(self) -> bool:
        """Asked with width and height (else with aspect_ratio)."""
        return self.family in (FLUX1, FLUX2)


MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        Model("flux-pro-1.1", FLUX1),
        Model("flux-pro", FLUX1, own=("steps", "guidance")),
        Model("flux-dev", FLUX1, own=("steps", "guidance")),
        Model("flux-pro-1.1-ultra", ULTRA, own=("raw",), approx_pixels=4_000_000),
        Model("flux-kontext-pro", KONTEXT, safety=6, approx_pixels=1_000_000),
        Model("flux-kontext-max", KONTEXT, safety=6, approx_pixels=1_000_000),
        Model("flux-2-pro", FLUX2, 16, 64, 4096, 4_000_000, 5),
        Model("flux-2-max", FLUX2, 16, 64, 4096, 4_000_000, 5),
        Model("flux-2-flex", FLUX2, 16, 64, 4096, 4_000_000, 5, own=("steps", "guidance")),
        Model("flux-2-klein-4b", FLUX2, 16, 64, 4096, 4_000_000, 5),
        Model("flux-2-klein-9b", FLUX2, 16, 64, 4096, 4_000_000, 5),
    )
}
DEFAULT_MODEL = "flux-pro-1.1"
# FLUX.1 steps 1-50, guidance 1.5-5; flex: steps 1-50, guidance 1.5-10 (section 2)
RANGES = {
    (FLUX1, "steps"): (1, 50),
    (FLUX1, "guidance"): (1.5, 5.0),
    (FLUX2, "steps"): (1, 50),
    (FLUX2, "guidance"): (1.5, 10.0),
}
ASPECT_RANGE = {ULTRA: (21 / 9, 9 / 21), KONTEXT: (7 / 3, 3 / 7)}


def model_of(name: str | None) -> Model | None:
    return MODELS.get(name or DEFAULT_MODEL)


def ratio(aspect: str) -> float:
    w, h = aspect.split(":")
    return float(w) / float(h)


def size_for(model: Model, aspect: str, wanted: tuple[int, int]) -> tuple[int, int]:
    """The pixel size asked for (or, for ultra / Kontext, the size they are expected to
    deliver): the largest on the model's grid, no larger than `wanted` (nor the model's
    limits), within RATIO_TOLERANCE of `aspect`."""
    r = ratio(aspect)
    if model.sized:
        limit = model.max_pixels
        top_w, top_h = _grid_up(wanted[0], model.step), _grid_up(wanted[1], model.step)
        top = min(model.high, max(top_w, top_h))
    else:  # asked by aspect ratio: the size it is expected to deliver, about approx_pixels
        limit = int(model.approx_pixels * 1.05)
        top_w = top_h = top = _grid_up((limit * max(r, 1 / r)) ** 0.5, model.step)
    best: tuple[int, int] | None = None
    for long_side in range(top - top % model.step, model.low - 1, -model.step):
        w, h = (long_side, long_side / r) if r >= 1 else (long_side * r, long_side)
        w, h = _grid(w, model.step), _grid(h, model.step)
        if min(w, h) < model.low or w > top_w or h > top_h or (limit and w * h > limit):
            continue
        if abs(w / h - r) / r <= RATIO_TOLERANCE and (best is None or w * h > best[0] * best[1]):
            best = (w, h)
    if best is None:  # nothing close enough: the nearest on the grid
        return (_grid(wanted[0], model.step), _grid(wanted[1], model.step))
    return best


def _grid(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)


def _grid_up(value: float, step: int) -> int:
    return -(-int(value) // step) * step


def request_body(
    model: Model,
    prompt: str,
    aspect: str,
    size: tuple[int, int],
    settings: dict[str, Any],
    output_format: str,
) -> dict:
    """The JSON body of the create request (no webhook: cmforge polls)."""
    body: dict[str, Any] = {"prompt": prompt, "output_format": output_format}
    if model.sized:
        body["width"], body["height"] = size
    else:
        body["aspect_ratio"] = aspect
    if settings.get("seed") is not None:
        body["seed"] = int(settings["seed"])
    for key in ("safety_tolerance", "prompt_upsampling", *model.own):
        if settings.get(key) is not None:
            body[key] = settings[key]
    return body


def check(model_name: str | None, settings: dict[str, Any], aspect: str, key: str) -> list[str]:
    """What FLUX would refuse (422), found before anything is sent or spent, each naming
    the recipe key (`key` is the still's, e.g. stills[0])."""
    problems: list[str] = []
    model = model_of(model_name)
    if model is None:
        known = ", ".join(MODELS)
        problems.append(
            _say(
                f"FLUX has no model {model_name!r} that cmforge knows",
                f"{key}.model",
                f"one of {known}",
            )
        )
        return problems
    safety = settings.get("safety_tolerance")
    if safety is not None and not 0 <= int(safety) <= model.safety:
        problems.append(
            _say(
                f"safety_tolerance {safety} is outside 0-{model.safety} for {model.name}",
                f"{key}.safety_tolerance",
                "0 is the strictest; the default is 2",
            )
        )
    for opt in ("steps", "guidance", "raw"):
        if settings.get(opt) is None:
            continue
        if opt not in model.own:
            takes = [m for m, spec in MODELS.items() if opt in spec.own]
            problems.append(
                _say(
                    f"{model.name} does not take {opt}",
                    f"{key}.{opt}",
                    f"models that take it: {', '.join(takes)}",
                )
            )
            continue
        low_high = RANGES.get((model.family, opt))
        if low_high and not low_high[0] <= float(settings[opt]) <= low_high[1]:
            problems.append(
                _say(
                    f"{opt} {settings[opt]} is outside {low_high[0]:g}-{low_high[1]:g} "
                    f"for {model.name}",
                    f"{key}.{opt}",
                )
            )
    wide = ASPECT_RANGE.get(model.family)
    if wide and not wide[1] <= ratio(aspect) <= wide[0]:
        problems.append(_say(f"{model.name} does not make {aspect} images", f"{key}.aspect"))
    return problems


def _say(message: str, where: str, hint: str = "") -> str:
    return f"{where}: {message}" + (f" ({hint})" if hint else "")
