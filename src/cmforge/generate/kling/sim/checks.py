"""The simulator's gatekeeping: JWT checks (section 10.1) and create validation (10.3).

Each check returns None when all is well, or a ``Refusal`` (HTTP status, business code,
message naming the field) that the server sends back in the usual envelope.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass

import jwt

from ..request import (
    ASPECT_RATIOS,
    IMAGE2VIDEO_MODELS,
    MAX_PROMPT,
    MODES,
    TEXT2VIDEO_MODELS,
    check_camera,
)
from ..task import TEXT2VIDEO

MAX_IMAGE_BYTES = 10 * 1024 * 1024
KNOWN_FIELDS = {
    "model_name", "model", "prompt", "negative_prompt", "cfg_scale", "mode", "camera_control",
    "aspect_ratio", "duration", "callback_url", "external_task_id", "sound", "watermark_info",
    "image", "image_tail", "static_mask", "dynamic_masks", "voice_list",
}  # fmt: skip
BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


@dataclass(frozen=True)
class Refusal:
    http: int
    code: int
    message: str


def bad(message: str, code: int = 1201, http: int = 400) -> Refusal:
    return Refusal(http, code, message)


def check_token(header: str | None, keys: dict[str, str], now: float) -> Refusal | None:
    """Section 2 from the server's side: 1001 missing, 1002 malformed, 1003 nbf, 1004 exp."""
    if not header:
        return bad("Authorization header is missing", 1001, 401)
    if not header.startswith("Bearer ") or header.startswith("Bearer  "):
        return bad("Authorization must be 'Bearer <token>'", 1002, 401)
    token = header[len("Bearer ") :]
    try:
        head = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return bad("token is not a valid JWT", 1002, 401)
    if head.get("alg") != "HS256":
        return bad("token must be signed with HS256", 1002, 401)
    secret = keys.get(str(claims.get("iss", "")))
    if secret is None:
        return bad("unknown access key (iss)", 1002, 401)
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"verify_exp": False, "verify_nbf": False, "require": ["iss", "exp", "nbf"]},
        )
    except jwt.PyJWTError:
        return bad("token signature or claims are invalid", 1002, 401)
    if not isinstance(claims["exp"], int | float) or not isinstance(claims["nbf"], int | float):
        return bad("exp and nbf must be Unix seconds", 1002, 401)
    if claims["nbf"] > now:
        return bad("token is not valid yet (nbf)", 1003, 401)
    if claims["exp"] <= now:
        return bad("token expired", 1004, 401)
    return None


@dataclass(frozen=True)
class CreateFacts:
    """What the lifecycle needs from a valid create body."""

    model: str
    mode: str
    length: int
    aspect: str
    prompt: str
    external_task_id: str
    n: int = 1  # image generation: images in the task
    resolution: str = "1k"
    with_image: bool = False  # image generation from a reference image


def check_create(
    family: str, body: object, *, strict: bool = False, unknown_model_code: int = 1203
) -> Refusal | CreateFacts:
    """Section 4.1 / 4.2 rules; the first broken one is reported, naming the field."""
    if not isinstance(body, dict):
        return bad("request body must be a JSON object", 1200)
    if strict:
        unknown = sorted(set(body) - KNOWN_FIELDS)
        if unknown:
            return bad(f"unknown field {unknown[0]}")
    model = body.get("model_name") or "kling-v1"
    models = TEXT2VIDEO_MODELS if family == TEXT2VIDEO else IMAGE2VIDEO_MODELS
    if model not in models:
        return bad(
            f"model_name {model} is not available for {family}",
            unknown_model_code,
            404 if unknown_model_code == 1203 else 400,
        )
    mode = body.get("mode", "std")
    if mode not in MODES:
        return bad(f"mode must be std or pro, got {mode!r}")
    duration = body.get("duration", "5")
    if duration not in ("5", "10") and (strict or duration not in (5, 10)):
        return bad(f'duration must be "5" or "10", got {duration!r}')
    cfg = body.get("cfg_scale", 0.5)
    if not isinstance(cfg, int | float) or isinstance(cfg, bool) or not 0 <= cfg <= 1:
        return bad("cfg_scale must be a number in [0, 1]")
    for key in ("prompt", "negative_prompt"):
        value = body.get(key, "")
        if not isinstance(value, str):
            return bad(f"{key} must be a string")
        if len(value) > MAX_PROMPT:
            return bad(f"{key} is longer than {MAX_PROMPT} characters")
    ext = body.get("external_task_id", "")
    if not isinstance(ext, str):
        return bad("external_task_id must be a string")
    if body.get("camera_control") is not None:
        cc = body["camera_control"]
        problems = (
            check_camera(cc) if isinstance(cc, dict) else ["camera_control must be an object"]
        )
        if problems:
            return bad(problems[0])
    if family == TEXT2VIDEO:
        if not str(body.get("prompt", "")).strip():
            return bad("prompt is required")
        aspect = body.get("aspect_ratio", "16:9")
        if aspect not in ASPECT_RATIOS:
            return bad(f"aspect_ratio must be one of {', '.join(ASPECT_RATIOS)}")
    else:
        result = _check_images(body)
        if isinstance(result, Refusal):
            return result
        aspect = result
    return CreateFacts(model, mode, int(duration), aspect, str(body.get("prompt", "")), ext)


def _check_images(body: dict) -> Refusal | str:
    """Image rules of section 4.2; returns the output aspect (it follows the image)."""
    image, tail = body.get("image"), body.get("image_tail")
    if not image and not tail:
        return bad("image and image_tail cannot both be empty")
    masks = body.get("static_mask") or body.get("dynamic_masks")
    groups = [bool(tail), bool(masks), body.get("camera_control") is not None]
    if sum(groups) > 1:
        return bad("image_tail, masks and camera_control are mutually exclusive")
    aspect = "16:9"
    for role in ("image", "image_tail"):
        value = body.get(role)
        if not value:
            continue
        facts = _check_image(role, value)
        if isinstance(facts, Refusal):
            return facts
        if facts and role == "image":
            w, h = facts
            aspect = "9:16" if h > w * 1.2 else ("16:9" if w > h * 1.2 else "1:1")
    return aspect


def _check_image(role: str, value: object) -> Refusal | tuple[int, int] | None:
    if not isinstance(value, str):
        return bad(f"{role} must be a string (URL or base64)")
    if value.startswith(("http://", "https://")):
        return None  # not fetched: the simulator only talks to loopback
    if value.startswith("data:"):
        return bad(f"{role} must be bare base64, without a data: prefix")
    if not BASE64.match(value):
        return bad(f"{role} is neither a URL nor base64")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return bad(f"{role} is not valid base64")
    if len(raw) > MAX_IMAGE_BYTES:
        return bad(f"{role} is larger than 10 MB")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(raw)) as im:
            fmt, (w, h) = im.format, im.size
    except Exception:
        return bad(f"{role} is not a readable image")
    if fmt not in ("JPEG", "PNG"):
        return bad(f"{role} must be jpg or png, got {fmt}")
    if min(w, h) < 300:
        return bad(f"{role} must be at least 300 px wide and high, got {w}x{h}")
    if role == "image" and not (1 / 2.5 <= w / h <= 2.5):
        return bad(f"{role} aspect ratio must be within 1:2.5 and 2.5:1, got {w}x{h}")
    return (w, h)
