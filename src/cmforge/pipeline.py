"""load -> validate -> variants -> assets -> resolve -> compile -> run, as plain functions."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assets import Assets, gather, stand_in, with_sources
from .compile import RenderCommand, Stills, compile_timeline
from .errors import CmforgeError, RenderError
from .generate import GenerationResult, choose_provider
from .generate.base import CACHE_DIR
from .manifest import build_manifest, manifest_path, write_json_atomic
from .media.ffmpeg import check_ffmpeg, run_ffmpeg
from .recipe.model import Recipe
from .timeline import Timeline, resolve_timeline
from .units import even

Events = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class Plan:
    recipe: Recipe
    timeline: Timeline
    command: RenderCommand
    assets: Assets
    generation: list[dict] = field(default_factory=list)  # what will be generated, by whom
    preview: bool = False

    def shell(self, output: Path | None = None) -> str:
        """The exact ffmpeg command line(s) a render runs, as one shell line."""
        return self.command.shell(check_ffmpeg().binary, output or self.output)

    @property
    def output(self) -> Path:
        out = self.recipe.output.path
        return out.with_name(out.stem + ".preview" + out.suffix) if self.preview else out


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


def check(recipe: Recipe) -> Timeline:
    """Every check a render makes before it starts (media probed, timeline resolved)."""
    assets = gather(recipe)
    media = dict(assets.media)
    for job in assets.jobs:
        media[job.dest] = stand_in(job)
    return resolve_timeline(with_sources(recipe, assets), media)


def plan(recipe: Recipe, *, preview: bool = False) -> Plan:
    """Everything a render would do, without generating or rendering anything."""
    assets = gather(recipe)
    media = dict(assets.media)
    for job in assets.jobs:
        media[job.dest] = stand_in(job)
    return _compile(recipe, assets, media, preview)


def _compile(recipe: Recipe, assets: Assets, media: dict, preview: bool) -> Plan:
    full = with_sources(recipe, assets)
    target = _preview(full) if preview else full
    tl = resolve_timeline(target, media)
    stills = Stills(recipe.folder / CACHE_DIR / "stills", recipe.folder)
    cmd = compile_timeline(tl, stills, draft=preview)
    generation = generation_plan(recipe, assets)
    return Plan(target, tl, cmd, assets, generation, preview)


class BudgetError(CmforgeError):
    """Paid generation would go above the credit budget: nothing was spent."""

    exit_code = 2


def generation_plan(recipe: Recipe, assets: Assets) -> list[dict]:
    """Per clip to generate: provider, why, and its cost (no network, nothing spent)."""
    out = []
    for job in assets.jobs:
        provider, why = choose_provider(job.generate, recipe.folder)
        out.append(
            {
                "scene": job.scene_key,
                "provider": provider.name,
                "why": why,
                "dest": str(job.dest),
                "fingerprint": job.fingerprint,
                **provider.estimate(job),
            }
        )
    return out


def budget_of(recipe: Recipe, max_credits: float | None) -> tuple[float, str]:
    if max_credits is not None:
        return max_credits, "--max-credits"
    if recipe.max_credits is not None:
        return recipe.max_credits, "[generate] max_credits in the recipe"
    return 0.0, "the default budget is 0 credits"


def check_budget(entries: list[dict], budget: float, source: str) -> None:
    """Refuse, before the first paid request, generation that costs more than the budget."""
    paid = {e["fingerprint"]: e for e in entries if e.get("credits")}
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
) -> Path:
    """Render one variant; returns the video's path. The old file survives any failure.

    Clips to generate are made first, by the provider the contract picks, never above the
    credit budget (max_credits, else the recipe's [generate] max_credits, else 0)."""
    say = on_event or (lambda _m: None)
    info = check_ffmpeg()
    assets = gather(recipe)
    check_budget(generation_plan(recipe, assets), *budget_of(recipe, max_credits))
    generated: dict[Path, GenerationResult] = {}
    for job in assets.jobs:
        provider, why = choose_provider(job.generate, recipe.folder)
        say(f"{job.scene_key}: generating with {provider.name} ({why})")
        result = provider.generate(job, say)
        generated[result.path] = result
    if assets.jobs:
        assets = gather(recipe)  # probe what was generated
    p = _compile(recipe, assets, dict(assets.media), preview)
    out = p.output
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(out)
    tmp = out.with_name(f".{out.stem}.partial-{os.getpid()}{out.suffix}")
    argv = p.command.encoder_argv(info.binary, tmp)
    try:
        run_ffmpeg(
            argv,
            total_frames=p.timeline.frames,
            fps=float(p.timeline.fps),
            on_progress=on_progress,
            producers=p.command.producers(info.binary),
        )
        verify_output(tmp, p.timeline)
        manifest = build_manifest(
            p.timeline,
            out,
            info.version,
            p.command.shell(info.binary, out),
            generated,
            assets.used,
            preview,
        )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    write_json_atomic(manifest_path(out), manifest)
    return out


def _remove_stale_partials(out: Path) -> None:
    """A render killed with SIGKILL leaves its hidden partial file; the next render sweeps it."""
    for stale in out.parent.glob(f".{out.stem}.partial-*{out.suffix}"):
        pid = stale.stem.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def verify_output(path: Path, tl: Timeline) -> None:
    """The file must have the frames and streams the timeline says, before it replaces anything."""
    import av

    try:
        with av.open(str(path)) as c:
            v = next(s for s in c.streams if s.type == "video")
            a = next((s for s in c.streams if s.type == "audio"), None)
            frames = v.frames
            size = (v.codec_context.width, v.codec_context.height)
    except Exception as exc:
        raise RenderError(f"the rendered file does not open: {exc}") from None
    problems = []
    if frames != tl.frames:
        problems.append(f"{frames} frames instead of {tl.frames}")
    if size != (tl.width, tl.height):
        problems.append(f"size {size} instead of {(tl.width, tl.height)}")
    if a is None:
        problems.append("no audio stream")
    if problems:
        raise RenderError("the rendered file does not check out: " + "; ".join(problems))
