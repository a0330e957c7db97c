"""What the `flux` still maker says without opening anything: its recipe keys and defaults,
whether it can run (BFL_API_KEY), what its journal says about earlier stills, and how its
takes are labelled. `FluxProvider` (provider.py) adds the client and is what is registered."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ...recipe.spec import F
from ..base import GenerationJob, Provider
from ..prices import FLUX_CREDITS, money, usd
from .journal import Journal
from .models import DEFAULT_MODEL

KEY_ENV = "BFL_API_KEY"


def has_key(env: Mapping[str, str] | None = None) -> bool:
    return bool((os.environ if env is None else env).get(KEY_ENV))


class Flux(Provider):
    """The flux still maker's description; the base of FluxProvider."""

    name = "flux"
    makes = "still"
    suffix = ".png"
    priority = 20  # the default still maker whenever BFL_API_KEY is set
    options: ClassVar[dict[str, F]] = {
        "model": F("str", "the image model (the provider's own names)"),
        "seed": F("int", "the seed, for a repeatable still", minimum=0),
        "safety_tolerance": F("int", "flux: 0 (strictest) to 6 (FLUX.2: 5); default 2", minimum=0),
        "prompt_upsampling": F("bool", "flux: let FLUX rewrite the prompt in more detail"),
        "raw": F("bool", "flux-pro-1.1-ultra: a less processed, more natural look"),
        "steps": F("int", "flux-dev, flux-pro, flux-2-flex: diffusion steps 1-50", minimum=1),
        "guidance": F("number", "flux-dev, flux-pro, flux-2-flex: prompt adherence", minimum=0),
    }
    defaults: ClassVar[dict[str, Any]] = {"model": DEFAULT_MODEL}

    @classmethod
    def available(cls, env: Mapping[str, str]) -> tuple[bool, str]:
        if has_key(env):
            return True, f"{KEY_ENV} is set"
        return False, f"no {KEY_ENV} set"

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        own = " · ".join(
            f"{k} {settings[k]}"
            for k in cls.options
            if k != "model" and settings.get(k) is not None
        )
        return [f"{settings.get('model')} · {settings.get('aspect_ratio')}", own]

    @classmethod
    def take_label(cls, take: dict) -> tuple[str, str]:
        who = "flux" + (f" · task {str(take['task_id'])[:8]}" if take.get("task_id") else "")
        cost = take.get("cost")
        if cost is None:
            return who, "cost unknown"
        return who, f"{cost:g} {FLUX_CREDITS} = {money(usd(cost, FLUX_CREDITS))}"

    @classmethod
    def provenance(cls, job: GenerationJob, recipe_folder: Path) -> dict | None:
        journal = Journal.for_recipe(recipe_folder)
        if not journal.path.exists():
            return None
        for rec in reversed(list(journal.attempts().values())):  # the latest first
            if rec.state == "downloaded" and rec.path == str(job.dest):
                return {
                    "provider": cls.name,
                    "task_id": rec.task_id,
                    "cost": rec.cost,
                    "money_usd": usd(rec.cost or 0.0, FLUX_CREDITS),
                    "request": {**rec.request, "model": rec.model},
                    "stand_in": False,
                    "details": {"attempt": rec.attempt, "unit": FLUX_CREDITS},
                    "made": "an earlier run (from the FLUX journal)",
                }
        return None
