"""The manifest written beside every video: where everything in it came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import atomic
from ..assets.standins import read_provenance, stand_ins_in
from ..audio.credits import credits_text
from ..compile.colour import report as hdr_report
from ..delivery.standards import standard_for
from ..generate import GenerationResult
from ..media.ffmpeg import FFmpegInfo
from ..media.loudness import Loudness
from ..media.probe import sha256
from ..timeline import Timeline
from ..version import __version__
from .plan import Events, Plan
from .still_sources import stills_provenance


def manifest_path(video: Path) -> Path:
    return video.with_name(video.stem + ".manifest.json")


def credits_path(video: Path) -> Path:
    """Beside the video, named after it: variants in one folder each keep their own."""
    return video.with_name(video.stem + ".credits.txt")


def render_manifest(
    p: Plan,
    video: Path,
    *,
    delivered: Path,
    loudness: Loudness,
    info: FFmpegInfo,
    folder: Path,
    cached: bool,
    hits: int,
    generated: dict[Path, GenerationResult],
    say: Events,
) -> dict:
    """The manifest of a finished render of p: `delivered` is the checked file about to become
    `video`, `loudness` its sound as measured after encoding; the segments were in `folder`
    (the shared cache when `cached`), `hits` of them found there; `generated`: the clips this
    render made."""
    sound = sound_report(p, loudness, say)
    sound["credits"] = credits_text(p.recipe) or "No music in this video.\n"
    sound["cache"] = {
        "segments": len(p.command.segments),
        "hits": hits,
        "folder": str(folder) if cached else None,
    }
    sound["delivered"] = {"bytes": delivered.stat().st_size, "sha256": sha256(delivered)}
    return build_manifest(
        p.timeline,
        video,
        info.version,
        p.command.shell(info.binary, info.version, video, folder),
        generated,
        p.assets.used,
        p.preview,
        sound,
        p.layout_report(),
    )


def build_manifest(
    tl: Timeline,
    video: Path,
    ffmpeg_version: str,
    ffmpeg_command: str,
    generated: dict[Path, GenerationResult],
    used: dict[Path, str],
    preview: bool,
    sound: dict | None = None,
    layout: dict | None = None,
) -> dict:
    """The manifest's data; `layout`: the plan's `layout_report()` (every text and logo box and
    the safe zone of the platforms targeted), as `plan --json` shows it."""
    r = tl.recipe
    sources = []
    for path, key in sorted(used.items(), key=lambda kv: kv[1]):
        info = tl.media.get(path)
        entry = {
            "key": key,
            "path": str(path),
            "sha256": sha256(path) if path.is_file() else None,
            "kind": info.kind if info else None,
        }
        if info is not None and info.hdr is not None:  # HLG/PQ, converted to SDR
            entry["hdr"] = hdr_report(info.hdr)
        if path in generated:
            g = generated[path]
            entry["generated"] = {
                "provider": g.provider,
                "task_id": g.task_id,
                "cost": g.cost,
                "request": g.request,
                **g.details,
            }
        made = read_provenance(path)  # the sidecar of a generated file, this render's or not
        if made is not None:
            entry["provenance"] = {
                k: made.get(k)
                for k in ("provider", "model", "stand_in", "task_id", "cost", "unit", "money_usd")
            }
        sources.append(entry)
    scenes = [
        {
            "index": p.scene.index,
            "type": p.scene.type,
            "name": p.scene.name,
            "start": tl.seconds(p.start),
            "end": tl.seconds(p.end),
            "frames": p.frames,
            "transition": {
                "type": p.scene.transition.type,
                "duration": tl.seconds(p.transition_frames),
                **p.scene.transition.entry(),
            },
            **p.scene.entry(p),
        }
        for p in tl.scenes
    ]
    music = None
    if r.music is not None:
        music = {"track": r.music.track, "path": str(r.music.path), **r.music.info}
    return {
        "cmforge": __version__,
        "ffmpeg": ffmpeg_version,
        "command_line": sys.argv,
        "ffmpeg_command": ffmpeg_command,
        "recipe": str(r.file),
        "variant": r.variant,
        "vars": r.vars,
        "preview": preview,
        "output": {
            "path": str(video),
            "width": tl.width,
            "height": tl.height,
            "fps": f"{tl.fps.numerator}/{tl.fps.denominator}",
            "frames": tl.frames,
            "duration": tl.duration,
            # output.platform, and where text and logos may go on the frame ([x, y, w, h])
            "platforms": list(r.output.platforms),
            "safe_area": r.output.safe_zone().area.as_list(),
            **((sound or {}).get("delivered") or {}),
        },
        "scenes": scenes,
        "sources": sources,
        # offline stand-ins in this video (a zoomed still, a prompt card): not for delivery
        "stand_ins": stand_ins_in(used, generated),
        # what the generated files this video uses cost when they were made, in US dollars
        "generated_usd": generated_usd(used, generated),
        **({"stills": stills_provenance(r, generated)} if r.stills else {}),
        "music": music,
        # timings that render but look wrong (the warnings validate, plan and render print)
        # every text and logo box, on whole pixels, and the safe zone they were placed in
        "layout": layout,
        "warnings": [{"key": w.key, "line": w.line, "message": w.message} for w in tl.warnings],
        **{k: v for k, v in (sound or {}).items() if k != "delivered"},
    }


def generated_usd(used: dict[Path, str], generated: dict[Path, GenerationResult]) -> float:
    """The dollars the generated files among `used` cost when made (this render's results, else
    their provenance sidecars); a file the video reads twice counts once."""
    total = 0.0
    for path in used:
        made = generated.get(path)
        if made is not None:
            total += float(made.money_usd or 0)
            continue
        side = read_provenance(path)
        if side is not None:
            total += float(side.get("money_usd") or 0)
    return round(total, 4)


def write_json_atomic(path: Path, data: dict) -> None:
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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
