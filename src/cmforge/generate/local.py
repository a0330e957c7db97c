"""The offline stand-in: animates the still image (or a prompt card) with camera motion."""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction

from PIL import Image

from .. import atomic
from ..compile import BT709, motion
from ..compile.emit import filter_text
from ..compile.graph import Filter
from ..compile.stills import canvas_size, fitted, load_rgb
from ..errors import GenerationError
from ..media.ffmpeg import ffmpeg_binary, run_ffmpeg
from ..media.probe import ProbeError, probe
from .base import GenerationJob, GenerationResult

FPS = Fraction(24)


class LocalProvider:
    name = "local"

    def estimate(self, job: GenerationJob) -> dict:
        return {
            "provider": self.name,
            "credits": 0,
            "money": 0.0,
            "what": f"{job.generate.length} s {job.generate.motion} over "
            f"{job.generate.image.name if job.generate.image else 'a prompt card'}",
        }

    def generate(
        self, job: GenerationJob, on_status: Callable[[str], None], take: int = 1
    ) -> GenerationResult:
        gen, size = job.generate, job.size
        frames = int(gen.length * FPS)
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = job.dest.with_name(f".{job.dest.stem}.partial-{atomic.tag()}.mp4")
        still = job.dest.with_name(f".{job.dest.stem}.still-{atomic.tag()}.png")
        try:
            src = load_rgb(gen.image) if gen.image else _prompt_card(gen.prompt, size)
            canvas = canvas_size(src.size, size, "cover")
            move = gen.motion if gen.motion != "none" else "zoom-in"
            if take > 1:  # other takes try other camera moves, as a real generator would vary
                moves = ["zoom-in", "pan-left", "zoom-out", "pan-right", "pan-up", "pan-down"]
                move = moves[(moves.index(move) + take - 1) % len(moves)]
            start, end = motion.windows(canvas, size, move)
            region = motion.union(start, end)
            fitted(src, size, "cover", region).save(still)
            chain = ",".join(
                filter_text(f)
                for f in [
                    Filter.of("loop", loop=frames - 1, size=1, start=0),
                    Filter.of(
                        "perspective",
                        interpolation="cubic",
                        eval="frame",
                        **motion.corners(region, start, end, size, frames),
                    ),
                    Filter.of("scale", out_color_matrix="bt709", out_range="tv"),
                    Filter.of("format", "yuv420p"),
                    Filter.of("trim", end_frame=frames),
                    Filter.of("setpts", f"N/{FPS}/TB"),
                ]
            )
            on_status(f"local: animating {gen.length} s ({move})")
            run_ffmpeg(
                [
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
                    str(tmp),
                ],
                total_frames=frames,
                fps=float(FPS),
            )
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


def _prompt_card(prompt: str, size: tuple[int, int]) -> Image.Image:
    """Text-to-video offline: a soft gradient with the prompt, so the timing can be judged."""
    from ..text import TextStyle, render_text

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
