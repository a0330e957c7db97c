"""The plan as a table and as JSON."""

from __future__ import annotations

from ..assets.budget import totals, unit_of
from ..assets.standins import stand_ins_text, will_be_stand_ins
from ..compile.colour import note, report
from ..errors import shown_path
from ..generate.prices import money
from ..pipeline import Plan
from ..timeline import Timeline
from .table import cell, one_line


def cost_text(takes: list[dict]) -> str:
    """What items cost together, in the provider's unit and in US dollars: '3.5 Kling API
    units = $0.49 (Kling web-app equivalent: 35 credits)'; a free stand-in says so."""
    amount = sum(float(t.get("credits") or 0) for t in takes)
    usd = sum(float(t.get("money") or 0) for t in takes)
    if not amount and not usd:
        return "nothing paid (offline stand-in)"
    unit = unit_of(takes[0])
    out = f"{amount:g} {unit} = {money(usd)}"
    eq = [t.get("equivalent") for t in takes]
    if all(e is not None for e in eq):
        out += f" (Kling web-app equivalent: {sum(eq):g} credits)"
    if any(t.get("price_known") is False for t in takes):
        out += " (model not in the price table: priced at the dearest)"
    return out


def _generate_row(takes: list[dict]) -> str:
    """What a clip's or still's takes will cost and who makes them."""
    g = takes[0]
    after = f" once {' and '.join(g['after'])} is made" if g.get("after") else ""
    return (
        f"     ↳ generate with {g['provider']}{after}: {g['what']}, {len(takes)} take(s), "
        f"{cost_text(takes)} ({g['why']})"
    )


def plan_table(plan: Plan) -> str:
    tl = plan.timeline
    gen: dict[str, list[dict]] = {}
    for g in plan.generation:
        gen.setdefault(g["scene"], []).append(g)
    rows = [
        f"{tl.recipe.variant}: {tl.width}x{tl.height} {float(tl.fps):g} fps, "
        f"{tl.duration:.3f} s ({tl.frames} frames) -> {shown_path(plan.output)}",
        f"  {'#':>2} {'type':<9} {'start':>7} {'end':>7}  {'source':<26} {'in':>6} {'out':>6}"
        f"  {'transition':<16} warnings",
    ]
    for p in tl.scenes:
        s = p.scene
        own = s.entry(p)  # a kind that plays no source may leave in and out out
        src_in, src_out = own.get("in"), own.get("out")
        io = f"{src_in:6.2f} {src_out:6.2f}" if src_in is not None else f"{'':>6} {'':>6}"
        trans = (
            " ".join(
                [
                    f"{s.transition.type} {tl.seconds(p.transition_frames):.2f}s",
                    *(f"{k}={v}" for k, v in s.transition.entry().items()),
                ]
            )
            if p.transition_frames
            else "cut"
        )
        rows.append(
            f"  {s.index:>2} {s.type:<9} {tl.seconds(p.start):7.2f} "
            f"{tl.seconds(p.end):7.2f}  {cell(s.label(), 26)} {io}  {trans:<16} "
            f"{_warned(tl, s.key)}".rstrip()
        )
        if p.source is not None and p.source.hdr is not None:
            rows.append(f"     ↳ {note(p.source.hdr)}")
        for key in (s.key, f"{s.key}.generate"):  # its clip, or an image scene's still
            if key in gen:
                rows.append(_generate_row(gen.pop(key)))
    for key, takes in gen.items():  # [[stills]]
        rows.append(f"  {key}: {shown_path(takes[0]['dest'])}")
        rows.append(_generate_row(takes))
    for t in tl.captions:
        when = f"{tl.seconds(t.start):.2f}-{tl.seconds(t.end):.2f} s"
        warned = _warned(tl, f"captions[{t.item.index}]")
        rows.append(
            f"  caption {when}: {one_line(t.item.text)}" + (f"  ⚠ {warned}" if warned else "")
        )
    if tl.recipe.music:
        m = tl.recipe.music
        rows.append(f"  music: {m.track} from {m.start:g} s at {m.volume_db:+g} dB")
        if m.why:
            rows.append(f"     ↳ {m.why}")
        if m.duck:
            rows.append(
                f"     ↳ ducks {m.duck.depth:g} dB under narration and clip sound "
                f"(attack {m.duck.attack:g} s, release {m.duck.release:g} s)"
            )
    for a in tl.recipe.audio:
        rows.append(f"  audio: {a.src.name} at {a.start:g} s, {a.volume_db:+g} dB")
    out = tl.recipe.output
    if out.loudness is not None:
        m = plan.sound.mastering if plan.sound else None
        how = (
            f"measured {m.measured.integrated:.1f} LUFS, gain {m.gain_db:+.2f} dB"
            + (", true-peak limiter" if m.limited else "")
            if m and m.measured
            else "measured when rendered"
        )
        rows.append(
            f"  loudness: {out.standard or 'target'} {out.loudness:g} LUFS, "
            f"true peak <= -1 dBTP ({how})"
        )
    if plan.generation:
        rows.append(
            f"  generation: {_counted(plan.generation)}, {totals(plan.generation).text()} "
            "in total; nothing is spent by plan"
        )
    shipped = plan_stand_ins(plan)
    if shipped:
        rows.append(
            f"  stand-ins: {stand_ins_text(shipped, 8)}: a draft, not for delivery "
            "(render --final refuses it)"
        )
    return "\n".join(rows)


