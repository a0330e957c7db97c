"""`cmforge render --deliver jp-tv-cm [--cm-code CODE]` (or `output.deliver`): the broadcast
master of each variant, made from its rendered web file, beside it.

Before anything renders, every delivering variant's output is checked (16:9, 30 fps, 15 or
30 s) and its CM code settled: `--cm-code` or `output.cm_code` gives 10 characters (one
variant) or the 4-character advertiser code; the 6-character material code is derived from
the variant, its size and its length, so every distinct material gets its own code; without
any, the advertiser code is derived from the advertiser's name (a stand-in until the agency
registers one: docs/delivery.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..delivery.tvmaster import (
    NAME,
    advertiser_code,
    code_problem,
    derive_code,
    output_problems,
)
from ..errors import Problem, RecipeError, shown_path
from ..recipe.model import Recipe


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--deliver",
        choices=[NAME],
        help="also write each variant's broadcast master: jp-tv-cm = the Japanese TV "
        "commercial master (XDCAM HD422 MXF, 1080/59.94i, leader, CM at 01:00:00;00) with "
        "its sidecar JSON and printable summary (or output.deliver in the recipe)",
    )
    p.add_argument(
        "--cm-code",
        metavar="CODE",
        help="the CM code: 10 characters for one variant, or the 4-character advertiser code "
        "(the material code is then derived per variant, format and length)",
    )


def advertiser(r: Recipe) -> str:
    """output.advertiser, else the recipe's {{advertiser}} or {{school}} variable."""
    return r.output.advertiser or str(r.vars.get("advertiser") or r.vars.get("school") or "")


def plan_codes(args: argparse.Namespace, recipes: list[Recipe]) -> dict[str, str]:
    """variant -> CM code for every variant that delivers a master; RecipeError (all problems
    at once) when one cannot."""
    wanted = [r for r in recipes if getattr(args, "deliver", None) or r.output.deliver]
    problems: list[Problem] = []
    given = getattr(args, "cm_code", None) or ""
    if given and code_problem(given, prefix_ok=True):
        problems.append(
            Problem(
                code_problem(given, prefix_ok=True),
                hint="10 characters (e.g. AB12C34567), or the 4-character advertiser code",
                origin="--cm-code",
            )
        )
    codes: dict[str, str] = {}
    for r in wanted:
        o = r.output
        if not r.output.deliver:  # the recipe did not ask: check what --deliver needs here
            for key, message, hint in output_problems(
                o.width, o.height, float(o.fps), o.duration, ""
            ):
                problems.append(r.problem(key, f"--deliver {NAME}: {message}", hint))
        code = given or o.cm_code
        frames = round((o.duration or 0) * 30)
        if len(code) != 10:
            prefix = code or advertiser_code(advertiser(r) or r.file.stem)
            code = derive_code(prefix, (r.variant, o.width, o.height, frames))
        codes[r.variant] = code
    seen: dict[str, str] = {}
    by_name = {r.variant: r for r in wanted}
    for variant, code in codes.items():
        if code in seen:
            message = f"variants {seen[code]!r} and {variant!r} would share the CM code {code}"
            hint = (
                "every distinct material needs its own code: give 4 characters (the "
                "advertiser code) and cmforge derives the rest per variant"
            )
            if given:
                problems.append(Problem(message, hint=hint, origin="--cm-code"))
            else:
                problems.append(by_name[variant].problem("output.cm_code", message, hint))
        seen.setdefault(code, variant)
    if problems:
        raise RecipeError(problems)
    return codes


def make_masters(codes: dict[str, str], recipes: list[Recipe], variants: list, quiet: bool) -> bool:
    """The master of each rendered variant with a code; prints the files; False when a
    master fails its own check (the table is printed)."""
    from ..delivery.tvmaster_build import MasterInfo, build_master
    from .check import table

    by_name = {r.variant: r for r in recipes}
    ok = True
    for v in variants:
        r = by_name.get(v.variant)
        if v.status == "failed" or r is None or v.variant not in codes:
            continue
        code = codes[v.variant]
        if not quiet:
            print(f"mastering {v.variant} for TV ({NAME}, CM code {code})", file=sys.stderr)
        info = MasterInfo(
            code=code,
            advertiser=advertiser(r),
            title=r.display_name,
            variant=r.variant,
            frames=round((r.output.duration or 0) * 30),
            source=Path(v.output).name,
        )
        m = build_master(Path(v.output), Path(v.output).with_name(f"{code}.mxf"), info)
        for path in (m.path, m.sidecar, m.summary):
            print(shown_path(path))
        if not m.report.ok:
            ok = False
            print(table(m.report), file=sys.stderr)
    return ok
