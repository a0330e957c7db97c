"""The `local` still maker: the offline stand-in for an image API. It draws an obviously
labelled placeholder (the prompt on a neutral background, marked "stand-in") at the size asked
for, so a recipe with stills renders with no account and no credits."""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image, ImageDraw

from ... import atomic
from ...recipe.spec import F
from ..base import GenerationJob, GenerationResult, Provider, Say

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
LABEL = "STAND-IN"
BAND = (214, 40, 40)  # the red of the bands that say it is not the real still


class LocalStill(Provider):
    name = "local"
    makes = "still"
    suffix = ".png"
    fallback = True
    options: ClassVar[dict[str, F]] = {
        "model": F("str", "the image model (the provider's own names)"),
        "seed": F("int", "the seed, for a repeatable still", minimum=0),
    }

    @classmethod
    def available(cls, env: Mapping[str, str]) -> tuple[bool, str]:
        return True, "offline stand-in still (a labelled placeholder), no credits spent"

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        shown = " · ".join(f"{k} {settings[k]}" for k in ("model", "seed") if settings.get(k))
        return [str(settings.get("aspect_ratio") or ""), shown]

    @classmethod
    def take_label(cls, take: dict) -> tuple[str, str]:
        return f"{cls.name} · stand-in", "free (offline)"

    def at_once(self) -> int:
        return 4

    def estimate(self, job: GenerationJob) -> dict:
        w, h = job.size
        return {
            "provider": self.name,
            "credits": 0,
            "unit": "none",
            "money": 0.0,
            "currency": "USD",
            "what": f"a stand-in still {w}x{h} ({job.generate.aspect_ratio}) showing the prompt",
        }

    def generate(self, job: GenerationJob, on_status: Say, take: int = 1) -> GenerationResult:
        settings = self.settings(job.generate.options)
        on_status(f"local: drawing a stand-in still {job.size[0]}x{job.size[1]}")
        picture = placeholder(job.generate.prompt, job.size, settings, take)
        save_atomic(picture, job.dest)
        return GenerationResult(
            job.dest,
            self.name,
            job.request(),
            task_id=job.fingerprint[:16],
            details={
                "size": list(job.size),
                "take": take,
                "stand_in": True,
                "did": "a labelled placeholder with the prompt, offline (no credits)",
            },
        )


def placeholder(
    prompt: str, size: tuple[int, int], settings: Mapping[str, Any], take: int = 1
) -> Image.Image:
    """The prompt on a neutral grey (tinted a little by seed and take, so takes differ), a red
    band top and bottom saying STAND-IN, and the model asked for."""
    from ...text import TextStyle, render_text

    w, h = size
    rng = random.Random(f"{settings.get('seed')}/{take}/{prompt}")
    base = 96 + rng.randrange(24)
    tint = [base + rng.randrange(-8, 9) for _ in range(3)]
    ramp = Image.linear_gradient("L").resize((w, h)).point(lambda v: v // 6)
    im = Image.merge("RGB", [ramp.point(lambda v, t=t: t + v) for t in tint]).convert("RGBA")
    draw = ImageDraw.Draw(im)
    band = max(8, h // 12)
    for top in (0, h - band):
        draw.rectangle((0, top, w, top + band), fill=(*BAND, 255))
        mark = render_text(
            f"{LABEL} · {LABEL}",
            TextStyle(weight="bold", color=(255, 255, 255, 255), max_size=band * 0.6),
            (int(w * 0.9), int(band * 0.8)),
        )
        im.alpha_composite(mark, ((w - mark.width) // 2, top + (band - mark.height) // 2))
    text = render_text(
        prompt or "(no prompt)",
        TextStyle(weight="regular", color=(255, 255, 255, 255), max_size=h / 26),
        (int(w * 0.82), int(h * 0.6)),
    )
    im.alpha_composite(text, ((w - text.width) // 2, (h - text.height) // 2))
    model = settings.get("model")
    note = "placeholder still, made offline" + (f" · asked: {model}" if model else "")
    small = render_text(
        note,
        TextStyle(weight="regular", color=(235, 235, 235, 255), max_size=max(6.0, h / 60)),
        (int(w * 0.9), band),
    )
    im.alpha_composite(small, ((w - small.width) // 2, h - 2 * band))
    return im.convert("RGB")


def save_atomic(picture: Image.Image, dest: Path) -> None:
    """Written whole or not at all, in the format the file name's ending asks for."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary(dest)
    try:
        picture.save(tmp, format=FORMATS.get(dest.suffix.lower(), "PNG"))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
