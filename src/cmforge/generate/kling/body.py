"""The create body of a clip (sections 4.1 / 4.2) without its images and external_task_id:
what Kling is sent, and so what the clip's fingerprint is made of (with the images' bytes).
Two requests share a clip exactly when Kling would be sent the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...recipe.model import Generate
from .task import IMAGE2VIDEO, TEXT2VIDEO


def request_body(
    gen: Generate, aspect_ratio: str, settings: Mapping[str, Any]
) -> tuple[str, dict, list[str]]:
    """(family, body, notes on what was left out); `settings` are Kling's own keys of the
    [generate] table, defaults applied."""
    notes: list[str] = []
    model, cfg_scale = settings["model"], settings["cfg_scale"]
    family = IMAGE2VIDEO if (gen.image or gen.image_tail) else TEXT2VIDEO
    body: dict = {"model_name": model, "mode": settings["mode"], "duration": str(gen.length)}
    if gen.prompt:
        body["prompt"] = gen.prompt
    if gen.negative_prompt:
        body["negative_prompt"] = gen.negative_prompt
    if model.startswith("kling-v2"):
        # cfg_scale is "not supported by kling-v2.x models" [doc]; whether the server rejects
        # or ignores it is unknown, so it is left out rather than risk a refusal.
        if cfg_scale != 0.5:
            notes.append(f"cfg_scale {cfg_scale} is not used by {model}; not sent")
    else:
        body["cfg_scale"] = cfg_scale
    if settings.get("camera_control"):
        body["camera_control"] = settings["camera_control"]
    if family == TEXT2VIDEO:
        body["aspect_ratio"] = aspect_ratio
    elif gen.aspect_ratio:
        notes.append("image-to-video follows the image's shape; aspect_ratio not sent")
    return family, body, notes
