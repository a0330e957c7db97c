"""The command line: `cmforge COMMAND ...`. The `cli` package is the only place that prints or
exits; the rest of cmforge returns values, calls callbacks and raises errors from
`cmforge.errors`, and `main` turns those into text and an exit code.

One module per command group (`render` also holds `validate` and `plan`; `project` holds
`init`, `templates` and `schema`); the options several commands share are in `options`."""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from ..errors import CmforgeError, RecipeError
from ..version import __version__
from . import cache, check, export, flux, generate, kling, library, project, render, variants
from .report import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_RENDER, bug_notice, print_problems

# in --help order
GROUPS = (render, generate, project, kling, flux, check, library, variants, cache, export)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="cmforge", description="Render short video ads from a TOML recipe."
    )
    ap.add_argument("--version", action="version", version=f"cmforge {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run one cmforge command; returns its exit code (0 done, 1 a render failed, 2 bad input)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["kling", "simulate"]:  # its own options, parsed by the simulator
        return kling.simulate(argv[2:])
    if argv[:2] == ["flux", "simulate"]:
        return flux.simulate(argv[2:])
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except RecipeError as e:
        print_problems(e)
        return EXIT_INPUT
    except CmforgeError as e:
        print(f"cmforge: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("cmforge: interrupted; no output was replaced", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `cmforge plan ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # a bug in cmforge, not in the user's input
        if args.debug:
            traceback.print_exc()
        print(
            f"cmforge: internal error ({type(e).__name__}: {e}).\n{bug_notice()}", file=sys.stderr
        )
        return EXIT_RENDER
