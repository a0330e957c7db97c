"""`cmforge cache info|clear`: the rendered-segment cache shared by every render."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..render import cache
from . import options


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser("cache", help="the rendered-segment cache: where, how big; clear it")
    sub = p.add_subparsers(dest="cache_command", required=True, metavar="info|clear")
    sub.add_parser("info", help="where the cache is, how many files, how big")
    c = sub.add_parser("clear", help="remove cached segments (all, or unused for some days)")
    c.add_argument(
        "--older-than", type=float, metavar="DAYS", help="only those unused for DAYS days"
    )
    for q in (p, *sub.choices.values()):
        options.debug(q)
    p.set_defaults(run=run)
    return p


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def run(args: argparse.Namespace) -> int:
    if args.cache_command == "info":
        i = cache.info()
        if i.root is None:
            print("cache: off (CMFORGE_CACHE=off): every segment is rendered each time")
            return 0
        print(f"cache:  {i.root}")
        print(f"files:  {i.files}")
        print(f"size:   {_size(i.bytes)}")
        if i.oldest is not None:
            print(f"oldest: unused for {i.oldest / 86400:.1f} days")
        print("set CMFORGE_CACHE to move it; `cmforge cache clear` empties it")
        return 0
    if args.older_than is not None and args.older_than < 0:
        print("cmforge cache clear: --older-than takes days, 0 or more", file=sys.stderr)
        return 2
    n, size = cache.clear(args.older_than)
    print(f"removed {n} file(s), {_size(size)}")
    return 0
