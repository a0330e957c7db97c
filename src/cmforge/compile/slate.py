"""The end slate's pictures and motion: the card behind (background, texts, the phone number's
outlined pill, the QR code on whole-pixel modules), the call-to-action button, and the two
movements a call to action gets: the logo comes in (fade and a short rise, eased), the button
pulses (a swell and a rest). Both are FFmpeg expressions over pictures Pillow drew once, on
the scene's own clock, so a scene cut into pieces (a transition's frames, its body) moves
continuously across them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from ..layout import Box, LogoBox, TextBlock
from ..recipe.model import Background
from ..text import render_text
from ..text.qr import QrCode
from .context import Ctx
from .graph import Filter
from .stills import Stills, _stamp, load_rgba

F = Filter.of
LOGO_IN = 0.5  # seconds the logo takes to come in
LOGO_RISE = 0.06  # of the logo's height it rises while coming in
PULSE_START = 0.7  # seconds into the end slate the button starts to pulse
PULSE_EVERY = 1.2  # seconds from one pulse to the next
PULSE_SWELL = 0.45  # seconds one pulse takes (the rest is still)
PULSE_SCALE = 0.05  # how much larger the button gets at the top of a pulse
FOOTER_GAP = 24  # px at 1080 between the safe zone and the footer
STRIPE_PX = 8  # px at 1080: the accent stripe along the footer's top


@dataclass(frozen=True)
class Look:
    """The end slate's colours: text, the button's fill and its text, the pill's outline."""

    text: tuple
    accent: tuple
    on_accent: tuple


def pill(draw: ImageDraw.ImageDraw, box: tuple, fill=None, outline=None, width: int = 0) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(
        (x0, y0, x1 - 1, y1 - 1), radius=(y1 - y0) // 2, fill=fill, outline=outline, width=width
    )


def widened(block: TextBlock, share: float = 0.62) -> tuple[int, int, int, int]:
    """A button's box: the text's box, at least `share` of the width it was sized in, centred
    on the text (so a short call to action still looks like a button)."""
    b = block.box
    want = max(b.w, min(block.measure_box[0] + 2 * block.pad, round(share * block.measure_box[0])))
    x = b.x + b.w // 2 - want // 2
    return x, b.y, x + want, b.bottom


def card(
    stills: Stills,
    bg: Background,
    size: tuple[int, int],
    texts: dict[str, TextBlock],
    qr: tuple[QrCode, LogoBox] | None,
    logo: LogoBox | None,
    look: Look,
    scale: float,
    footer: int | None = None,
    bare: tuple[str, ...] = (),
) -> Path:
    """The still part of the end slate: background, every text but the button's, the phone's
    pill, the QR code (and the logo when it does not move); from `footer` (px from the top)
    down, a footer band in the text colour under a stripe of the accent (below the safe zone,
    where a vertical app writes its own white text: a dark band keeps it legible).
    bare: the texts whose backing (the phone's pill) is drawn without their text (it types
    in over it)."""
    params = {
        "footer": footer,
        "bg": repr(bg),
        "size": size,
        "texts": sorted((k, repr(t)) for k, t in texts.items()),
        "qr": (qr[0].payload, qr[0].matrix.__hash__(), repr(qr[1])) if qr else None,
        "logo": (_stamp(logo.src), repr(logo.box)) if logo else None,
        "look": repr(look),
        "v": 2,  # how it is drawn: a change here remakes every end slate
    }
    if bare:
        params["bare"] = sorted(bare)

    def make() -> Image.Image:
        im = stills.background(bg, size).convert("RGBA")
        if footer is not None and footer < size[1]:
            band = Image.new("RGBA", (size[0], size[1] - footer), (*look.text[:3], 255))
            im.alpha_composite(band, (0, footer))
            stripe = max(2, round(STRIPE_PX * scale))
            im.alpha_composite(Image.new("RGBA", (size[0], stripe), look.accent), (0, footer))
        draw = ImageDraw.Draw(im)
        if logo is not None:
            b = logo.box
            im.alpha_composite(load_rgba(logo.src).resize((b.w, b.h), Image.LANCZOS), (b.x, b.y))
        for name, t in texts.items():
            if name == "phone":
                line = max(2, round(4 * scale))
                pill(draw, widened(t, 0.0), outline=look.text, width=line)
            if name in bare:
                continue
            pic = render_text(t.text, t.style, t.measure_box, stills.base_dir)
            im.alpha_composite(pic, (t.box.x + t.pad, t.box.y + t.pad))
        if qr is not None:
            code, b = qr
            im.paste(code.image(b.module), (b.box.x, b.box.y))
        return im.convert("RGB")

    return stills._cached("endslate", params, make)


