"""load -> validate -> variants -> assets -> resolve -> compile -> run, as plain functions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .assets import Assets, gather, stand_in, with_sources
from .assets.generation import generate_all, generation_plan
from .compile import Stills, compile_timeline
from .errors import CmforgeError
from .generate import GenerationResult
from .generate.base import CACHE_DIR
from .media.ffmpeg import check_ffmpeg
from .recipe.model import Recipe
from .render import render_plan
from .render.plan import Events, Plan, Progress
from .render.sound import prepare_sound
from .timeline import Timeline, resolve_timeline
from .units import even


def _preview(recipe: Recipe) -> Recipe:
    """A draft for checking timing: half width and height (a quarter of the pixels), half the
    frame rate from 24 fps up (scene cuts land within 1/15 s of the full render's), x264
    ultrafast."""
    o = recipe.output
    fps = o.fps / 2 if o.fps >= 24 else o.fps
    return replace(
        recipe,
        output=replace(
            o,
            width=even(o.width / 2),
            height=even(o.height / 2),
            fps=fps,
            preset="ultrafast",
            crf=30,
        ),
    )


def _planned_media(assets: Assets) -> dict:
    """Media facts, with clips not generated yet standing in at their requested length."""
    return {**assets.media, **{job.dest: stand_in(job) for job in assets.jobs}}


def check(recipe: Recipe) -> Timeline:
    """Every check a render makes before it starts (media probed, timeline resolved)."""
    assets = gather(recipe)
    return resolve_timeline(with_sources(recipe, assets), _planned_media(assets))


def plan(recipe: Recipe, *, preview: bool = False) -> Plan:
    """Everything a render would do, without generating or rendering anything: FFmpeg does not
    run on the media (the media are probed, title cards drawn into the cache). The sound is
    measured by the render; what an earlier render measured (kept in the cache) is shown."""
    assets = gather(recipe)
    return _compile(recipe, assets, _planned_media(assets), preview, measure=False)


def _compile(recipe: Recipe, assets: Assets, media: dict, preview: bool, *, measure: bool) -> Plan:
    full = with_sources(recipe, assets)
    target = _preview(full) if preview else full
    tl = resolve_timeline(target, media)
    stills = Stills(recipe.folder / CACHE_DIR / "stills", recipe.folder)
    # the sound is measured from the media; clips still to generate are not there yet
    sound = (
        None
        if assets.jobs
        else prepare_sound(tl, check_ffmpeg().binary, recipe.folder / CACHE_DIR, measure=measure)
    )
    cmd = compile_timeline(tl, stills, draft=preview, sound=sound)
    generation = generation_plan(recipe, assets)
    return Plan(target, tl, cmd, assets, generation, preview, sound)


class BudgetError(CmforgeError):
    """Paid generation would go above the credit budget: nothing was spent."""

    exit_code = 2


def budget_of(recipe: Recipe, max_credits: float | None) -> tuple[float, str]:
    if max_credits is not None:
        return max_credits, "--max-credits"
    if recipe.max_credits is not None:
        return recipe.max_credits, "[generate] max_credits in the recipe"
    return 0.0, "the default budget is 0 credits"


def check_budget(entries: list[dict], budget: float, source: str) -> None:
    """Refuse, before the first paid request, generation that costs more than the budget."""
    paid = {e["dest"]: e for e in entries if e.get("credits")}  # one per clip file (take)
    total = sum(e["credits"] for e in paid.values())
    if total <= budget:
        return
    lines = [
        f"{e['scene']}: {e['credits']:g} credits, about {e.get('money', 0):.2f} "
        f"{e.get('currency', 'USD')} ({e['what']})"
        for e in paid.values()
    ]
    raise BudgetError(
        f"generating {len(paid)} clip(s) costs {total:g} credits, above the budget of "
        f"{budget:g} ({source}); nothing was generated or spent.\n  "
        + "\n  ".join(lines)
        + "\n  Allow it with --max-credits N or [generate] max_credits = N in the recipe."
    )


def render(
    recipe: Recipe,
    *,
    preview: bool = False,
    on_progress: Progress | None = None,
    on_event: Events | None = None,
    max_credits: float | None = None,
    planned: Plan | None = None,
) -> Path:
    """Render one variant; returns the video's path. The old file survives any failure.

    Clips to generate are made first, by the provider the contract picks, never above the
    credit budget (max_credits, else the recipe's [generate] max_credits, else 0). `planned`:
    this recipe's plan(), already made (a batch plans every variant first); it is used when it
    had nothing to generate, its sound measured where the plan found no measurement."""
    say = on_event or (lambda _m: None)
    check_ffmpeg()
    if recipe.music is not None and recipe.music.why:
        say(f"music: {recipe.music.why}")
    generated: dict[Path, GenerationResult] = {}
    if planned is not None and not planned.generation and planned.preview == preview:
        p = planned
    else:
        assets = gather(recipe)
        check_budget(generation_plan(recipe, assets), *budget_of(recipe, max_credits))
        generated = generate_all(recipe, assets, say)
        if assets.jobs:
            assets = gather(recipe)  # probe what was generated
        p = _compile(recipe, assets, dict(assets.media), preview, measure=True)
    return render_plan(p, generated=generated, on_progress=on_progress, on_event=say)
