"""`cmforge flux simulate | account`: a local FLUX (Black Forest Labs) API on loopback, and the
account's balance with what a recipe's stills would cost."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `flux` and its commands."""
    f = sub.add_parser("flux", help="the FLUX image API: simulate, account")
    fs = f.add_subparsers(dest="flux_command", required=True)
    sim = fs.add_parser("simulate", help="a local FLUX API on loopback", add_help=False)
    sim.add_argument(
        "args", nargs=argparse.REMAINDER, help="its own options: cmforge flux simulate --help"
    )
    acc = fs.add_parser(
        "account", help="the FLUX balance (BFL_API_KEY), and what a recipe's stills would cost"
    )
    acc.add_argument("recipe", type=Path, nargs="?", help="a recipe to price")
    f.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.flux_command == "simulate":
        return simulate(args.args)
    return account(args.recipe)


def _simulate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cmforge flux simulate",
        description="A local FLUX (BFL) API for tests and dry runs: tasks, credits, faults.",
    )
    p.add_argument("--port", type=int, default=8766, help="0 picks a free port")
    p.add_argument("--api-key", default="cmforge-flux-simulator", help="the key it accepts")
    p.add_argument("--latency", type=float, default=5.0, help="seconds from create to Ready")
    p.add_argument("--fail-rate", type=float, default=0.0, help="chance a task ends in Error")
    p.add_argument("--moderate-rate", type=float, default=0.0, help="chance it is moderated")
    p.add_argument(
        "--lost-rate", type=float, default=0.0, help="chance a create's answer is lost (a 500)"
    )
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--credits", type=float, default=1000.0, help="the starting balance")
    p.add_argument("--max-active", type=int, default=24, help="tasks at once before a 429")
    p.add_argument("--url-ttl", type=float, default=600.0, help="sample URL lifetime, s")
    p.add_argument("--strict", action="store_true", help="unknown body fields answer 422")
    p.add_argument("--serve-for", type=float, default=0.0, help="stop after S seconds (0: never)")
    return p


def simulate(argv: list[str], out: TextIO | None = None) -> int:
    """Serve until Ctrl-C (or --serve-for seconds); prints how to point cmforge at it."""
    from ..generate.flux.sim import Simulator

    args = _simulate_parser().parse_args(argv)
    out = out or sys.stdout
    sim = Simulator(
        args.port,
        args.latency,
        args.fail_rate,
        args.seed,
        api_key=args.api_key,
        moderate_rate=args.moderate_rate,
        lost_rate=args.lost_rate,
        credits=args.credits,
        max_active=args.max_active,
        url_ttl=args.url_ttl,
        strict=args.strict,
    )
    with sim:
        out.write(f"FLUX simulator at {sim.base_url} (Ctrl-C stops it)\n")
        for name, value in sim.env().items():
            out.write(f"export {name}={value}\n")
        out.write(f"tasks created: {sim.base_url}/_sim/tasks\n")
        out.flush()
        deadline = time.monotonic() + args.serve_for if args.serve_for > 0 else None
        stop = threading.Event()
        try:
            while deadline is None or time.monotonic() < deadline:
                stop.wait(0.2)
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def account(recipe: Path | None) -> int:
    """The balance, and what the recipe's FLUX stills (not made yet) would cost."""
    from ..generate.flux.client import BASE_ENV, DEFAULT_BASE_URL, FluxClient
    from ..generate.prices import FLUX_CREDITS, money, usd

    balance = None
    if os.environ.get("BFL_API_KEY"):
        client = FluxClient.from_env(os.environ)
        try:
            balance = client.credits()
        finally:
            client.close()
        where = os.environ.get(BASE_ENV) or DEFAULT_BASE_URL
        if balance is None:
            print(f"FLUX at {where} does not tell the balance")
        else:
            print(f"FLUX balance: {balance:g} {FLUX_CREDITS} = {money(usd(balance, FLUX_CREDITS))}")
    else:
        print("FLUX balance: unknown (no BFL_API_KEY set)")
    if recipe is None:
        return EXIT_OK
    from ..assets import load_recipe, recipe_cost

    cost = recipe_cost(load_recipe(recipe))
    flux = [p for p in cost.providers if p.provider == "flux"]
    total = sum(p.amount for p in flux)
    print(
        f"{recipe.name}: {sum(p.items for p in flux)} FLUX still(s) to make: {total:g} "
        f"{FLUX_CREDITS} = {money(usd(total, FLUX_CREDITS))}"
    )
    for other in cost.providers:
        if other.provider != "flux":
            print(f"  and {other.text()}")
    print(f"everything paid: {money(cost.usd)}; budget {cost.budget.text()}")
    if cost.over:
        print(f"  above the budget: {cost.over}")
    if balance is not None:
        left = balance - total
        print(
            f"after it: {left:g} {FLUX_CREDITS} left"
            + ("" if left >= 0 else " (not enough: buy credits first)")
        )
    return EXIT_OK
