"""The ``kling`` still maker: a [[stills]] entry made by Kling image generation
(image-apis.md section 6), with the same guarantees as a Kling clip: the request journalled
before it is sent, a file lock per take, a lost create answer looked up (both lookup forms
and the task list) before anything is sent again, kill -9 at any point then a rerun pays at
most once, expired result URLs reported and never paid again silently.

`KlingStill` is the description the registry holds (its keys, defaults, fingerprint);
`KlingStillProvider` is the clip provider's machinery (provider.py) with the parts that
differ for an image: the request, the price (Kling image units, a separate image resource
pack), the download (an image, verified and saved in the format its path asks for) and the
account's own gate (an image pack allows 9 images at once, apart from the video tasks).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ...errors import GenerationError
from ...recipe.model import Generate
from ...recipe.spec import F
from ..base import GenerationJob
from ..prices import KLING_IMAGE_UNITS, Cost, kling_image_cost, usd
from .errors import KlingDownloadError
from .image_request import DEFAULT_MODEL, RESOLUTIONS, build_image_request, check_still, image_body
from .journal import Journal
from .plugin import Kling, has_credentials
from .prices import Price
from .provider import KlingProvider, Say
from .request import VideoRequest
from .task import IMAGES, PATHS, Task

IMAGE_AT_ONCE = 9  # images at once per image pack [doc] (K3)
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}


class KlingStill(Kling):
    """The description of the still maker: its keys, defaults and fingerprint."""

    makes = "still"
    suffix = ".png"
    # below the stand-in: the Kling keys are set for clips, so a still is made (and paid) by
    # Kling only when the recipe names it (provider = "kling")
    priority = -1
    in_every_fingerprint = False
    options: ClassVar[dict[str, F]] = {
        "model": F("str", "the image model (the provider's own names)"),
        "resolution": F("str", "Kling image resolution: 1k | 2k", choices=RESOLUTIONS),
    }
    defaults: ClassVar[dict[str, Any]] = {"model": DEFAULT_MODEL, "resolution": "1k"}

    @classmethod
    def fingerprint_request(cls, gen: Generate, aspect: str) -> dict[str, Any]:
        """Exactly what is sent: the endpoint and the body (no external_task_id)."""
        body, _notes = image_body(gen, cls.settings(gen.options))
        return {"provider": cls.name, "endpoint": f"POST {PATHS[IMAGES]}", **body}

    @classmethod
    def earlier_fingerprint_requests(cls, gen: Generate, aspect: str) -> list[dict[str, Any]]:
        return []

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        return [
            str(settings.get("aspect_ratio") or ""),
            f"{settings.get('model')} · {settings.get('resolution')}",
        ]

    @classmethod
    def take_label(cls, take: dict) -> tuple[str, str]:
        who = f"{cls.name} image" + (f" · task {take['task_id']}" if take.get("task_id") else "")
        cost = take.get("cost")
        return who, "cost unknown" if cost is None else f"{cost:g} {KLING_IMAGE_UNITS}"


class KlingStillProvider(KlingStill, KlingProvider):
    """Opened for a recipe: the Kling client, the recipe's journal, the image gate."""

    noun = "still"

    @classmethod
    def open(cls, recipe_folder: Path, env: Mapping[str, str]) -> KlingStillProvider:
        from .client import KlingClient
        from .gate import gate_for
        from .retry import PollPolicy

        if not has_credentials(env):
            raise GenerationError(f"kling cannot run here: {cls.available(env)[1]}")
        client = KlingClient.from_env(env)
        scale = env.get("CMFORGE_KLING_POLL_SCALE")
        poll = PollPolicy().scaled(float(scale)) if scale else None
        gate = gate_for(client.base_url + PATHS[IMAGES], client.minter.access_key, IMAGE_AT_ONCE)
        return cls(client, Journal.for_recipe(recipe_folder), poll=poll, gate=gate)

    def at_once(self) -> int:
        return IMAGE_AT_ONCE

    def price(self, job: GenerationJob) -> Price:
        cost = kling_image_cost(self._body(job)["model_name"], 1)
        return Price(cost.amount, cost.usd, cost.known, cost.source, cost)

    def estimate(self, job: GenerationJob, takes: int = 1) -> dict:
        """Image units and dollars for ``takes`` stills; no network."""
        s = self.settings(job.generate.options)
        body = self._body(job)
        price = self.price(job)
        cost = price.cost or Cost(price.units, KLING_IMAGE_UNITS, price.money)
        return {
            "provider": self.name,
            **cost.times(takes).fields(),
            "units_per_take": price.units,
            "takes": takes,
            "what": f"Kling image {body['model_name']} {body['resolution']} "
            f"{body['aspect_ratio']} from the prompt",
            "problems": check_still(job.generate, s),
        }

    # ----- what differs from a clip ------------------------------------------------------

    def _body(self, job: GenerationJob) -> dict:
        return image_body(job.generate, self.settings(job.generate.options))[0]

    def _request(self, job: GenerationJob, ext: str) -> VideoRequest:
        return build_image_request(job.generate, self.settings(job.generate.options), ext)

    def _family_of(self, job: GenerationJob) -> str:
        return IMAGES

    def _have(self, job: GenerationJob) -> bool:
        try:
            return _verified(job.dest.read_bytes()) is not None
        except (OSError, KlingDownloadError):
            return False

    def _fetch(self, job: GenerationJob, task: Task, say: Say) -> dict:
        image = task.videos[0]
        dest = job.dest
        tmp = dest.with_name(f".{dest.stem}.kling-{os.getpid()}-{threading.get_ident()}.part")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            size = self.client.fetch_result(image.url, tmp, say)
            picture = _verified(tmp.read_bytes())
            fmt = FORMATS.get(dest.suffix.lower(), "PNG")
            out = dest.with_name(tmp.name + ".out")
            (picture.convert("RGB") if fmt == "JPEG" else picture).save(out, format=fmt)
            os.replace(out, dest)
            say(f"kling: downloaded {size / 1e3:.0f} kB, {picture.width}x{picture.height}")
        except OSError as exc:
            raise KlingDownloadError(f"cannot save the still to {dest}: {exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
            dest.with_name(tmp.name + ".out").unlink(missing_ok=True)
        return {"image_index": image.id, "size": [picture.width, picture.height]}

    def _money(self, units: float) -> float:
        return usd(units, KLING_IMAGE_UNITS)


def _verified(data: bytes):  # noqa: ANN202 (a PIL image)
    """The image in ``data``, decoded whole; KlingDownloadError when it is not one."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            picture = im.copy()
    except Exception:  # Pillow raises many types for damaged files
        raise KlingDownloadError("the downloaded still is not a whole image") from None
    if min(picture.size) < 64:
        raise KlingDownloadError(f"the downloaded still is only {picture.width}x{picture.height}")
    return picture


__all__ = ["KlingStill", "KlingStillProvider"]
