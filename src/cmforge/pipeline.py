"""The stages in order, as plain functions: `check` (the media probed, the timeline resolved),
`plan` (everything a render would do; nothing generated or rendered) and `render` (plan,
generate the clips that are missing, then the render stage, render/, carries the plan out)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .assets import Assets, check_batch_budget, gather, stand_in, with_sources
from .assets import BudgetError as BudgetError  # where it was defined before the assets stage
from .assets.generation import generate_all, generation_plan
from .assets.media import decode_problems
from .assets.standins import refuse_stand_ins, will_be_stand_ins
from .compile import Stills, compile_timeline
from .compile.backdrop import Backdrops
from .errors import RecipeError
from .generate.base import CACHE_DIR
from .layout import Layout, layout_timeline
from .layout.measure import MeasureCache
from .media.ffmpeg import check_ffmpeg
from .recipe.model import Recipe
from .render import Events, Plan, Progress, render_plan
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


def _timeline(recipe: Recipe, assets: Assets) -> Timeline:
    """The timeline, and the end of every range of a file it uses checked to decode."""
    tl = resolve_timeline(recipe, _planned_media(assets))
    problems = decode_problems(tl, assets)
    if problems:
        raise RecipeError(problems)
    return tl


def _laid_out(tl: Timeline, backdrop=None) -> tuple[Timeline, Layout]:
    """The layout of the timeline's texts and logos; its warnings join the timeline's. Text
    measurements are kept in the recipe's cache, beside the pictures they measure."""
    measured = MeasureCache(tl.recipe.folder / CACHE_DIR / "stills")
    lay = layout_timeline(tl, measured, backdrop=backdrop)
    return replace(tl, warnings=(*tl.warnings, *lay.warnings)), lay


def check(recipe: Recipe) -> Timeline:
    """Every check a render makes before it starts (media probed, the used part of each file
    decodes, timeline resolved, every text and logo placed inside the safe zone)."""
    assets = gather(recipe)
    return _laid_out(_timeline(with_sources(recipe, assets), assets))[0]


def plan(recipe: Recipe, *, preview: bool = False, guides: bool = False) -> Plan:
    """Everything a render would do, without generating or rendering anything: FFmpeg does not
    run on the media (the media are probed, title cards drawn into the cache). The sound is
    measured by the render; what an earlier render measured (kept in the cache) is shown.
    guides: a preview draws the safe zone and every text and logo box over its picture (a
    final render never does; the plan keeps the wish for the storyboard)."""
    assets = gather(recipe)
    full = with_sources(recipe, assets)
    target = _preview(full) if preview else full
    tl = _timeline(target, assets)
    stills = Stills(recipe.folder / CACHE_DIR / "stills", recipe.folder)
    tl, lay = _laid_out(tl, backdrop=Backdrops(tl, stills))
    # the sound is measured from the media; clips still to generate are not there yet
    sound = (
        None
        if assets.jobs
        else prepare_sound(tl, check_ffmpeg().binary, recipe.folder / CACHE_DIR, measure=False)
    )
    cmd = compile_timeline(
        tl, stills, draft=preview, sound=sound, layout=lay, guides=guides and preview
    )
    return Plan(target, tl, cmd, assets, generation_plan(recipe, assets), preview, sound, guides)


def render(
    recipe: Recipe,
    *,
    preview: bool = False,
    on_progress: Progress | None = None,
    on_event: Events | None = None,
    max_credits: float | None = None,
    planned: Plan | None = None,
    budget_checked: bool = False,
    max_cost: float | None = None,
    final: bool = False,
    guides: bool = False,
) -> Path:
    """Render one variant; returns the video's path. The old file survives any failure.

    Stills and clips to generate are made first, by the provider the contract picks, never
    above the budget (max_cost in US dollars and max_credits in API units, else the
    recipe's [generate] max_cost / max_credits, else $0), then the recipe is planned again with
    them. `final`: refuse (StandInError) a video that would contain an offline stand-in.
    `planned`: this recipe's plan(), already made (a batch plans every variant first); it is
    used when it had nothing to generate (otherwise it is made again: another variant's render
    may have made its clips since). `budget_checked`:
    the batch this render is part of has checked every variant's clips against the budget
    already (assets.check_batch_budget), so it is not checked again."""
    say = on_event or (lambda _m: None)
    check_ffmpeg()
    guides = guides or bool(planned and planned.guides)
    if recipe.music is not None and recipe.music.why:
        say(f"music: {recipe.music.why}")
    p = planned
    if p is None or p.generation or p.preview != preview or p.guides != guides:
        p = plan(recipe, preview=preview, guides=guides)
    if final:  # a video for delivery: refused, before anything is spent, if it has a stand-in
        refuse_stand_ins({recipe.variant: will_be_stand_ins(p.assets.jobs, p.assets.used)})
    if not budget_checked:
        check_batch_budget(recipe, p.generation, max_credits, max_cost)
    generated = generate_all(recipe, p.assets, say)
    if generated:  # the timeline and sound of the clips as made
        p = plan(recipe, preview=preview, guides=guides)
    return render_plan(p, generated=generated, on_progress=on_progress, on_event=say)
