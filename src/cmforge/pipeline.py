"""load -> validate -> variants -> assets -> resolve -> compile -> run, as plain functions."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import atomic, segcache
from .assets import Assets, check_batch_budget, gather, stand_in, with_sources
from .assets import BudgetError as BudgetError  # where it was defined before the assets stage
from .audio.credits import credits_text
from .compile import RenderCommand, SegmentCommand, Sound, Stills, compile_timeline
from .delivery.standards import standard_for
from .errors import CmforgeError, RenderError
from .generate import PROVIDERS, GenerationJob, GenerationResult, Provider
from .generate.base import CACHE_DIR
from .manifest import build_manifest, manifest_path, write_json_atomic
from .media.ffmpeg import FFmpegInfo, check_ffmpeg, run_ffmpeg
from .media.loudness import Loudness, measure_file
from .media.probe import sha256
from .recipe.model import Recipe
from .sound import prepare_sound
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
    # ducking, repeated music and loudness as far as measured (a render measures what is
    # pending); None while clips are still to generate
    sound: Sound | None = None

    def shell(self, output: Path | None = None) -> str:
        """The exact ffmpeg command line(s) a render runs, as one shell line (with a segment
        already in the cache, its command is skipped). The sound's files (ducking curve,
        repeated music) are named where the render makes them; its loudness correction is in
        only once measured (sound.pending)."""
        info = check_ffmpeg()
        root = segcache.cache_root()
        folder = segcache.segment_folder(root) if root else Path("<temporary folder>")
        return self.command.shell(info.binary, info.version, output or self.output, folder)

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


def generation_plan(recipe: Recipe, assets: Assets) -> list[dict]:
    """Per clip to generate: provider, why, and its cost (no network, nothing spent)."""
    providers = open_providers(recipe, assets.jobs)
    return [
        {
            "scene": job.scene_key,
            "provider": job.provider,
            "why": job.why,
            "dest": str(job.dest),
            "fingerprint": job.fingerprint,
            **providers[job.provider].estimate(job),
        }
        for job in assets.jobs
    ]


def open_providers(recipe: Recipe, jobs: list[GenerationJob]) -> dict[str, Provider]:
    """The providers the jobs were given to, each opened once for the recipe's folder."""
    return {
        name: PROVIDERS[name].open(recipe.folder, os.environ)
        for name in dict.fromkeys(job.provider for job in jobs)
    }


def generate_all(recipe: Recipe, assets: Assets, say: Events) -> dict[Path, GenerationResult]:
    """Make every missing clip, several at once: each provider says how many of its jobs are
    worth running together and gates them (a paid API's tasks run in parallel on its side;
    an offline one runs FFmpeg). The first failure is raised after the others have finished,
    so nothing paid for is lost (each finished clip is already saved where the next run
    finds it)."""
    if not assets.jobs:
        return {}
    providers = open_providers(recipe, assets.jobs)

    def one(job: GenerationJob) -> GenerationResult:
        provider = providers[job.provider]
        say(f"{job.scene_key}: generating with {provider.name} ({job.why})")
        label = job.scene_key + (f" take {job.take}" if job.generate.takes > 1 else "")
        with provider.turn():
            return provider.generate(job, lambda m: say(f"{label}: {m}"), take=job.take)

    at_once = max(p.at_once() for p in providers.values())
    with ThreadPoolExecutor(max_workers=min(len(assets.jobs), at_once)) as pool:
        futures = [pool.submit(one, job) for job in assets.jobs]
    results, errors = {}, []
    for f in futures:
        try:
            result = f.result()
            results[result.path] = result
        except CmforgeError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    return results


