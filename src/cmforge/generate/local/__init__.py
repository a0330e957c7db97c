"""The `local` provider: the offline stand-in. It animates the still image (or a card with the
prompt) with a camera move, so a recipe renders with no account and no credits."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image

from ... import atomic
from ...errors import GenerationError
from ...media.ffmpeg import ffmpeg_binary, run_ffmpeg
from ...media.probe import ProbeError, probe
from ...recipe.spec import MOTIONS, F
from ..base import GenerationJob, GenerationResult, Provider, Say
from . import motion

FPS = 24
AT_ONCE = 4  # clips made at the same time (each runs FFmpeg)
BT709 = ["-color_range", "tv", "-colorspace", "bt709"]
BT709 += ["-color_primaries", "bt709", "-color_trc", "bt709"]


class LocalProvider(Provider):
    name = "local"
    fallback = True
    in_every_fingerprint = True
    options: ClassVar[dict[str, F]] = {
        "motion": F("str", "local provider camera motion", choices=MOTIONS),
    }
    defaults: ClassVar[dict[str, Any]] = {"motion": "zoom-in"}
    _gate = threading.BoundedSemaphore(AT_ONCE)  # one for the whole process

    @classmethod
    def available(cls, env: Mapping[str, str]) -> tuple[bool, str]:
        return True, "offline stand-in, no credits spent"

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        return [f"{settings.get('motion')} · {settings.get('length')} s"]

    @classmethod
    def take_label(cls, take: dict) -> tuple[str, str]:
        move = (take.get("details") or {}).get("motion")
        return cls.name + (f" · {move}" if move else ""), "free (offline)"

    def at_once(self) -> int:
        return AT_ONCE

    def turn(self) -> threading.BoundedSemaphore:
        return self._gate

    def estimate(self, job: GenerationJob) -> dict:
        gen = job.generate
        return {
            "provider": self.name,
            "credits": 0,
            "money": 0.0,
            "what": f"{gen.length} s {self.settings(gen.options)['motion']} over "
            f"{gen.image.name if gen.image else 'a prompt card'}",
        }

    def generate(self, job: GenerationJob, on_status: Say, take: int = 1) -> GenerationResult:
        gen, size = job.generate, job.size
        frames = gen.length * FPS
        move = _move(self.settings(gen.options)["motion"], take)
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = job.dest.with_name(f".{job.dest.stem}.partial-{atomic.tag()}.mp4")
        still = job.dest.with_name(f".{job.dest.stem}.still-{atomic.tag()}.png")
        try:
            src = motion.load(gen.image) if gen.image else _prompt_card(gen.prompt, size)
            start, end = motion.windows(move)
            region = motion.union(start, end)
            motion.picture(src, size, region).save(still)
            on_status(f"local: animating {gen.length} s ({move})")
            chain = motion.chain(region, start, end, size, frames, FPS)
            run_ffmpeg(_argv(still, chain, tmp), total_frames=frames, fps=float(FPS))
            try:
                info = probe(tmp)
            except ProbeError as exc:
                raise GenerationError(
                    f"{job.scene_key}: the generated clip is unreadable: {exc}"
                ) from None
            os.replace(tmp, job.dest)
        finally:
            for p in (tmp, still):
                p.unlink(missing_ok=True)
        return GenerationResult(
            job.dest,
            self.name,
            job.request(),
            task_id=job.fingerprint[:16],
            details={
                "duration": info.duration,
                "size": list(size),
                "take": take,
                "motion": move,
                "did": f"{move} over {gen.image.name if gen.image else 'a prompt card'}, "
                "offline (no credits)",
            },
        )


def _move(asked: str, take: int) -> str:
    """The camera move of a take: the one asked for, and other takes try the next ones, as a
    real generator would vary."""
    move = asked if asked in motion.MOVES else "zoom-in"
    return motion.MOVES[(motion.MOVES.index(move) + take - 1) % len(motion.MOVES)]


def _argv(still: Path, chain: str, dest: Path) -> list[str]:
    return [
        ffmpeg_binary(),
        "-y",
        "-i",
        str(still),
        "-filter_complex",
        chain,
        "-r",
        str(FPS),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "18",
        "-pix_fmt",
        "yuv420p",
        *BT709,
        "-an",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(dest),
    ]


def _prompt_card(prompt: str, size: tuple[int, int]) -> Image.Image:
    """Text-to-video offline: a soft gradient with the prompt, so the timing can be judged."""
    from ...text import TextStyle, render_text

    w, h = size
    grad = Image.linear_gradient("L").resize((w, h))
    im = Image.merge(
        "RGB",
        (
            grad.point(lambda v: 40 + v // 3),
            grad.point(lambda v: 60 + v // 4),
            grad.point(lambda v: 110 + v // 3),
        ),
    ).convert("RGBA")
    block = render_text(
        prompt or "(text to video)",
        TextStyle(weight="regular", max_size=h / 24),
        (int(w * 0.8), int(h * 0.5)),
    )
    im.alpha_composite(block, ((w - block.width) // 2, (h - block.height) // 2))
    return im.convert("RGB")
