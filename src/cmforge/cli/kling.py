"""`cmforge kling simulate | status`: a local Kling API on loopback; the task journal and the
account's resources."""

from __future__ import annotations

import argparse
from pathlib import Path

from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `kling` and its commands."""
    k = sub.add_parser("kling", help="the Kling API: simulate, status")
    ks = k.add_subparsers(dest="kling_command", required=True)
    sim = ks.add_parser("simulate", help="a local Kling API on loopback", add_help=False)
    sim.add_argument("args", nargs=argparse.REMAINDER)
    st = ks.add_parser("status", help="the task journal and the account's resources")
    st.add_argument("--recipe", type=Path, help="the recipe whose journal to read")
    k.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.kling_command == "simulate":
        return simulate(args.args)
    from ..generate.kling.status import status_lines

    for line in status_lines(args.recipe):
        print(line)
    return EXIT_OK


def simulate(argv: list[str]) -> int:
    """`cmforge kling simulate`: its options are its own, parsed before cmforge's."""
    from ..generate.kling.simulator import main

    return main(argv)