def render(
    recipe: Recipe,
    *,
    preview: bool = False,
    on_progress: Progress | None = None,
    on_event: Events | None = None,
    max_credits: float | None = None,
    planned: Plan | None = None,
    budget_checked: bool = False,
) -> Path:
    """Render one variant; returns the video's path. The old file survives any failure.

    Clips to generate are made first, by the provider the contract picks, never above the
    credit budget (max_credits, else the recipe's [generate] max_credits, else 0). `planned`:
    this recipe's plan(), already made (a batch plans every variant first); it is used when it
    had nothing to generate, its sound measured where the plan found no measurement.
    `budget_checked`: the batch this render is part of has checked every variant's clips
    against the budget already (assets.check_batch_budget), so it is not checked again."""
    say = on_event or (lambda _m: None)
    info = check_ffmpeg()
    if recipe.music is not None and recipe.music.why:
        say(f"music: {recipe.music.why}")
    generated: dict[Path, GenerationResult] = {}
    if planned is not None and not planned.generation and planned.preview == preview:
        p, assets = _measured(planned, info.binary), planned.assets
    else:
        assets = gather(recipe)
        if not budget_checked:
            check_batch_budget(recipe, generation_plan(recipe, assets), max_credits)
        generated = generate_all(recipe, assets, say)
        if assets.jobs:
            assets = gather(recipe)  # probe what was generated
        p = _compile(recipe, assets, dict(assets.media), preview, measure=True)
    out = p.output
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.sweep(out.parent, f".{out.stem}.partial-*{out.suffix}")  # killed renders' leftovers
    atomic.sweep(out.parent, f".{out.stem}.segments-*")
    _give_back_memory()
    tmp = out.with_name(f".{out.stem}.partial-{os.getpid()}{out.suffix}")
    work = out.with_name(f".{out.stem}.segments-{os.getpid()}")
    root = segcache.cache_root()
    folder = segcache.segment_folder(root) if root else work
    try:
        work.mkdir(exist_ok=True)
        sound_file = work / "sound.m4a"
        with ThreadPoolExecutor(max_workers=1) as beside:  # the sound, while the picture renders
            audio = beside.submit(_encode_sound, p, info, sound_file)
            hits = _render_segments(p, info, folder, on_progress)
            delivered = audio.result()
        listing = work / "segments.txt"
        listing.write_text(
            "".join(
                "file " + _concat_quote(folder / n) + "\n"
                for n in p.command.segment_names(info.version)
            ),
            encoding="utf-8",
        )
        run_ffmpeg(p.command.mux_argv(info.binary, listing, sound_file, tmp))
        verify_output(tmp, p.timeline)
        sound = sound_report(p, delivered, say)
        sound["credits"] = credits_text(p.recipe) or "No music in this video.\n"
        sound["cache"] = {
            "segments": len(p.command.segments),
            "hits": hits,
            "folder": str(folder) if root else None,
        }
        sound["delivered"] = {"bytes": tmp.stat().st_size, "sha256": sha256(tmp)}
        manifest = build_manifest(
            p.timeline,
            out,
            info.version,
            p.command.shell(info.binary, info.version, out, folder),
            generated,
            assets.used,
            preview,
            sound,
        )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    write_json_atomic(manifest_path(out), manifest)
    atomic.write_text(credits_path(out), manifest["credits"])
    return out


def _measured(p: Plan, ffmpeg: str) -> Plan:
    """The plan with its sound measured where plan() found no measurement in the cache."""
    if p.sound is None or not p.sound.pending:
        return p
    cache = p.recipe.folder / CACHE_DIR
    sound = prepare_sound(p.timeline, ffmpeg, cache, known=p.sound)
    return replace(p, sound=sound, command=p.command.with_sound(p.timeline, sound))


def credits_path(video: Path) -> Path:
    """Beside the video, named after it: variants in one folder each keep their own."""
    return video.with_name(video.stem + ".credits.txt")


DRAFT_AT_ONCE = 2  # preview segments rendered at once (small frames: memory allows it)


