"""A still's [[stills]] entry turned into the JSON body of Kling image generation
(image-apis.md section 6: ``POST /v1/images/generations``), checked before anything is sent.

Choices where the reference is silent or where cmforge departs from it:

- One image per task (``n = 1``): each take is its own task with its own external_task_id, so
  takes are journalled, locked and resumed one by one, as clips are; the price is per image
  either way.
- No reference image is sent (cmforge's stills are made from a prompt), so ``negative_prompt``
  is always allowed and ``image_reference`` / fidelities are not used.
- Kling image generation takes no seed: a recipe's ``seed`` is not sent, and a note says so.
- The default model is the API's own default, ``kling-v1`` (1 image unit an image).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...recipe.model import Generate
from .errors import KlingRequestError
from .request import MAX_PROMPT, VideoRequest
from .task import IMAGES

IMAGE_MODELS = ("kling-v1", "kling-v1-5", "kling-v2", "kling-v2-new", "kling-v2-1")
RESTYLE_ONLY = ("kling-v2-new",)  # needs a reference image: not for a still from a prompt
IMAGE_ASPECTS = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")
RESOLUTIONS = ("1k", "2k")
DEFAULT_MODEL = "kling-v1"
MAX_N = 9


def image_body(gen: Generate, settings: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """The create body without external_task_id (what the still's fingerprint is made of),
    and notes on what was left out."""
    body: dict = {
        "model_name": settings.get("model") or DEFAULT_MODEL,
        "prompt": gen.prompt,
        "aspect_ratio": gen.aspect_ratio or "9:16",
        "resolution": settings.get("resolution") or "1k",
        "n": 1,
    }
    if gen.negative_prompt:
        body["negative_prompt"] = gen.negative_prompt
    notes = []
    if gen.options.get("seed") is not None:
        notes.append("Kling image generation takes no seed; the recipe's seed is not sent")
    return body, notes


def check_still(gen: Generate, settings: Mapping[str, Any]) -> list[str]:
    """Every rule of section 6 a still can break, in the recipe's words."""
    body, _ = image_body(gen, settings)
    model, aspect = body["model_name"], body["aspect_ratio"]
    problems = []
    if not gen.prompt.strip():
        problems.append("a Kling still needs a prompt")
    for key in ("prompt", "negative_prompt"):
        if len(getattr(gen, key)) > MAX_PROMPT:
            problems.append(f"{key} has {len(getattr(gen, key))} characters; at most {MAX_PROMPT}")
    if model not in IMAGE_MODELS or model in RESTYLE_ONLY:
        usable = ", ".join(m for m in IMAGE_MODELS if m not in RESTYLE_ONLY)
        problems.append(f"model {model!r} does not make images from a prompt (one of {usable})")
    if aspect not in IMAGE_ASPECTS or (aspect == "21:9" and model == "kling-v1"):
        problems.append(f"aspect {aspect} is not offered by {model}")
    if body["resolution"] not in RESOLUTIONS:
        problems.append(f"resolution must be 1k or 2k, got {body['resolution']!r}")
    elif body["resolution"] == "2k" and model in ("kling-v1", "kling-v1-5"):
        problems.append(f"resolution 2k needs kling-v2 or later, not {model}")
    return problems


def build_image_request(
    gen: Generate, settings: Mapping[str, Any], external_id: str
) -> VideoRequest:
    """The create body for a still; raises KlingRequestError when impossible (nothing sent)."""
    problems = check_still(gen, settings)
    if problems:
        raise KlingRequestError("; ".join(problems) + " (nothing was sent)")
    body, notes = image_body(gen, settings)
    return VideoRequest(IMAGES, {**body, "external_task_id": external_id}, tuple(notes))
