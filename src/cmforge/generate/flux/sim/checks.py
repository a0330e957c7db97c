"""What the simulated FLUX refuses with 422, in FastAPI's shape ({"detail": [{loc, msg, type}]}):
the prompt, the output format, safety_tolerance and seed, each family's sizes (FLUX.1 256-1440
on a 32 px grid, FLUX.2 64 px up on a 16 px grid) or aspect ratio range (ultra 21:9-9:21,
Kontext 7:3-3:7), steps and guidance where a model takes them; with `strict`, unknown fields."""

from __future__ import annotations

from ..models import ASPECT_RANGE, RANGES, Model, ratio

COMMON = {
    "prompt",
    "seed",
    "safety_tolerance",
    "output_format",
    "prompt_upsampling",
    "webhook_url",
    "webhook_secret",
}


def validate(model: Model, body: object, strict: bool) -> list[dict]:
    """FastAPI's 422 detail: [{loc, msg, type}] for every field FLUX would refuse."""
    if not isinstance(body, dict):
        return [_err([], "Input should be a valid dictionary", "dict_type")]
    errs = []
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        errs.append(_err(["prompt"], "Field required", "missing"))
    fmt = body.get("output_format")
    allowed = ("jpeg", "png", "webp") if model.family == "flux2" else ("jpeg", "png")
    if fmt is not None and fmt not in allowed:
        errs.append(_err(["output_format"], f"Input should be {' or '.join(allowed)}", "enum"))
    safety = body.get("safety_tolerance")
    if safety is not None and (not isinstance(safety, int) or not 0 <= safety <= model.safety):
        errs.append(
            _err(["safety_tolerance"], f"Input should be between 0 and {model.safety}", "range")
        )
    seed = body.get("seed")
    if seed is not None and not isinstance(seed, int):
        errs.append(_err(["seed"], "Input should be a valid integer", "int_type"))
    known = set(COMMON)
    if model.sized:
        known |= {"width", "height", "image_prompt", "input_image"}
        for side in ("width", "height"):
            v = body.get(side)
            if v is None:
                continue
            if not isinstance(v, int) or v < model.low or (not model.max_pixels and v > model.high):
                top = f"{model.high}" if not model.max_pixels else "4 MP"
                errs.append(_err([side], f"Input should be between {model.low} and {top}", "range"))
            elif v % model.step:
                errs.append(
                    _err([side], f"Input should be a multiple of {model.step}", "multiple_of")
                )
    else:
        known |= {"aspect_ratio", "raw", "image_prompt", "image_prompt_strength", "input_image"}
        aspect = body.get("aspect_ratio")
        low_high = ASPECT_RANGE[model.family]
        if aspect is not None:
            try:
                ok = low_high[1] - 1e-9 <= ratio(str(aspect)) <= low_high[0] + 1e-9
            except (ValueError, ZeroDivisionError):
                ok = False
            if not ok:
                errs.append(
                    _err(
                        ["aspect_ratio"], "Aspect ratio outside the supported range", "value_error"
                    )
                )
    for opt in model.own:
        known.add(opt)
        rng = RANGES.get((model.family, opt))
        v = body.get(opt)
        if v is not None and rng and not (isinstance(v, int | float) and rng[0] <= v <= rng[1]):
            errs.append(_err([opt], f"Input should be between {rng[0]} and {rng[1]}", "range"))
    if strict:
        for extra in sorted(set(body) - known):
            errs.append(_err([extra], "Extra inputs are not permitted", "extra_forbidden"))
    return errs


def _err(loc: list[str], msg: str, kind: str) -> dict:
    return {"loc": ["body", *loc], "msg": msg, "type": kind}