def _render_segments(p: Plan, info: FFmpegInfo, folder: Path, on_progress: Progress | None) -> int:
    """Render the segments not in the cache; returns how many were found there. A full render
    runs one segment at a time (x264 at full size already keeps both cores busy, and memory
    stays that of one segment); a preview runs DRAFT_AT_ONCE, since decoding the full-size
    sources, not encoding, is most of its cost."""
    total = p.timeline.frames
    folder.mkdir(parents=True, exist_ok=True)
    atomic.sweep(folder, ".*.partial-*.mp4")
    names = p.command.segment_names(info.version)
    done = [0] * len(names)
    guard = threading.Lock()

    def advance(i: int, frames: int) -> None:
        if on_progress is None:
            return
        with guard:
            done[i] = frames
            on_progress(sum(done), total)

    def one(i: int) -> bool:
        seg, name = p.command.segments[i], names[i]
        with segcache.claimed(folder, name):
            hit = segcache.lookup(folder, name, seg.frames) is not None
            if not hit:
                _encode_segment(p, info, seg, folder, name, lambda d, _t: advance(i, d))
        advance(i, seg.frames)
        return hit

    at_once = DRAFT_AT_ONCE if p.preview else 1
    if at_once == 1 or len(names) == 1:
        return sum(one(i) for i in range(len(names)))
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return sum(pool.map(one, range(len(names))))


def _encode_sound(p: Plan, info: FFmpegInfo, dest: Path) -> Loudness:
    """Mix and encode the sound; measure it as it will be delivered (the file's audio is this
    stream, copied)."""
    run_ffmpeg(p.command.audio_argv(info.binary, dest))
    return measure_file(dest, info.binary)


def _encode_segment(
    p: Plan,
    info: FFmpegInfo,
    seg: SegmentCommand,
    folder: Path,
    name: str,
    on_progress: Progress | None,
) -> None:
    part = folder / f".{name[:-4]}.partial-{atomic.tag()}.mp4"
    try:
        run_ffmpeg(
            seg.encode_argv(info.binary, p.command.video_codec, part),
            total_frames=seg.frames,
            fps=float(p.timeline.fps),
            on_progress=on_progress,
        )
        got = segcache.frames_in(part)
        if got != seg.frames:
            raise RenderError(
                f"segment at frame {seg.start} has {got} frames instead of {seg.frames}"
            )
        segcache.store(part, folder, name)
    finally:
        part.unlink(missing_ok=True)


def _concat_quote(path: Path) -> str:
    """A path as FFmpeg's concat list reads it: single-quoted, ' written as '\\''."""
    return "'" + str(path).replace("'", "'\\''") + "'"


def sound_report(p: Plan, delivered: Loudness, say: Events) -> dict:
    """What the manifest says about the sound: the loudness of the delivered file as measured
    after encoding, the target and how it was met, and the ducking. `within_spec` judges by the
    standard's own tolerance and true peak, the same rule `cmforge check` applies."""
    out = p.recipe.output
    m = p.sound.mastering if p.sound else None
    report: dict = {"loudness": delivered.as_dict()}
    std = standard_for(out.loudness, out.standard)
    if std is not None:
        ok = std.loudness_ok(delivered.integrated) and std.peak_ok(delivered.true_peak)
        report["loudness"].update(
            target_lufs=std.target,
            standard=out.standard or None,
            tolerance_lu=std.tolerance,
            within_spec=ok,
            gain_db=m.gain_db if m else 0.0,
            limited=bool(m and m.limited),
            mix_before=m.measured.as_dict() if m and m.measured else None,
            notes=list(m.notes) if m else [],
        )
        if not ok:
            say(
                f"warning: the delivered sound measures {delivered.integrated:.1f} LUFS, "
                f"{delivered.true_peak:.1f} dBTP (target {std.summary()} ±{std.tolerance:g} LU, "
                f"true peak at most {std.true_peak:g} dBTP)"
            )
    if p.sound and p.sound.loop:
        report["music_loop"] = p.sound.loop
    music = p.recipe.music
    if music is not None and music.duck is not None:
        report["ducking"] = {
            "depth_db": music.duck.depth,
            "attack": music.duck.attack,
            "release": music.duck.release,
            "envelope": str(p.sound.envelope) if p.sound and p.sound.envelope else None,
            "method": "measured envelope of narration and clip sound, applied with amultiply",
        }
    return report


def _give_back_memory() -> None:
    """While FFmpeg renders, this process only waits: drop fonts and glyph tables (~30 MB)
    and hand freed heap back to the system, so the render's total footprint stays lower."""
    import ctypes
    import gc

    from .text import release_caches

    release_caches()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim


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
