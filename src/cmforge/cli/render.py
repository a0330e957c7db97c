"""`cmforge render | validate | plan`: a recipe's variants rendered, checked or planned."""

from __future__ import annotations

import argparse
import json
import sys

from ..batch.events import DONE, FAILED, RENDER, START, Event
from ..errors import Problem, RecipeError, RenderError, shown_path
from ..pipeline import plan
from ..recipe.model import Recipe
from . import deliver, options
from .plan_view import hdr_notes
from .progress import ProgressDisplay
from .report import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_RENDER,
    bug_notice,
    problem_data,
    report_warnings,
    say,
    strict_error,
    variant_warnings,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `render`, `validate` and `plan`."""
    r = options.recipe_command(sub, "render", "render every variant of a recipe")
    options.output(r)
    options.preview(r)
    options.quiet(r)
    options.max_credits(r)
    options.retry_lost(r)
    r.add_argument(
        "--final",
        action="store_true",
        help="a video for delivery: refuse (exit 2) to write one containing an offline "
        "stand-in (a zoomed still or prompt card made without a provider's keys)",
    )
    r.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="variants rendered at once (default: half the CPU cores, at least 1)",
    )
    r.add_argument("--resume", action="store_true", help="skip variants whose video is up to date")
    deliver.add_options(r)
    r.add_argument(
        "--guides",
        action="store_true",
        help="draw the safe zone and every text and logo box over the --preview's picture and "
        "over the storyboard (never into a final video)",
    )
    r.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="where variants render: this machine, or a Dask cluster (with --scheduler)",
    )
    r.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, tcp://host:8786")
    _strict(r)
    r.set_defaults(run=run_render)
    v = options.recipe_command(sub, "validate", "check a recipe and its media without rendering")
    options.json_output(v, "the problems and timing warnings, and each variant's length,")
    _strict(v)
    v.set_defaults(run=run_validate)
    p = options.recipe_command(
        sub,
        "plan",
        "show the resolved timeline; renders nothing and runs no FFmpeg on the media "
        "(sound measured by an earlier render is shown; render measures the rest)",
    )
    options.json_output(p, "the full plan")
    p.add_argument(
        "--ffmpeg",
        action="store_true",
        help="print the ffmpeg commands a render runs (with the loudness correction once a "
        "render has measured it)",
    )
    options.output(p, listed=False)
    options.preview(p)
    options.max_credits(p, listed=False)
    _strict(p)
    p.set_defaults(run=run_plan)


def _strict(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict",
        action="store_true",
        help="make timing warnings errors (exit 2), e.g. for a CI pipeline",
    )


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {text!r}")
    return int(text)


def run_render(args: argparse.Namespace) -> int:
    recipes = options.load(args)
    # --quiet prints only the files: the manifest keeps the warnings, --strict still fails
    report_warnings(options.check_all(recipes), args.strict, shown=not args.quiet)
    args.tv_codes = {} if args.preview else deliver.plan_codes(args, recipes)
    if args.preview and (getattr(args, "deliver", None) or any(r.output.deliver for r in recipes)):
        print("cmforge: note: a --preview makes no TV master", file=sys.stderr)
    if len(recipes) > 1 or args.jobs or args.resume or args.executor != "local":
        return _render_batch(args, recipes)
    if args.guides and not args.preview and not args.quiet:
        print(
            "cmforge: note: --guides draws over a --preview and over a batch's storyboard; "
            "this final video is rendered without them",
            file=sys.stderr,
        )
    return _render_single(args, recipes)


def _render_single(args: argparse.Namespace, recipes: list[Recipe]) -> int:
    """One variant: a batch of one (the same runner, the same budget check), shown as a
    single render: "rendering NAME", the render's own messages, a progress bar of its own, no
    batch reports, and a failure reported as the error it is (its message and exit code)."""
    from ..batch import render_batch

    shown = _Single(args.quiet, args.preview)
    try:
        result = render_batch(
            recipes,
            jobs=1,
            preview=args.preview,
            guides=args.guides,
            max_credits=args.max_credits,
            max_cost=args.max_cost,
            final=args.final,
            on_event=shown.say,
            on_progress_factory=shown.bar,
            reports=False,
        )
    finally:
        shown.finish()
    for v in result.variants:
        if v.status == "failed":
            raise v.exception or RenderError(v.error)
        print(shown_path(v.output))
    stand_in_notice(result.variants)
    masters_ok = deliver.make_masters(args.tv_codes, recipes, result.variants, args.quiet)
    return EXIT_OK if masters_ok else EXIT_RENDER


class _Single:
    """What a render of one variant shows while the batch runner renders it."""

    def __init__(self, quiet: bool, preview: bool):
        self.quiet, self.preview = quiet, preview
        self.bars: list[ProgressDisplay] = []

    def say(self, message: str) -> None:
        if self.quiet:
            return
        if not isinstance(message, Event):  # about the batch, not the variant
            say(message)
        elif message.kind == START:
            print(
                f"rendering {message.variant}{' (preview)' if self.preview else ''}",
                file=sys.stderr,
            )
        elif message.kind not in (DONE, FAILED):  # the result tells those
            say(message.text if message.kind == RENDER else message)

    def bar(self, variant: str, _frames: int) -> ProgressDisplay:
        self.bars.append(ProgressDisplay(variant, quiet=self.quiet))
        return self.bars[-1]

    def finish(self) -> None:
        for bar in self.bars:
            bar.finish()


def _render_batch(args: argparse.Namespace, recipes: list[Recipe]) -> int:
    """Several variants at once (or --jobs/--resume/--executor): cmforge.batch does the work."""
    from ..batch import render_batch
    from .progress import BatchProgress

    executor = None
    if args.executor == "dask":
        if not args.scheduler:
            raise RecipeError([Problem("--executor dask needs --scheduler ADDRESS")])
        from ..batch import DaskExecutor

        executor = DaskExecutor(args.scheduler)
    display = BatchProgress(quiet=args.quiet)
    try:
        result = render_batch(
            recipes,
            jobs=args.jobs,
            resume=args.resume,
            preview=args.preview,
            guides=args.guides,
            max_credits=args.max_credits,
            max_cost=args.max_cost,
            final=args.final,
            on_event=display.say,
            on_progress_factory=display.variant,
            executor=executor,
        )
    finally:
        display.finish()
    for v in result.variants:
        if v.status != "failed":
            print(shown_path(v.output))
    for path in (result.storyboard, result.report_json, result.report_csv):
        if path is not None:
            print(shown_path(path))
    for v in result.failed:
        print(f"cmforge: {v.variant} failed: {v.error}", file=sys.stderr)
        if v.trace and args.debug:
            print(v.trace, file=sys.stderr)
    if any(v.trace for v in result.failed):
        print(bug_notice(), file=sys.stderr)
    if result.failed:
        n = len(result.failed)
        print(f"cmforge: {n} of {len(result.variants)} variants failed", file=sys.stderr)
    stand_in_notice(result.variants)
    masters_ok = deliver.make_masters(args.tv_codes, recipes, result.variants, args.quiet)
    return EXIT_RENDER if result.failed or not masters_ok else EXIT_OK


def stand_in_notice(variants: list) -> None:  # noqa: ANN001 - batch VariantResults
    """The last line a render prints, when a video it wrote contains offline stand-ins."""
    from ..assets.standins import stand_ins_text

    found = [
        (v, v.manifest.get("stand_ins") or [])
        for v in variants
        if v.status == "rendered" and v.manifest
    ]
    found = [(v, s) for v, s in found if s]
    if not found:
        return
    n = sum(len(s) for _v, s in found)
    where = "; ".join(f"{v.output.name}: {stand_ins_text(s)}" for v, s in found)
    print(
        f"cmforge: warning: {n} offline stand-in(s) in {len(found)} video(s), not for "
        f"delivery ({where}); set the provider's keys and render again (--final refuses this)",
        file=sys.stderr,
    )


def run_validate(args: argparse.Namespace) -> int:
    if args.json:
        return _validate_json(args)
    recipes = options.load(args)
    timelines = options.check_all(recipes)
    report_warnings(timelines, args.strict)
    for tl in timelines:
        print(
            f"ok: {tl.recipe.variant}: {len(tl.scenes)} scenes, {tl.duration:.3f} s, "
            f"{tl.frames} frames at {float(tl.fps):g} fps, {tl.width}x{tl.height}"
        )
        for line in hdr_notes(tl):  # HDR sources are converted: said, not silent
            print(f"  {line}")
    return EXIT_OK


def _validate_json(args: argparse.Namespace) -> int:
    """validate --json: every problem and warning as data (file, key, line, message, hint,
    severity), and each variant's length; the exit code is validate's own."""
    problems, timelines = [], []
    try:
        timelines = options.check_all(options.load(args))
    except RecipeError as e:
        problems = list(e.problems)
    warnings = []
    for w, names in variant_warnings(timelines):
        if args.strict:
            problems.append(strict_error(w))
        else:
            warnings.append({**problem_data(w), "variants": names})
    out = {
        "recipe": str(args.recipe),
        "ok": not problems,
        "problems": [problem_data(p) for p in problems],
        "warnings": warnings,
        "variants": [
            {
                "variant": tl.recipe.variant,
                "name": tl.recipe.display_name,
                "scenes": len(tl.scenes),
                "duration": round(tl.duration, 6),
                "frames": tl.frames,
                "fps": float(tl.fps),
                "width": tl.width,
                "height": tl.height,
            }
            for tl in timelines
        ],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return EXIT_INPUT if problems else EXIT_OK


def run_plan(args: argparse.Namespace) -> int:
    recipes = options.load(args)
    report_warnings(options.check_all(recipes), args.strict)
    plans = [plan(r, preview=args.preview) for r in recipes]
    if args.ffmpeg:
        for p in plans:
            if p.generation:
                print(
                    f"cmforge: note: {p.recipe.variant}: {len(p.generation)} clip(s) are not "
                    "generated yet; the commands read them where they will be, and the sound "
                    "(ducking, music loop, loudness correction) is measured once they exist. "
                    "Run `cmforge generate` first for the exact commands.",
                    file=sys.stderr,
                )
            print(p.shell())
        return EXIT_OK
    if args.json:
        from .plan_view import plan_json

        shown = [
            {
                **plan_json(p),
                "layout": p.layout_report(),
                "warnings": [problem_data(w) for w in p.timeline.warnings],
            }
            for p in plans
        ]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    from ..assets.budget import budget_line, budget_of
    from .plan_view import plan_table

    for p in plans:
        print(plan_table(p))
    entries = [e for p in plans for e in p.generation]
    if entries:
        budget = budget_of(recipes[0], args.max_credits, args.max_cost)
        print(budget_line(entries, budget, len(recipes)))
    return EXIT_OK
