"""`cmforge check VIDEO...`: the delivery lint on the command line, as tables or as JSON.

Each file gets its table (or its entry in the JSON list); several files end with a summary.
A file that cannot be checked (missing, not a video) is said on stderr and the others are
still checked. Exit code: the worst of the files: 0 every line of every file passes, 1 a
line fails, 2 a file is missing or not a video."""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from ..delivery.check import CheckError, check_video
from ..delivery.judge import Report
from ..delivery.platforms import PLATFORMS
from ..delivery.standards import FORMATS, STANDARDS
from ..delivery.tvmaster import NAME as TV_MASTER
from ..errors import shown_path
from . import options
from .report import EXIT_INPUT, EXIT_OK, EXIT_RENDER


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
    p.add_argument(
        "videos",
        nargs="+",
        type=Path,
        metavar="VIDEO",
        help="the files to check (any number; a quoted pattern such as 'out/*.mp4' is expanded)",
    )
    p.add_argument(
        "--standard",
        choices=[*STANDARDS, TV_MASTER],
        default="web",
        help="web: -14 LUFS (default); ebu: -23 LUFS, 48 kHz; "
        "jp-tv: -24 LKFS, 48 kHz, 0.5 s of silence at both ends; "
        f"{TV_MASTER}: a Japanese TV commercial master (MXF XDCAM HD422, 1080/59.94i, leader, "
        "timecode, CM length, edge silence, loudness of the CM, CM code)",
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
    options.json_output(p, "a list of reports, one per file,")
    options.debug(p)
    p.set_defaults(run=run)
    return p


def files(patterns: list[Path]) -> list[Path]:
    """The files named: each as given, a pattern the shell left alone (quoted, or matching
    nothing) expanded in sorted order; a pattern matching nothing stays, to be reported."""
    out: list[Path] = []
    for p in patterns:
        text = str(p)
        found = sorted(glob.glob(text)) if glob.has_magic(text) and not p.exists() else []
        out += [Path(f) for f in found] or [p]
    return list(dict.fromkeys(out))  # a file named twice is checked once


def run(args: argparse.Namespace) -> int:
    size = args.size or FORMATS.get(args.format or "")
    reports: list[Report] = []
    entries: list[dict] = []  # --json: the reports, and the files that could not be checked
    unreadable: list[tuple[Path, str]] = []
    paths = files(args.videos)
    platforms = tuple(dict.fromkeys(args.platform))
    if args.standard == TV_MASTER and (size or args.duration or platforms):
        print(
            f"cmforge: note: --standard {TV_MASTER} sets its own size and length; "
            "--size, --format, --duration and --platform are not applied",
            file=sys.stderr,
        )
    for path in paths:
        try:
            if args.standard == TV_MASTER:  # the master's own rules: size and length included
                from ..delivery.tvmaster_check import check_master

                report = check_master(path)
            else:
                report = check_video(
                    path, args.standard, size=size, duration=args.duration, platforms=platforms
                )
        except CheckError as exc:
            print(f"cmforge: {exc}", file=sys.stderr)
            unreadable.append((path, str(exc)))
            entries.append({"file": str(path), "ok": False, "error": str(exc)})
            continue
        reports.append(report)
        entries.append(report.as_dict())
        if not args.json:
            gap = "\n" if len(reports) > 1 else ""  # a blank line between tables
            print(gap + table(report, wants_colour(sys.stdout)))
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    elif len(paths) > 1:
        print("\n" + summary(reports, [p for p, _ in unreadable], wants_colour(sys.stdout)))
    if unreadable:
        return EXIT_INPUT
    return EXIT_OK if all(r.ok for r in reports) else EXIT_RENDER


def summary(reports: list[Report], unreadable: list[Path], colour: bool = False) -> str:
    """The closing lines of a check of several files: how many passed, which failed and on
    what, which could not be checked."""
    failed = [r for r in reports if not r.ok]
    n = len(reports) + len(unreadable)
    parts = [f"{len(reports) - len(failed)} passed"]
    if failed:
        parts.append(f"{len(failed)} failed")
    if unreadable:
        parts.append(f"{len(unreadable)} could not be checked")
    ok = not failed and not unreadable
    rows = [f"{_mark(ok, colour)}: {n} files checked: {', '.join(parts)}"]
    for r in failed:
        rows.append(f"  FAIL  {shown_path(r.path)}: {', '.join(x.name for x in r.failures)}")
    for path in unreadable:
        rows.append(f"  ----  {shown_path(path)}: not checked")
    return "\n".join(rows)


def _mark(ok: bool, colour: bool) -> str:
    word = "PASS" if ok else "FAIL"
    return f"\x1b[{32 if ok else 31}m{word}\x1b[0m" if colour else word


def wants_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def table(report: Report, colour: bool = False) -> str:
    """One row per line (PASS/FAIL, name, value, expected), notes beneath, a summary last."""

    def mark(ok: bool) -> str:
        return _mark(ok, colour)

    name_w = max(len(line.name) for line in report.lines)
    value_w = min(28, max(len(line.value) for line in report.lines))
    rows = [f"{shown_path(report.path)} ({report.judged_by})"]
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