def button(stills: Stills, block: TextBlock, look: Look) -> tuple[Path, int, int]:
    """The call-to-action button as a picture with room around it for its pulse; (picture,
    x, y) of its top-left corner on the frame."""
    x0, y0, x1, y1 = widened(block)
    w, h = x1 - x0, y1 - y0
    room = math.ceil(max(w, h) * PULSE_SCALE / 2) + 2
    params = {"block": repr(block), "look": repr(look), "room": room, "v": 1}

    def make() -> Image.Image:
        im = Image.new("RGBA", (w + 2 * room, h + 2 * room), (0, 0, 0, 0))
        pill(ImageDraw.Draw(im), (room, room, room + w, room + h), fill=look.accent)
        pic = render_text(block.text, block.style, block.measure_box, stills.base_dir)
        tx = room + (w - pic.width) // 2
        im.alpha_composite(pic, (tx, room + block.pad))
        return im

    return stills._cached("button", params, make), x0 - room, y0 - room


def phone(stills: Stills, block: TextBlock, look: Look, scale: float) -> tuple[Path, Box]:
    """The phone number in its outlined pill as a picture of its own (as the card draws it),
    and where it goes: for a phone number that comes in as one piece."""
    b = block.box
    line = max(2, round(4 * scale))
    params = {"block": repr(block), "look": repr(look), "line": line, "v": 1}

    def make() -> Image.Image:
        im = Image.new("RGBA", (b.w, b.h), (0, 0, 0, 0))
        pill(ImageDraw.Draw(im), (0, 0, b.w, b.h), outline=look.text, width=line)
        pic = render_text(block.text, block.style, block.measure_box, stills.base_dir)
        im.alpha_composite(pic, (block.pad, block.pad))
        return im

    return stills._cached("phone", params, make), b


def qr_picture(stills: Stills, code: QrCode, where: LogoBox) -> Path:
    """The QR code as a picture of its own, on whole-pixel modules as the card draws it: for
    a QR code that fades in (it never moves or scales)."""
    params = {"payload": code.payload, "module": where.module, "v": 1}
    return stills._cached("qr", params, lambda: code.image(where.module).convert("RGBA"))


def size_of(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


def _on_clock(ctx: Ctx, label: str, first: int) -> str:
    """A layer made for frames [0, last) of the scene, cut to [first, last) keeping the
    scene's frame numbers as its timestamps."""
    if not first:
        return label
    return ctx.graph.one(label, [F("trim", start_frame=first)], "m")


def logo_in(ctx: Ctx, video: str, logo: LogoBox, first: int, last: int) -> str:
    """The logo over `video` (timestamps = the scene's frame numbers), faded in while it
    rises LOGO_RISE of its height into place, eased out."""
    b = logo.box
    pic = ctx.stills.logo(logo.src, b.w, 1.0)[0]
    d = LOGO_IN
    layer = ctx.held(pic, last, alpha=True, extra=[F("fade", t="in", st=0, d=d, alpha=1)])
    layer = _on_clock(ctx, layer, first)
    rise = round(b.h * LOGO_RISE)
    y = f"{b.y}+{rise}*pow(1-min(t/{d:g},1),3)"
    return ctx.graph.one(
        [video, layer],
        [F("overlay", x=b.x, y=y, eval="frame", eof_action="pass", format="yuv420")],
        "v",
    )


def pulse_zoom(fps: float) -> str:
    """The button's size (1 = as drawn) at input frame `in` of the scene: still until
    PULSE_START, then a smooth swell (sin²) of PULSE_SWELL every PULSE_EVERY seconds."""
    start, every, swell = (round(v * fps) for v in (PULSE_START, PULSE_EVERY, PULSE_SWELL))
    phase = f"mod(in-{start},{max(every, 1)})"
    return (
        f"(1+{PULSE_SCALE:g}*gte(in,{start})*lt({phase},{max(swell, 1)})"
        f"*pow(sin(PI*{phase}/{max(swell, 1)}),2))"
    )


def pulsing(ctx: Ctx, video: str, pic: Path, x: int, y: int, first: int, last: int) -> str:
    """The button over `video`, swelling about its centre by `perspective` (fixed point,
    sub-pixel) inside the room its picture keeps around it."""
    z = pulse_zoom(float(ctx.fps))
    corners = {
        "x0": f"W*(1-{z})/2",
        "y0": f"H*(1-{z})/2",
        "x1": f"W*(1+{z})/2",
        "y1": f"H*(1-{z})/2",
        "x2": f"W*(1-{z})/2",
        "y2": f"H*(1+{z})/2",
        "x3": f"W*(1+{z})/2",
        "y3": f"H*(1+{z})/2",
    }
    grow = F("perspective", sense="destination", interpolation="linear", eval="frame", **corners)
    layer = _on_clock(ctx, ctx.held(pic, last, alpha=True, extra=[grow]), first)
    return ctx.graph.one(
        [video, layer], [F("overlay", x=x, y=y, eof_action="pass", format="yuv420")], "v"
    )


def on_scene_clock(ctx: Ctx, still: Path, first: int, last: int) -> str:
    """The card held for frames [first, last), its timestamps the scene's frame numbers."""
    video = ctx.held(still, last - first)
    return ctx.graph.one(video, [F("setpts", f"N+{first}")], "m") if first else video


def frames_from_zero(ctx: Ctx, video: str, first: int) -> str:
    """Back to the piece's own clock (timestamps from 0), as every scene stream ends."""
    return ctx.graph.one(video, [F("setpts", "N")], "m") if first else video