def _warned(tl: Timeline, key: str) -> str:
    """The warnings column: the timing and layout warnings about one scene or caption, by the
    key they name and the start of what they say (validate prints them in full)."""
    found = [w for w in tl.warnings if w.key == key or w.key.startswith((f"{key}.", f"{key}["))]
    return "; ".join(f"{w.key[len(key) + 1 :] or w.key}: {w.message[:40]}" for w in found)


def _counted(generation: list[dict]) -> str:
    stills = sum(g.get("makes") == "still" for g in generation)
    clips = len(generation) - stills
    return ", ".join([f"{clips} clip(s)", *([f"{stills} still(s)"] if stills else [])])


def plan_json(plan: Plan) -> dict:
    tl = plan.timeline
    return {
        "variant": tl.recipe.variant,
        "output": str(plan.output),
        "width": tl.width,
        "height": tl.height,
        "fps": f"{tl.fps.numerator}/{tl.fps.denominator}",
        "frames": tl.frames,
        "duration": tl.duration,
        "scenes": [
            {
                "index": p.scene.index,
                "type": p.scene.type,
                "start": tl.seconds(p.start),
                "end": tl.seconds(p.end),
                "frames": p.frames,
                **p.scene.entry(p),
                **({"hdr": report(p.source.hdr)} if p.source and p.source.hdr else {}),
                "transition": {
                    "type": p.scene.transition.type,
                    "frames": p.transition_frames,
                    **p.scene.transition.entry(),
                },
            }
            for p in tl.scenes
        ],
        "captions": [
            {"text": t.item.text, "start": tl.seconds(t.start), "end": tl.seconds(t.end)}
            for t in tl.captions
        ],
        "overlays": [
            {"src": str(t.item.src), "start": tl.seconds(t.start), "end": tl.seconds(t.end)}
            for t in tl.overlays
        ],
        "generation": plan.generation,
        "stand_ins": plan_stand_ins(plan),
        "music": (
            {
                "track": tl.recipe.music.track,
                "why": tl.recipe.music.why,
                "duck_db": tl.recipe.music.duck.depth if tl.recipe.music.duck else 0,
            }
            if tl.recipe.music
            else None
        ),
        "loudness": (
            {
                "target_lufs": tl.recipe.output.loudness,
                "standard": tl.recipe.output.standard or None,
                "gain_db": plan.sound.mastering.gain_db,
                "limited": plan.sound.mastering.limited,
            }
            if plan.sound and plan.sound.mastering
            else None
        ),
        "segments": [
            {"start": tl.seconds(c.start), "frames": c.frames} for c in plan.command.segments
        ],
        "ffmpeg": plan.shell(),
    }


def plan_stand_ins(plan: Plan) -> list[dict]:
    """The offline stand-ins a render of the plan would contain (assets.standins)."""
    return will_be_stand_ins(plan.assets.jobs, plan.assets.used)


def hdr_notes(tl: Timeline) -> list[str]:
    """validate's info lines: each HDR source and how it is converted to the SDR output."""
    return [
        f"note: {p.scene.key}.src: {note(p.source.hdr)}"
        for p in tl.scenes
        if p.source is not None and p.source.hdr is not None
    ]
