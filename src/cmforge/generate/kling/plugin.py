"""What the `kling` provider says without opening anything: its recipe keys and defaults,
whether it can run (the keys in the environment), its part of a clip's fingerprint, what its
journal says about earlier clips, and how its takes are labelled. `KlingProvider`
(provider.py) adds the client, the journal and the prices, and is what is registered."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ...recipe.model import Generate
from ...recipe.spec import F
from ..base import ASPECTS, GenerationJob, Provider, request_of
from .body import request_body
from .journal import Journal

ACCESS_KEY = "KLING_ACCESS_KEY"
SECRET_KEY = "KLING_SECRET_KEY"


def has_credentials(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get(ACCESS_KEY) and env.get(SECRET_KEY))


@dataclass(frozen=True)
class KlingSettings:
    """Kling's own keys of a [generate] table, defaults applied."""

    cfg_scale: float
    mode: str
    model: str
    camera_control: dict | None

    @staticmethod
    def of(gen: Generate) -> KlingSettings:
        return KlingSettings(**Kling.settings(gen.options))


class Kling(Provider):
    """The kling provider's description; the base of KlingProvider."""

    name = "kling"
    priority = 10  # chosen by default whenever the keys are set
    in_every_fingerprint = True
    options: ClassVar[dict[str, F]] = {
        "cfg_scale": F("number", "Creativity (0) <-> Relevance (1)", minimum=0),
        "mode": F("str", "std | pro", choices=("std", "pro")),
        "model": F("str", "model name"),
        "camera_control": F("dict", "Kling camera control"),
    }
    defaults: ClassVar[dict[str, Any]] = {
        "cfg_scale": 0.5,
        "mode": "std",
        "model": "kling-v1-6",
        "camera_control": None,
    }

    @classmethod
    def available(cls, env: Mapping[str, str]) -> tuple[bool, str]:
        if has_credentials(env):
            return True, f"{ACCESS_KEY} and {SECRET_KEY} are set"
        return False, f"no {ACCESS_KEY}/{SECRET_KEY} set"

    @classmethod
    def fingerprint_request(cls, gen: Generate, aspect: str) -> dict[str, Any]:
        """Exactly what is sent: the endpoint and the create body (images by path, their bytes
        put in by the fingerprint; no external_task_id, which is made from the fingerprint).
        Image-to-video sends no aspect_ratio, so one clip serves every format."""
        family, body, _notes = request_body(gen, aspect, cls.settings(gen.options))
        return {
            "provider": cls.name,
            "endpoint": f"POST /v1/videos/{family}",
            **body,
            "image": str(gen.image) if gen.image else None,
            "image_tail": str(gen.image_tail) if gen.image_tail else None,
        }

    @classmethod
    def earlier_fingerprint_requests(cls, gen: Generate, aspect: str) -> list[dict[str, Any]]:
        """Before cmforge fingerprinted what is sent, a clip's fingerprint held the shared keys,
        every provider's options and the format's aspect ratio, even for image-to-video, where
        it is not sent: a clip made for any format is the one asked for."""
        shapes = list(ASPECTS) if (gen.image or gen.image_tail) else [aspect]
        shapes.sort(key=lambda a: a != aspect)  # the format's own first
        return [{**request_of(gen, cls.name), "aspect_ratio": a} for a in shapes]

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        return [
            f"{settings['mode']} · {settings['length']} s · cfg {settings['cfg_scale']:g}",
            str(settings["model"]),
        ]

    @classmethod
    def provenance(cls, job: GenerationJob, recipe_folder: Path) -> dict | None:
        journal = Journal.for_recipe(recipe_folder)
        if not journal.path.exists():
            return None
        for rec in reversed(list(journal.records().values())):  # the latest first
            if rec.state == "downloaded" and rec.path == str(job.dest):
                return {
                    "provider": cls.name,
                    "task_id": rec.task_id,
                    "cost": rec.units,
                    "request": rec.request,
                    "details": {"external_task_id": rec.external_task_id, "attempt": rec.attempt},
                    "made": "an earlier run (from the journal)",
                }
        return None
