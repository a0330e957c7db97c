"""`cmforge kling simulate | status | account`: a local Kling API on loopback; the task journal
and the account's resources; the balance and what a recipe would cost."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from . import options
from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `kling` and its commands."""
    k = sub.add_parser("kling", help="the Kling API: simulate, status")
    ks = k.add_subparsers(dest="kling_command", required=True)
    sim = ks.add_parser("simulate", help="a local Kling API on loopback", add_help=False)
    sim.add_argument(
        "args", nargs=argparse.REMAINDER, help="its own options: cmforge kling simulate --help"
    )
    st = ks.add_parser("status", help="the task journal and the account's resources")
    st.add_argument("--recipe", type=Path, help="the recipe whose journal to read")
    acc = ks.add_parser(
        "account", help="what the account has left, and what a recipe would cost (--recipe)"
    )
    acc.add_argument("--recipe", type=Path, help="also what generating this recipe would cost")
    options.variant(acc)
    options.sets(acc)
    options.max_credits(acc)
    k.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.kling_command == "simulate":
        return simulate(args.args)
    if args.kling_command == "account":
        return account(args)
    from ..generate.kling.status import status_lines

    for line in status_lines(args.recipe):
        print(line)
    return EXIT_OK


def account(args: argparse.Namespace) -> int:
    """`cmforge kling account [--recipe R]`: the packs' balances (each in its unit and in
    dollars) and, for a recipe, what it would pay Kling and whether the packs cover it."""
    import os

    from ..generate.kling.status import balances

    packs = balances(os.environ)
    for pack in packs:
        print(f"account: {pack.text()}")
    if not packs:
        print("account: no resource pack (Kling bills prepaid packs only)")
    print("account: the balance may lag real usage by up to 12 hours (Kling's own figures)")
    if args.recipe is None:
        return EXIT_OK
    from ..assets import load_recipe, recipe_cost

    recipes = load_recipe(args.recipe, variants=args.variant, sets=args.set)
    cost = recipe_cost(recipes, args.max_credits, args.max_cost)
    print(f"recipe {args.recipe}: {len(recipes)} variant(s)")
    for line in cost.lines():
        print(f"  {line}")
    for line in cost.providers:
        if line.provider != "kling":
            continue
        left = sum(p.remaining for p in packs if p.unit == line.unit)
        verdict = "enough" if left >= line.amount else "NOT enough"
        print(f"  kling: {line.amount:g} {line.unit} needed, {left:g} {line.unit} left: {verdict}")
    return EXIT_OK


def _simulate_parser() -> argparse.ArgumentParser:
    from ..generate.kling.sim.model import DUPLICATES, LOOKUPS

    p = argparse.ArgumentParser(
        prog="cmforge kling simulate", description="A local Kling API for tests and demos."
    )
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--latency", type=float, default=60.0, help="seconds per std 5 s clip")
    p.add_argument("--fail-rate", type=float, default=0.0, help="chance of a transient fault")
    p.add_argument("--seed", type=int, default=None, help="repeatable task ids and faults")
    p.add_argument("--access-key", default="cmforge-simulator", help="the access key it accepts")
    p.add_argument("--secret-key", default=None, help="default: a random one")
    p.add_argument("--url-ttl", type=float, default=30 * 86400.0, help="result URL lifetime, s")
    p.add_argument("--concurrency", type=int, default=5, help="parallel tasks allowed")
    p.add_argument(
        "--external-lookup",
        choices=LOOKUPS,
        default="both",
        help="which forms of the lookup by external_task_id answer",
    )
    p.add_argument(
        "--duplicate-external",
        choices=DUPLICATES,
        default="refuse",
        help="a create whose external_task_id is taken: refused (400/1201) or a second task",
    )
    p.add_argument("--serve-for", type=float, default=0.0, help="stop after S seconds (0: never)")
    return p


def simulate(argv: list[str], out: TextIO | None = None) -> int:
    """`cmforge kling simulate`: serve until Ctrl-C (or --serve-for seconds). Its options are
    its own, parsed before cmforge's; `out` (default stdout) gets how to connect to it."""
    from ..generate.kling import Simulator

    args = _simulate_parser().parse_args(argv)
    out = out or sys.stdout
    sim = Simulator(
        args.port,
        args.latency,
        args.fail_rate,
        args.seed,
        access_key=args.access_key,
        secret_key=args.secret_key,
        url_ttl=args.url_ttl,
        concurrency=args.concurrency,
        external_lookup=args.external_lookup,
        duplicate_external=args.duplicate_external,
    )
    with sim:
        out.write(f"Kling simulator at {sim.base_url} (Ctrl-C stops it)\n")
        for name, value in sim.env().items():
            out.write(f"export {name}={value}\n")
        out.flush()
        deadline = time.monotonic() + args.serve_for if args.serve_for > 0 else None
        stop = threading.Event()
        try:
            while deadline is None or time.monotonic() < deadline:
                stop.wait(0.2)
        except KeyboardInterrupt:
            pass
    return EXIT_OK
