"""The end slate's `animate` key: how its parts come in and go out.

`animate = "slide-up"` (or `{ in, out, duration, easing }`) brings every part in, one after
another in reading order (ORDER: top to bottom, the left column before the right), STAGGER
seconds apart (closer when there are many, so the last one starts by SPREAD); a part's own key
in the same table overrides it: `animate = { in = "slide-up", cta = "pop", phone = "fade" }`,
each a name or its own `{ in, out, duration, easing }`. Without `in`, the parts not named keep
the default motion (the logo rises in, the button pulses, the rest are still).

The rules a call to action keeps whatever the recipe says: the QR code never moves or scales
(it must scan at every frame): it only fades, and it stays to the last frame unless its own
key says `out = "fade"`; the logo and the button are pictures (fade, pop, slide-up; a
slate-wide typewriter or words fades them in); the button pulses after it has come in; the
phone number has settled by PHONE_BY seconds, and a part whose duration is left to cmforge
has come in by ENTRANCE. The motion itself is compile/animate.py's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..compile import animate, slate
from ..compile.context import Ctx
from ..compile.graph import Filter
from ..layout import LogoBox, TextBlock
from ..recipe import spec
from ..recipe.model import Animate
from ..text.qr import QrCode

if TYPE_CHECKING:
    from ..timeline import Placed

# the parts in reading order: the order they come in
ORDER = (
    "logo",
    "text",
    "period",
    "cta",
    "phone",
    "qr",
    "qr_caption",
    "url",
    "line_id",
    "subtext",
)
PICTURES = ("logo", "cta")  # pictures: they move as a whole (no typewriter, no words)
STAGGER = 0.08  # seconds between two parts coming in
SPREAD = 0.6  # the last part starts coming in by then, however many there are
ENTRANCE = 1.0  # a part whose duration is cmforge's has come in by then
PHONE_BY = 1.0  # the phone number is readable (settled) by then, whatever its duration
LOGO_RISE = 0.5  # the logo's default rise, as a slide-up when it also goes out

_PICTURE_HINT = (
    "the logo and the button are pictures: fade, pop or slide-up; typewriter and words are "
    "for the text parts (text, period, phone, url, line_id, qr_caption, subtext)"
)
_QR_HINT = 'the QR code never moves or scales, so it scans at every frame: "fade" or "none"'


def _anim_key(desc: str, ins: tuple[str, ...], outs: tuple[str, ...], hint: str) -> spec.F:
    return spec.F(
        "named",
        desc,
        choices=ins,
        hint=hint,
        fields={
            "in": spec.F("str", "how it comes in", choices=ins, hint=hint),
            "out": spec.F("str", "how it goes out", choices=outs, hint=hint),
            "duration": spec.ANIMATE.fields["duration"],  # type: ignore[index]
            "easing": spec.ANIMATE.fields["easing"],  # type: ignore[index]
        },
    )


_TEXT = _anim_key(
    f"this text: {' | '.join(spec.ANIMATIONS)}, or {{ in, out, duration, easing }}",
    spec.ANIMATIONS,
    spec.LEAVES,
    "",
)
_PICTURE = _anim_key(
    f"this picture: {' | '.join(spec.LEAVES)}, or {{ in, out, duration, easing }}",
    spec.LEAVES,
    spec.LEAVES,
    _PICTURE_HINT,
)
_QR = _anim_key(
    "the QR code: fade | none, or { in, out, duration } (it never moves or scales)",
    ("none", "fade"),
    ("none", "fade"),
    _QR_HINT,
)
ANIMATE = spec.F(
    "named",
    f"how its parts come in: {' | '.join(spec.ANIMATIONS)}, or {{ in, out, duration, easing, "
    "and a part's own: logo, text, period, cta, phone, qr, qr_caption, url, line_id, "
    "subtext }",
    choices=spec.ANIMATIONS,
    fields={
        **(spec.ANIMATE.fields or {}),
        **{p: (_QR if p == "qr" else _PICTURE if p in PICTURES else _TEXT) for p in ORDER},
    },
)


@dataclass(frozen=True)
class PartMotion:
    """One part's animation; enter "rise": the logo's default (compile/slate.py's logo_in);
    pulse: the button swells after it has come in."""

    part: str
    anim: Animate
    pulse: bool = False

    @property
    def default(self) -> bool:
        """Moves exactly as the end slate with no animate key (slate.logo_in, slate.pulsing)."""
        a = self.anim
        return a.leave == "none" and (
            a.enter == "rise" or (self.part == "cta" and a.enter == "none" and self.pulse)
        )


def moves_from(value: Any) -> tuple[PartMotion, ...] | None:
    """Every part's animation from the `animate` key (checked by ANIMATE); None: no key."""
    if value is None:
        return None
    table = {"in": value} if isinstance(value, str) else dict(value)
    return tuple(_part(p, table, table.get(p)) for p in ORDER)


def _part(part: str, table: dict, own: Any) -> PartMotion:
    own = {"in": own} if isinstance(own, str) else dict(own or {})
    given = own.get("in", table.get("in"))
    duration = own.get("duration", table.get("duration"))
    easing = own.get("easing", table.get("easing", "ease-out"))
    out = own.get("out", "none" if part == "qr" else table.get("out", "none"))
    if given is None:  # the default motion
        enter = "rise" if part == "logo" else "none"
    elif part == "qr":
        enter = "none" if given == "none" else "fade"
    elif part in PICTURES and given in ("typewriter", "words"):
        enter = "fade"  # only the slate-wide key can say so (a picture's own is checked)
    else:
        enter = given
    duration = float(duration) if duration is not None else None
    pulse = part == "cta" and given != "none"
    return PartMotion(part, Animate(enter, out, duration, easing), pulse)


@dataclass(frozen=True)
class Entrance:
    """A part's motion on the scene's clock: it starts `delay` frames into the end slate."""

    move: PartMotion
    delay: int
    motion: animate.Motion


def entrances(
    moves: tuple[PartMotion, ...], texts: dict[str, str], present: set[str], fps: float, frames: int
) -> dict[str, Entrance]:
    """Each present part's delay and Motion for an end slate of `frames` frames."""
    mine = [m for m in moves if m.part in present]
    coming = [m for m in mine if m.anim.enter not in ("none", "rise")]
    step = min(STAGGER, SPREAD / max(1, len(coming) - 1))
    delays = {m.part: round(i * step * fps) for i, m in enumerate(coming)}
    out = {}
    for m in mine:
        delay = delays.get(m.part, 0)
        anim = m.anim
        if anim.enter == "rise":
            anim = replace(anim, enter="slide-up", duration=anim.duration or LOGO_RISE)
        pulse = slate.PULSE_SCALE if m.pulse else 0.0
        motion = animate.Motion.of(anim, frames - delay, fps, texts.get(m.part, ""), pulse)
        by = PHONE_BY if m.part == "phone" else ENTRANCE if anim.duration is None else None
        if by is not None and motion.enter > round(by * fps) - delay:
            motion = replace(motion, enter=max(1, round(by * fps) - delay))
        out[m.part] = Entrance(m, delay, motion)
    return out


def settled(moves: tuple[PartMotion, ...], texts: dict[str, str], present: set[str]) -> dict:
    """Seconds into the end slate each present part has come in by."""
    fps = 100.0
    got = entrances(moves, texts, present, fps, 10**6)
    return {k: (e.delay + e.motion.enter) / fps for k, e in got.items()}


def still(e: Entrance) -> bool:
    """Drawn on the card: it never moves."""
    return e.motion.enter == 0 and e.motion.leave == 0 and not e.move.pulse


def draw(
    ctx: Ctx,
    p: Placed,
    first: int,
    last: int,
    moves: tuple[PartMotion, ...],
    card: dict[str, Any],
    texts: dict[str, TextBlock],
    boxes: dict[str, LogoBox],
    code: QrCode | None,
    look: slate.Look,
) -> str:
    """Frames [first, last) of an end slate with an animate key, on the scene's clock: the
    card with its still parts and every moving part over it where the layout placed it. Once
    every part has come in (frame `settle`) and until the first goes out (`leave`), the parts
    that have stopped moving are drawn on a second card instead, so a moving part costs only
    its own frames (the button, pulsing, is a layer throughout).
    card: slate.card's other arguments (background, footer)."""
    present = {*texts, *(k for k in boxes if k != "qr" or code is not None)}
    plan = entrances(
        moves, {k: t.text for k, t in texts.items()}, present, float(ctx.fps), p.frames
    )
    layers = [
        plan[n] for n in ORDER if n in plan and (n == "cta" or not still(plan[n]))
    ]  # over the card
    settling = [e for e in layers if e.move.part != "cta" and not e.move.default]
    settle = max((e.delay + e.motion.enter for e in settling), default=0)
    leave = min((p.frames - e.motion.leave for e in settling), default=p.frames)
    if settle >= leave:  # no frame with them all at rest
        settle = leave = p.frames
    cards = [(_card(ctx, card, texts, boxes, code, look, plan, set()), 0, settle)]
    if leave > settle:
        done = {e.move.part for e in settling}
        cards.append((_card(ctx, card, texts, boxes, code, look, plan, done), settle, leave))
        cards.append((cards[0][0], leave, p.frames))
    video = _cards_on_clock(ctx, cards, first, last)
    for e in layers:
        rest = e in settling
        for a, b in ((0, settle), (leave, p.frames)) if rest else ((0, p.frames),):
            video = _part_over(ctx, video, e, max(first, a), min(last, b), texts, boxes, code, look)
    return slate.frames_from_zero(ctx, video, first)


def _card(
    ctx: Ctx,
    card: dict[str, Any],
    texts: dict[str, TextBlock],
    boxes: dict[str, LogoBox],
    code: QrCode | None,
    look: slate.Look,
    plan: dict[str, Entrance],
    done: set[str],
):
    """The card with the still parts and those in `done` (come in, at rest)."""
    on = {k for k, e in plan.items() if still(e)} | done
    kept = {k: t for k, t in texts.items() if k != "cta" and k in on}
    bare: tuple[str, ...] = ()
    if "phone" in texts and "phone" not in on and plan["phone"].motion.reveals:
        kept["phone"], bare = texts["phone"], ("phone",)  # the digits type into the pill
    qr = (code, boxes["qr"]) if code is not None and "qr" in on else None
    logo = boxes.get("logo") if "logo" in on else None
    return slate.card(
        ctx.stills,
        card["background"],
        ctx.size,
        kept,
        qr,
        logo,
        look,
        ctx.scale,
        card["footer"],
        bare,
    )


def _cards_on_clock(ctx: Ctx, cards: list[tuple], first: int, last: int) -> str:
    """The cards [(picture, from, to)] one after another, frames [first, last) of the
    scene, timestamps the scene's frame numbers."""
    held = [
        ctx.held(pic, min(b, last) - max(a, first))
        for pic, a, b in cards
        if min(b, last) > max(a, first)
    ]
    if len(held) == 1:
        video = held[0]
    else:
        video = ctx.graph.one(
            held, [Filter.of("concat", n=len(held), v=1, a=0), Filter.of("settb", ctx.tb)]
        )
    return ctx.graph.one(video, [Filter.of("setpts", f"N+{first}")], "m")


def _part_over(
    ctx: Ctx,
    video: str,
    e: Entrance,
    first: int,
    last: int,
    texts: dict[str, TextBlock],
    boxes: dict[str, LogoBox],
    code: QrCode | None,
    look: slate.Look,
) -> str:
    name, m, delay = e.move.part, e.motion, e.delay
    window = (max(0, first - delay), min(m.frames, last - delay))
    if window[0] >= window[1]:
        return video
    if e.move.default:  # exactly as an end slate with no animate key, all the piece long
        if name == "logo":
            return slate.logo_in(ctx, video, boxes["logo"], first, last)
        pic, x, y = slate.button(ctx.stills, texts["cta"], look)
        return slate.pulsing(ctx, video, pic, x, y, first, last)
    if name in ("logo", "qr"):
        b = boxes[name].box
        if name == "qr" and code is not None:
            pic = slate.qr_picture(ctx.stills, code, boxes["qr"])
        else:
            pic = ctx.stills.sized(boxes["logo"].src, (b.w, b.h))
        return animate.picture(ctx, video, pic, (b.w, b.h), (b.x, b.y), m, delay, window)
    t = texts[name]
    if name == "cta":
        pic, x, y = slate.button(ctx.stills, t, look)
        w, h = slate.size_of(pic)
        return animate.picture(ctx, video, pic, (w, h), (x, y), m, delay, window)
    if name == "phone" and not m.reveals:
        pic, b = slate.phone(ctx.stills, t, look, ctx.scale)
        return animate.picture(ctx, video, pic, (b.w, b.h), (b.x, b.y), m, delay, window)
    pics, pw, ph, pad = animate.pictures(ctx, t.text, t.style, t.measure_box, m)
    xy = (t.box.x + t.pad - pad, t.box.y + t.pad - pad)
    return animate.overlay(ctx, video, pics, (pw, ph), xy, m, delay, window)
