"""The TV master's pictures with words: the credit card in the leader (1920x1080, Japanese
labels, drawn with cmforge's text rendering) and the printable summary for the station's
paperwork (A4 at 150 dpi)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .tvmaster import SPEC, TvSpec

if TYPE_CHECKING:
    from .tvmaster_build import MasterInfo

CARD_BG, CARD_FG = (24, 24, 32), (235, 235, 235)  # the credit card: light text on near-black


def _text(draw_on, text: str, box: tuple[int, int, int, int], size: float, bold=False):  # noqa: ANN001
    from ..text.render import render_text
    from ..text.style import TextStyle

    x, y, w, h = box
    style = TextStyle(
        weight="bold" if bold else "regular", size=size, color=(*CARD_FG, 255), align="left",
        balance=False, max_size=size,
    )  # fmt: skip
    im = render_text(text, style, (w, h))
    draw_on.paste(im, (x, y), im)


def card_lines(info: MasterInfo, loudness: float) -> list[tuple[str, str]]:
    return [
        ("広告主", info.advertiser or "-"),
        ("タイトル", info.title),
        ("秒数", f"{round(info.frames / 30)}秒 ({info.frames} フレーム)"),
        ("CMコード", info.code),
        ("ラウドネス", f"{loudness:.1f} LKFS"),
    ]


def draw_card(info: MasterInfo, loudness: float, spec: TvSpec = SPEC):  # noqa: ANN201
    """The credit card (1920x1080 RGB), in the CM's frame, Japanese labels."""
    from PIL import Image

    w, h = spec.width, spec.height
    im = Image.new("RGB", (w, h), CARD_BG)
    rows = card_lines(info, loudness)
    size = h / 16
    top = int(h * 0.18)
    step = int(h * 0.13)
    for i, (label, value) in enumerate(rows):
        y = top + i * step
        _text(im, label, (int(w * 0.1), y, int(w * 0.22), int(step * 0.9)), size * 0.8)
        _text(im, value, (int(w * 0.34), y, int(w * 0.58), int(step * 0.9)), size, bold=True)
    return im


def draw_summary(data: dict, report):  # noqa: ANN001, ANN201
    """The printable summary (A4 at 150 dpi, white): the card's facts, the timecodes, the
    check's lines."""
    from PIL import Image, ImageDraw

    w, h = 1240, 1754
    im = Image.new("RGB", (w, h), "white")
    ImageDraw.Draw(im).rectangle((60, 60, w - 60, h - 60), outline=(0, 0, 0), width=3)
    rows = [
        ("CM素材 搬入票 (TV commercial master)", ""),
        ("CMコード", data["cm_code"]),
        ("広告主", data["advertiser"] or "-"),
        ("タイトル", data["title"]),
        ("秒数", f"{data['length_seconds']}秒 / {data['cm_frames']} フレーム"),
        ("ファイル", data["file"]),
        ("形式", data["format"]),
        ("タイムコード", f"CM {data['timecode']['cm_in']} - {data['timecode']['cm_out']} (DF)"),
        ("ファイル開始", data["timecode"]["file_start"]),
        ("ラウドネス", f"{data['loudness_lkfs']:.1f} LKFS / {data['true_peak_dbtp']:.1f} dBTP"),
        ("", ""),
        ("検査 (cmforge check --standard jp-tv-cm)", ""),
    ] + [(("PASS " if x.ok else "FAIL ") + x.name, x.value) for x in report.lines]
    y = 100
    for label, value in rows:
        for text, x, width, bold in ((label, 100, 420, True), (value, 540, 620, False)):
            if text:
                _dark_text(im, text, (x, y, width, 40), 26, bold)
        y += 60 if not value and label else 48
    return im


def _dark_text(im, text: str, box, size: float, bold: bool) -> None:  # noqa: ANN001
    from ..text.render import render_text
    from ..text.style import TextStyle

    x, y, w, h = box
    st = TextStyle(
        weight="bold" if bold else "regular", size=size, color=(0, 0, 0, 255), align="left",
        balance=False, max_size=size,
    )  # fmt: skip
    t = render_text(text, st, (w, h))
    im.paste(t, (x, y), t)
