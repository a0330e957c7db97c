"""`cmforge check VIDEO`: the delivery lint on the command line, as a table or as JSON.

Exit codes: 0 every line passes, 1 a line fails, 2 the file is missing or not a video (the
CheckError is printed by cli.main, like every other error a user can act on)."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from ..delivery.check import check_video
from ..delivery.judge import Report
from ..delivery.platforms import PLATFORMS
from ..delivery.standards import FORMATS, STANDARDS
from . import options


def _size(text: str) -> tuple[int, int]:
    w, x, h = text.lower().partition("x")
    if not (x and w.isdigit() and h.isdigit() and int(w) > 0 and int(h) > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1080x1920")
    return int(w), int(h)


def _platforms(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        if n not in PLATFORMS:
            close = difflib.get_close_matches(n, list(PLATFORMS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise argparse.ArgumentTypeError(
                f"{n!r} is not a platform{hint}; choose from {', '.join(PLATFORMS)}"
            )
    return names


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "check", help="lint any video for delivery: size, frame rate, colour, loudness, silence"
    )
    p.add_argument("video", type=Path)
    p.add_argument(
        "--standard",
        choices=list(STANDARDS),
        default="web",
        help="web: -14 LUFS (default); ebu: -23 LUFS, 48 kHz; "
        "jp-tv: -24 LKFS, 48 kHz, 0.5 s of silence at both ends",
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--size", type=_size, metavar="WxH", help="require this exact size")
    size.add_argument(
        "--format",
        choices=list(FORMATS),
        help="require " + ", ".join(f"{k} {w}x{h}" for k, (w, h) in FORMATS.items()),
    )
    p.add_argument(
        "--duration", type=float, metavar="SECONDS", help="require this length, to the frame"
    )
    p.add_argument(
        "--platform",
        type=_platforms,
        action="extend",
        default=[],
        metavar="NAME",
        help="add a platform's delivery rules (size, frame rate, length, file size, sound): "
        + ", ".join(PLATFORMS)
        + "; repeat it or separate names with commas",
    )
    options.json_output(p, "the report")
    options.debug(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    size = args.size or FORMATS.get(args.format or "")
    report = check_video(
        args.video,
        args.standard,
        size=size,
        duration=args.duration,
        platforms=tuple(dict.fromkeys(args.platform)),
    )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(table(report, colour=wants_colour(sys.stdout)))
    return 0 if report.ok else 1


def wants_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def table(report: Report, colour: bool = False) -> str:
    """One row per line (PASS/FAIL, name, value, expected), notes beneath, a summary last."""

    def mark(ok: bool) -> str:
        word = "PASS" if ok else "FAIL"
        return f"\x1b[{32 if ok else 31}m{word}\x1b[0m" if colour else word

    name_w = max(len(line.name) for line in report.lines)
    value_w = min(28, max(len(line.value) for line in report.lines))
    rows = [f"{report.path} ({report.judged_by})"]
    for line in report.lines:
        rows.append(
            f"  {mark(line.ok)}  {line.name:<{name_w}}  {line.value:<{value_w}}  {line.expected}"
        )
        if line.note:
            rows.append(f"  {'':4}  {'':<{name_w}}  {line.note}")
    n, failed = len(report.lines), report.failures
    if failed:
        names = ", ".join(line.name for line in failed)
        rows.append(f"{mark(False)}: {len(failed)} of {n} checks failed ({names})")
    else:
        rows.append(f"{mark(True)}: all {n} checks passed for {report.judged_by}")
    return "\n".join(rows)
