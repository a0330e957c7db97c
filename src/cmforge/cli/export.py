"""`cmforge export`: each variant's timeline as a project a desktop editor opens."""

from __future__ import annotations

import argparse

from ..errors import shown_path
from . import options
from .report import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = options.recipe_command(
        sub, "export", "hand each variant's timeline to a desktop editor (OTIO, FCP 7 XML, MLT)"
    )
    p.add_argument(
        "--to",
        required=True,
        choices=("otio", "fcp7", "mlt"),
        help="otio: OpenTimelineIO (Resolve, Kdenlive); fcp7: FCP 7 XML (Premiere Pro, "
        "Resolve, OpenShot); mlt: MLT XML (Shotcut, Kdenlive, melt)",
    )
    options.output(p)  # default: the folder of the variant's video
    p.add_argument(
        "--bundle",
        action="store_true",
        help="copy every media file into DIR/media, so the folder moves to another machine",
    )
    options.max_credits(p)
    options.quiet(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export import export_recipe

    recipes = options.load(argparse.Namespace(**{**vars(args), "output": None}))
    options.check_all(recipes)
    for r in recipes:
        folder = args.output or r.output.path.parent
        done = export_recipe(
            r,
            args.to,
            folder,
            bundle=args.bundle,
            max_credits=args.max_credits,
            on_event=None if args.quiet else lambda m: print(f"cmforge: {m}"),
        )
        e = done.edit
        if args.quiet:
            print(shown_path(done.project))
        else:
            print(
                f"{r.variant or 'ad'}: {shown_path(done.project)} ({len(e.clips)} scenes, "
                f"{len(e.layers)} layers, {len(e.sounds)} sound clips, {e.frames} frames at "
                f"{e.fps} fps, {e.width}x{e.height})"
            )
    return EXIT_OK
