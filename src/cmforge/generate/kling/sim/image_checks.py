"""The simulator's checks of an image generation create (image-apis.md sections 6 and 7.8):
400/1201 naming the field for ``n``, the aspect ratio per model, ``negative_prompt`` with
``image``, ``image_reference`` off kling-v1-5, resolution 2k before kling-v2."""

from __future__ import annotations

from ..image_request import IMAGE_ASPECTS, IMAGE_MODELS, MAX_N, RESOLUTIONS
from ..request import MAX_PROMPT
from .checks import CreateFacts, Refusal, _check_image, bad

IMAGE_FIELDS = {
    "model_name", "prompt", "negative_prompt", "image", "image_reference", "image_fidelity",
    "human_fidelity", "resolution", "n", "aspect_ratio", "callback_url", "external_task_id",
    "watermark_info",
}  # fmt: skip


def check_image_create(
    body: object, *, strict: bool = False, unknown_model_code: int = 1203
) -> Refusal | CreateFacts:
    """Section 6's rules; the first broken one is reported, naming the field."""
    if not isinstance(body, dict):
        return bad("request body must be a JSON object", 1200)
    if strict and set(body) - IMAGE_FIELDS:
        return bad(f"unknown field {sorted(set(body) - IMAGE_FIELDS)[0]}")
    model = body.get("model_name") or "kling-v1"
    if model not in IMAGE_MODELS:
        http = 404 if unknown_model_code == 1203 else 400
        return bad(f"model_name {model} is not available for images", unknown_model_code, http)
    for key in ("prompt", "negative_prompt"):
        value = body.get(key, "")
        if not isinstance(value, str):
            return bad(f"{key} must be a string")
        if len(value) > MAX_PROMPT:
            return bad(f"{key} is longer than {MAX_PROMPT} characters")
    if not str(body.get("prompt", "")).strip():
        return bad("prompt is required")
    image = body.get("image")
    if image:
        checked = _check_image("image", image)
        if isinstance(checked, Refusal):
            return checked
        if body.get("negative_prompt"):
            return bad("negative_prompt is not supported together with image")
    elif model == "kling-v2-new":
        return bad("kling-v2-new restyles an image: image is required")
    if body.get("image_reference") is not None:
        if model != "kling-v1-5":
            return bad("image_reference is only supported by kling-v1-5")
        if body["image_reference"] not in ("subject", "face"):
            return bad("image_reference must be subject or face")
    for key in ("image_fidelity", "human_fidelity"):
        value = body.get(key, 0.5)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            return bad(f"{key} must be a number in [0, 1]")
    n = body.get("n", 1)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_N:
        return bad(f"n must be an integer from 1 to {MAX_N}, got {n!r}")
    aspect = body.get("aspect_ratio", "16:9")
    if aspect not in IMAGE_ASPECTS or (aspect == "21:9" and model == "kling-v1"):
        return bad(f"aspect_ratio {aspect!r} is not supported by {model}")
    resolution = body.get("resolution", "1k")
    if resolution not in RESOLUTIONS:
        return bad("resolution must be 1k or 2k")
    if resolution == "2k" and model in ("kling-v1", "kling-v1-5"):
        return bad(f"resolution 2k is not supported by {model}")
    ext = body.get("external_task_id", "")
    if not isinstance(ext, str):
        return bad("external_task_id must be a string")
    prompt = str(body.get("prompt", ""))
    return CreateFacts(model, "", 0, aspect, prompt, ext, n, resolution, bool(image))
