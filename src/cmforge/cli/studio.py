"""`cmforge studio RECIPE`: a local page showing the recipe's previews, updated on every save."""

from __future__ import annotations

import argparse
import sys
import webbrowser

from ..errors import Problem, RecipeError
from . import options
from .plan_view import plan_table

LOOPBACK = "127.0.0.1"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "studio",
        help="a local web page showing every variant's preview beside its plan, re-rendered "
        "whenever the recipe or a file it reads is saved",
    )
    options.recipe(p)
    options.debug(p)
    p.add_argument(
        "--port", type=int, default=0, metavar="N", help="the port (default: a free one)"
    )
    p.add_argument(
        "--host",
        default=LOOPBACK,
        metavar="H",
        help="the address to listen on (default 127.0.0.1: this machine only); another "
        "address shows the recipe's folder to the network",
    )
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from ..studio import Studio, serve
    except ImportError as e:  # the extra is not installed
        raise RecipeError(
            [Problem(f"cmforge studio needs {e.name}", hint="pip install 'cmforge[studio]'")]
        ) from None
    if not args.recipe.is_file():
        raise RecipeError(
            [Problem("no such recipe file", file=args.recipe, hint="give the path of a .toml")]
        )
    if not 0 <= args.port <= 65535:
        raise RecipeError([Problem(f"--port {args.port}: expected a port from 0 to 65535")])
    if args.host != LOOPBACK:
        print(
            f"cmforge: warning: --host {args.host}: the studio and the files of the recipe's "
            "folder can be reached from other machines on that network",
            file=sys.stderr,
        )
    studio = Studio(args.recipe, plan_text=plan_table)
    try:
        running = serve(studio, args.host, args.port)
    except OSError as e:
        raise RecipeError(
            [
                Problem(
                    f"cannot listen on {args.host}:{args.port}: {e.strerror}",
                    hint="pick another --port, or leave it out for a free one",
                )
            ]
        ) from None
    with running:
        print(f"cmforge studio: {running.url}  (Ctrl-C stops it)", flush=True)
        if args.open:
            webbrowser.open(running.url)
        running.wait()
    return 0
