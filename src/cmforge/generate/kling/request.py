"""A scene's [generate] table turned into the JSON body of section 4.1 / 4.2.

Everything that can be checked locally is checked here, before anything is sent or spent.
Choices where the reference is silent are noted on the functions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...recipe.model import Generate
from .body import request_body
from .errors import KlingRequestError
from .images import PreparedImage, prepare_image
from .plugin import Kling, KlingSettings
from .task import IMAGE2VIDEO

TEXT2VIDEO_MODELS = (
    "kling-v1",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
)
IMAGE2VIDEO_MODELS = (
    "kling-v1",
    "kling-v1-5",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
)
MODES = ("std", "pro")
LENGTHS = (5, 10)
ASPECT_RATIOS = ("16:9", "9:16", "1:1")
MAX_PROMPT = 2500
CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
CAMERA_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")
EXTERNAL_ID = re.compile(r"^cmf-[0-9a-f]{32}-t\d{1,3}(-a\d{1,3})?$")


@dataclass(frozen=True)
class VideoRequest:
    family: str  # text2video | image2video
    body: dict  # the JSON body sent on create, external_task_id included
    notes: tuple[str, ...] = ()  # what was adjusted (image re-encoded, field left out)

    @property
    def external_task_id(self) -> str:
        return str(self.body.get("external_task_id", ""))

    def redacted(self) -> dict:
        """The body with image bytes replaced by their size and hash (for journal, manifest)."""
        out = dict(self.body)
        for key in ("image", "image_tail"):
            if isinstance(out.get(key), str) and len(out[key]) > 256:
                digest = hashlib.sha256(out[key].encode("ascii")).hexdigest()[:16]
                out[key] = f"<base64, {len(out[key])} chars, sha256 {digest}>"
        return out


def external_task_id(fingerprint: str, take: int = 1, attempt: int = 1) -> str:
    """``cmf-<32 hex of the fingerprint>-t<take>[-a<attempt>]``: at most 47 ASCII characters.

    Kling documents no length or charset limit for external_task_id [?]; lower-case hex,
    digits and dashes under 64 characters is the conservative choice. ``attempt`` only grows
    after a failed (free) task or an explicitly allowed regeneration of an expired clip.
    """
    if take < 1 or attempt < 1:
        raise ValueError("take and attempt count from 1")
    tail = f"-a{attempt}" if attempt > 1 else ""
    return f"cmf-{fingerprint[:32].lower()}-t{take}{tail}"


def build_request(
    gen: Generate,
    aspect_ratio: str,
    external_id: str,
    prepare: Callable[[Path, str], PreparedImage] = prepare_image,
) -> VideoRequest:
    """The create body for ``gen``; raises KlingRequestError / KlingImageError when impossible."""
    problems = check_generate(gen)
    if problems:
        raise KlingRequestError("; ".join(problems) + " (nothing was sent)")
    family, body, notes = request_body(gen, aspect_ratio, Kling.settings(gen.options))
    if family == IMAGE2VIDEO:
        for role in ("image", "image_tail"):
            path = getattr(gen, role)
            if path is not None:
                prepared = prepare(Path(path), role)
                body[role] = prepared.base64
                notes.extend(prepared.notes)
    body["external_task_id"] = external_id
    return VideoRequest(family, body, tuple(notes))


def check_generate(gen: Generate) -> list[str]:
    """Every rule of section 4 a [generate] table can break, in the recipe's words."""
    problems = []
    s = KlingSettings.of(gen)
    if not (gen.image or gen.image_tail) and not gen.prompt.strip():
        problems.append("text-to-video needs a prompt (or give an image)")
    if gen.image_tail and not gen.image:
        problems.append("an end frame (image_tail) needs a first frame (image) too")
    for key in ("prompt", "negative_prompt"):
        if len(getattr(gen, key)) > MAX_PROMPT:
            problems.append(f"{key} has {len(getattr(gen, key))} characters; at most {MAX_PROMPT}")
    if not 0 <= s.cfg_scale <= 1:
        problems.append(f"cfg_scale must be between 0 and 1, got {s.cfg_scale}")
    if s.mode not in MODES:
        problems.append(f"mode must be std or pro, got {s.mode!r}")
    if gen.length not in LENGTHS:
        problems.append(f"length must be 5 or 10 seconds, got {gen.length}")
    if gen.aspect_ratio and gen.aspect_ratio not in ASPECT_RATIOS:
        problems.append(f"aspect_ratio must be one of {', '.join(ASPECT_RATIOS)}")
    if s.camera_control:
        problems.extend(check_camera(s.camera_control))
        if gen.image_tail:
            problems.append("camera_control cannot be combined with an end frame (image_tail)")
    return problems


def check_camera(cc: dict) -> list[str]:
    kind = cc.get("type")
    if kind not in CAMERA_TYPES:
        return [f"camera_control.type must be one of {', '.join(CAMERA_TYPES)}, got {kind!r}"]
    config = cc.get("config")
    if kind != "simple":
        return [f"camera_control type {kind} takes no config"] if config else []
    if not isinstance(config, dict):
        return ["camera_control type simple needs a config table"]
    problems = [
        f"camera_control.config has unknown key {k!r}" for k in config if k not in CAMERA_AXES
    ]
    values = [config.get(k, 0) for k in CAMERA_AXES]
    if any(not isinstance(v, int | float) or not -10 <= v <= 10 for v in values):
        problems.append("camera_control.config values must be numbers in [-10, 10]")
    elif sum(1 for v in values if v) != 1:
        problems.append("camera_control.config needs exactly one non-zero value")
    return problems
