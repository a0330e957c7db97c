"""The end slate: the closing card with the call to action. The logo (coming in), the school's
name unless the logo carries it (`name = false`), the campaign dates, a call-to-action button
(pulsing), the phone number large in an outlined pill, the QR code with its caption, the URL
and the LINE ID; laid out for the frame's shape (endslate_layout.py), placed inside the safe
zone by the layout stage, drawn and moved by compile/slate.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from ..compile import slate
from ..compile.context import Ctx
from ..layout import Part, text_style
from ..layout.geometry import band as zone_band
from ..layout.geometry import even_down
from ..recipe import spec
from ..recipe.build import Builder, style_from
from ..recipe.model import SceneTable, Stroke, Style
from ..text.qr import MIN_MODULE_PX, QrTooLong, is_web_url, make_qr, shown_url
from ..timeline import Placed
from ..units import parse_color
from .card import Card
from .endslate_layout import (
    BESIDE,
    LEFT_IN,
    PADS,
    QR_SITS,
    SIZES,
    WEIGHTS,
    bands,
    caption_column,
    shape_of,
)
from .endslate_motion import ANIMATE, PartMotion, draw, moves_from, settled

TEXT_COLOR = "#1d3557"
ACCENT = "#e63946"  # the button's default fill: a warm red that reads as "act now"
QR_CAPTION = "QRコードからアクセス"
LOGO_WIDTH = 0.75  # of its row's width
LEAST_QR, LEAST_CTA = 3.0, 2.5  # seconds on screen: to scan a QR code; to act on a call


def _contrast(a: tuple, b: tuple) -> float:
    def lum(c: tuple) -> float:
        ch = [v / 255 for v in c[:3]]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class EndSlate(Card):
    logo: Path | None = None
    show_name: bool = True  # name = false: the logo carries the school's name
    cta: str = ""
    phone: str = ""
    url: str = ""
    line_id: str = ""
    period: str = ""
    qr: str = ""  # what the QR code encodes ("": no QR code)
    qr_caption: str = QR_CAPTION
    accent: tuple = parse_color(ACCENT)
    moves: tuple[PartMotion, ...] | None = None  # animate (endslate_motion.py); None: default

    type: ClassVar[str] = "endslate"
    timing_role: ClassVar[str] = "endslate"
    fields: ClassVar[dict[str, spec.F]] = {
        **spec.COMMON,
        "name": spec.F(
            "strbool", "false: the logo already carries the school's name (text not drawn)"
        ),
        "logo": spec.F("path", "logo image (alpha kept)"),
        "text": spec.F("str", "the school's name"),
        "subtext": spec.F("str", "a smaller line at the bottom"),
        "cta": spec.F("str", "the call to action, drawn as a button (無料体験 受付中)"),
        "phone": spec.F("str", "phone number, large"),
        "url": spec.F("str", "web address (http:// or https://), shown without the scheme"),
        "line_id": spec.F("str", "LINE official account ID (@...)"),
        "period": spec.F("str", "campaign dates (3/1〜3/31)"),
        "qr": spec.F("strbool", "true: a QR code of url; or the text to encode"),
        "qr_caption": spec.F("str", "the line beside the QR code (default QRコードからアクセス)"),
        "accent": spec.F("color", "the button's colour"),
        "background": spec.F("background", "colour, gradient or image"),
        "color": spec.F("color", "text colour"),
        "font": spec.F("str", "font"),
        "animate": ANIMATE,
    }

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> EndSlate:
        d = t.values
        st = style_from(t.style, {**d, "color": d.get("color", TEXT_COLOR)})
        st = Style(st.font, st.weight, st.color, st.size, Stroke(st.stroke.color, 0), False)
        url = d.get("url", "").strip()
        if url and not is_web_url(url):
            b.check.add(
                f"{t.key}.url",
                f"not a web address: {url!r} (expected http:// or https:// and a host)",
                'write it in full, e.g. url = "https://example.com/trial"',
            )
        return cls(
            **t.common,
            text=d.get("text", ""),
            subtext=d.get("subtext", ""),
            background=b.background(d.get("background"), f"{t.key}.background", "#ffffff"),
            style=st,
            logo=b.path(d["logo"]) if "logo" in d else None,
            show_name=d.get("name") is not False,
            cta=d.get("cta", ""),
            phone=d.get("phone", ""),
            url=url,
            line_id=d.get("line_id", ""),
            period=d.get("period", ""),
            qr=_payload(b, t.key, d.get("qr", False), url),
            qr_caption=d.get("qr_caption", QR_CAPTION),
            accent=parse_color(d["accent"]) if "accent" in d else parse_color(ACCENT),
            moves=moves_from(d.get("animate")),
        )

    def files(self) -> list[tuple[str, Path, str]]:
        out = [(f"{self.key}.logo", self.logo, "image")] if self.logo is not None else []
        bg = self.background
        if bg is not None and bg.image is not None:
            out.append((f"{self.key}.background", bg.image, "image"))
        return out

    # --- what it says -----------------------------------------------------------------------
    def label(self) -> str:
        return (self.name_text() or self.cta or self.type)[:24]

    def name_text(self) -> str:
        return self.text if self.show_name else ""

    def shown_text(self) -> str:
        return "\n".join(t for t in (self.name_text(), self.period, self.cta, self.subtext) if t)

    def least_seconds(self) -> tuple[float, str] | None:
        """The least time on screen it needs, and why (timeline/warnings.py)."""
        come = self.settled()
        if self.qr:
            return LEAST_QR + come.get("qr", 0.0), "a QR code needs time to be scanned" + (
                f" once it has come in, at {come['qr']:.2f} s" if come.get("qr") else ""
            )
        acts = [come.get(k, 0.0) for k in ("cta", "phone", "url", "line_id") if getattr(self, k)]
        if acts:
            late = max(acts)
            return LEAST_CTA + late, "a call to action needs time to be acted on" + (
                f" once it has come in, at {late:.2f} s" if late else ""
            )
        return None

    def settled(self) -> dict[str, float]:
        """Seconds into the end slate each part has come in by (animate), else nothing."""
        if self.moves is None:
            return {}
        texts = {k: v for k, v in self.texts().items() if v}
        present = {*texts, *(["logo"] if self.logo else []), *(["qr"] if self.qr else [])}
        return settled(self.moves, texts, present)

    def texts(self) -> dict[str, str]:
        """Each text part by its key, as drawn."""
        line = self.line_id
        if line and not line.upper().startswith("LINE"):
            line = f"LINE {line}"
        return {
            "text": self.name_text(),
            "period": self.period,
            "cta": self.cta,
            "phone": f"☎ {self.phone}" if self.phone else "",
            "qr_caption": self.qr_caption if self.qr else "",
            "url": shown_url(self.url) if self.url else "",
            "line_id": line,
            "subtext": self.subtext,
        }

    def look(self) -> slate.Look:
        text = self.style.color
        white = (255, 255, 255, 255)
        on = white if _contrast(self.accent, white) >= 3.0 else text
        return slate.Look(text, self.accent, on)

    # --- where it goes ----------------------------------------------------------------------
    def layout_parts(self, scale: float, size=None, zone=None) -> list[Part]:
        w, h = size or (1080, 1920)
        texts = {k: v for k, v in self.texts().items() if v}
        present = [*texts, *(["logo"] if self.logo else []), *(["qr"] if self.qr else [])]
        shape = shape_of(w, h, bool(self.qr))
        code = make_qr(self.qr) if self.qr else None
        # + 6 px: its row is cut to even pixels at both ends
        # (and a whole pixel a module at least, however small the frame: `hard`)
        least = (
            {"qr": (code.modules * max(MIN_MODULE_PX * scale, 1) + 6, code.modules + 6)}
            if code
            else {}
        )
        where = bands(shape, present, zone.h if zone is not None else h / 2, scale, least)
        if code is not None and zone is not None and shape in BESIDE and "qr_caption" in where:
            # the caption right beside the code as the layout stage will draw it
            (top, bottom), (c0, c1) = where["qr"]
            row, wide = zone_band(zone, top, bottom), even_down(zone.w * (c1 - c0))
            side = min(row.h, wide) // code.modules * code.modules
            # again with the code at that size: what whole modules leave goes to the logo
            where = bands(shape, present, zone.h, scale, least, fixed={"qr": side + 6})
            where["qr_caption"] = (where["qr_caption"][0], caption_column(side, zone.w, scale))
        look = self.look()
        parts = []
        for name in present:
            band, column = where[name]
            common = {"band": band, "column": column, "role": "endslate"}
            if name == "logo":
                parts.append(Part("logo", logo=self.logo, width=LOGO_WIDTH, **common))
            elif name == "qr" and code is not None:
                side = "left" if name in LEFT_IN.get(shape, ()) else "center"
                parts.append(
                    Part(
                        "qr",
                        modules=code.modules,
                        min_module=MIN_MODULE_PX * scale,
                        align=side,
                        valign="bottom" if shape in QR_SITS else "center",
                        **common,
                    )
                )
            else:
                style = text_style(self.style, scale, size=SIZES[name])
                if name in WEIGHTS:
                    style = replace(style, weight=WEIGHTS[name])
                pad = PADS.get(name, 0.0) * scale
                if name == "cta":
                    style = replace(style, color=look.on_accent)
                align = "left" if name in LEFT_IN.get(shape, ()) else "center"
                parts.append(
                    Part(
                        name,
                        text=texts[name],
                        style=style,
                        pad=pad,
                        align=align,
                        symmetric=name in ("text", "cta"),
                        # a caption under the QR code sits right under it
                        valign="top" if name == "qr_caption" and shape in QR_SITS else "center",
                        **common,
                    )
                )
        return parts

    # --- how it is drawn --------------------------------------------------------------------
    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        lay, pre = ctx.layout, f"{self.key}."
        texts = {t.key[len(pre) :]: t for t in lay.texts if t.key.startswith(pre)} if lay else {}
        boxes = {b.key[len(pre) :]: b for b in lay.logos if b.key.startswith(pre)} if lay else {}
        look = self.look()
        cta = texts.pop("cta", None)
        qr = (make_qr(self.qr), boxes["qr"]) if self.qr and "qr" in boxes else None
        logo = boxes.get("logo")
        footer = None
        if lay is not None:
            footer = lay.zone.box.bottom + round(slate.FOOTER_GAP * ctx.scale)
        if self.moves is not None:
            card = {"background": self.background, "footer": footer}
            texts["cta"] = cta  # type: ignore[assignment]
            code = qr[0] if qr else None
            return draw(ctx, p, first, last, self.moves, card, _have(texts), boxes, code, look)
        still = slate.card(
            ctx.stills, self.background, ctx.size, texts, qr, None, look, ctx.scale, footer
        )
        video = slate.on_scene_clock(ctx, still, first, last)
        if logo is not None:
            video = slate.logo_in(ctx, video, logo, first, last)
        if cta is not None:
            pic, x, y = slate.button(ctx.stills, cta, look)
            video = slate.pulsing(ctx, video, pic, x, y, first, last)
        return slate.frames_from_zero(ctx, video, first)


def _have(texts: dict) -> dict:
    return {k: t for k, t in texts.items() if t is not None}


def _payload(b: Builder, key: str, qr: object, url: str) -> str:
    """What the QR code encodes: the url (qr = true), the text given, or nothing."""
    if qr is False:
        return ""
    if qr is True and not url:
        b.check.add(
            f"{key}.qr",
            "qr = true encodes the end slate's url, but it has no url",
            'add url = "https://...", or give the text to encode: qr = "..."',
        )
        return ""
    payload = url if qr is True else str(qr)
    if not payload.strip():
        b.check.add(f"{key}.qr", "qr is empty: nothing to encode", "give the text, or qr = true")
        return ""
    try:
        make_qr(payload)
    except QrTooLong as exc:
        b.check.add(f"{key}.qr", f"too long for a QR code: {exc}", "encode a shorter text or URL")
        return ""
    return payload
