"""The command line: the only module that prints or exits."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from .. import __version__
from ..assets import gather
from ..errors import CmforgeError, Problem, RecipeError
from ..pipeline import budget_of, check_budget, generation_plan, plan, render
from ..pipeline import check as check_recipe
from ..recipe import load_recipe
from . import cache as cli_cache
from . import check as cli_check
from . import library as cli_library
from . import variants as cli_variants
from .progress import ProgressDisplay

EXIT_OK, EXIT_RENDER, EXIT_INPUT = 0, 1, 2
REPORT = "see 'Reporting bugs' in cmforge's README"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="cmforge", description="Render short video ads from a TOML recipe."
    )
    ap.add_argument("--version", action="version", version=f"cmforge {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)

    def recipe_cmd(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("recipe", type=Path)
        p.add_argument("--variant", action="append", metavar="GLOB", help="only these variants")
        p.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="set a variable (or a dotted recipe key such as output.fps=24)",
        )
        p.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        p.add_argument(
            "--allow-unlicensed",
            action="store_true",
            help="let the music be a library track that has no license",
        )
        return p

    r = recipe_cmd("render", "render every variant of a recipe")
    r.add_argument("--output", type=Path, metavar="DIR", help="write the videos here")
    r.add_argument("--preview", action="store_true", help="quarter-size fast draft")
    r.add_argument("--quiet", action="store_true", help="print only the files written")
    r.add_argument(
        "--max-credits",
        type=float,
        metavar="N",
        help="credit budget for paid clip generation (default: the recipe's, else 0)",
    )
    r.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="variants rendered at once (default: half the CPU cores, at least 1)",
    )
    r.add_argument("--resume", action="store_true", help="skip variants whose video is up to date")
    r.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="where variants render: this machine, or a Dask cluster (with --scheduler)",
    )
    r.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, tcp://host:8786")
    recipe_cmd("validate", "check a recipe and its media without rendering")
    p = recipe_cmd("plan", "show the resolved timeline")
    p.add_argument("--json", action="store_true", help="the full plan as JSON")
    p.add_argument("--ffmpeg", action="store_true", help="print the ffmpeg command")
    p.add_argument("--output", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    p.add_argument("--preview", action="store_true")
    p.add_argument("--max-credits", type=float, metavar="N", help=argparse.SUPPRESS)
    gen = recipe_cmd("generate", "generate the clips (every take) without rendering")
    gen.add_argument("--scene", type=int, metavar="N", help="only scenes[N]")
    gen.add_argument("--max-credits", type=float, metavar="N", help="credit budget")
    i = sub.add_parser("init", help="start a project from a template")
    i.add_argument("dir", type=Path)
    i.add_argument("--template", default="school-ad")
    sub.add_parser("templates", help="list the templates")
    sub.add_parser("schema", help="print the recipe's JSON Schema")
    k = sub.add_parser("kling", help="the Kling API: simulate, status")
    ks = k.add_subparsers(dest="kling_command", required=True)
    sim = ks.add_parser("simulate", help="a local Kling API on loopback", add_help=False)
    sim.add_argument("args", nargs=argparse.REMAINDER)
    st = ks.add_parser("status", help="the task journal and the account's resources")
    st.add_argument("--recipe", type=Path, help="the recipe whose journal to read")
    cli_check.add_parser(sub)
    cli_library.add_parser(sub)
    cli_variants.add_parser(sub)
    cli_cache.add_parser(sub)
    return ap


def _print_problems(err: RecipeError) -> None:
    n = len(err.problems)
    print(f"cmforge: {n} problem{'s' if n != 1 else ''} found, nothing rendered:", file=sys.stderr)
    for prob in err.problems:
        print(f"  {prob}", file=sys.stderr)


def _load(args: argparse.Namespace) -> list:
    return load_recipe(
        args.recipe,
        variants=args.variant,
        sets=args.set,
        output_dir=getattr(args, "output", None),
        allow_unlicensed=args.allow_unlicensed,
    )


def _check_all(recipes: list) -> list:
    """Every variant checked before anything renders; all problems reported together."""
    problems: list[Problem] = []
    timelines = []
    for r in recipes:
        try:
            timelines.append(check_recipe(r))
        except RecipeError as e:
            problems += [p for p in e.problems if p not in problems]
    if problems:
        raise RecipeError(problems)
    return timelines


def cmd_render(args: argparse.Namespace) -> int:
    recipes = _load(args)
    _check_all(recipes)
    entries = [e for r in recipes for e in generation_plan(r, gather(r))]
    check_budget(entries, *budget_of(recipes[0], args.max_credits))
    if len(recipes) > 1 or args.jobs or args.resume or args.executor != "local":
        return _render_batch(args, recipes)
    say = (lambda m: None) if args.quiet else (lambda m: print(f"  {m}", file=sys.stderr))
    for r in recipes:
        if not args.quiet:
            print(f"rendering {r.variant}{' (preview)' if args.preview else ''}", file=sys.stderr)
        bar = ProgressDisplay(r.variant, quiet=args.quiet)
        try:
            out = render(
                r, preview=args.preview, on_progress=bar, on_event=say, max_credits=args.max_credits
            )
        finally:
            bar.finish()
        print(out)
    return EXIT_OK


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {text!r}")
    return int(text)


def _render_batch(args: argparse.Namespace, recipes: list) -> int:
    """Several variants at once (or --jobs/--resume/--executor): cmforge.batch does the work."""
    from ..batch import render_batch
    from .progress import BatchProgress

    executor = None
    if args.executor == "dask":
        if not args.scheduler:
            raise RecipeError([Problem("--executor dask needs --scheduler ADDRESS")])
        from ..executors import DaskExecutor

        executor = DaskExecutor(args.scheduler)
    display = BatchProgress(quiet=args.quiet)
    try:
        result = render_batch(
            recipes,
            jobs=args.jobs,
            resume=args.resume,
            preview=args.preview,
            max_credits=args.max_credits,
            on_event=display.say,
            on_progress_factory=display.variant,
            executor=executor,
        )
    finally:
        display.finish()
    for v in result.variants:
        if v.status != "failed":
            print(v.output)
    for path in (result.storyboard, result.report_json, result.report_csv):
        if path is not None:
            print(path)
    for v in result.failed:
        print(f"cmforge: {v.variant} failed: {v.error}", file=sys.stderr)
        if v.trace and args.debug:
            print(v.trace, file=sys.stderr)
    if any(v.trace for v in result.failed):
        print(
            f"  This is a bug in cmforge {__version__}, not in your recipe: please report it "
            f"with the output of the same command run with --debug ({REPORT}).",
            file=sys.stderr,
        )
    if result.failed:
        n = len(result.failed)
        print(f"cmforge: {n} of {len(result.variants)} variants failed", file=sys.stderr)
        return EXIT_RENDER
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from ..contact import generate_clips

    recipes = _load(args)
    _check_all(recipes)
    for r in recipes:
        for sheet in generate_clips(
            r,
            scene=args.scene,
            max_credits=args.max_credits,
            on_event=lambda m: print(f"  {m}", file=sys.stderr),
        ):
            print(sheet)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    recipes = _load(args)
    timelines = _check_all(recipes)
    for tl in timelines:
        print(
            f"ok: {tl.recipe.variant}: {len(tl.scenes)} scenes, {tl.duration:.3f} s, "
            f"{tl.frames} frames at {float(tl.fps):g} fps, {tl.width}x{tl.height}"
        )
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    recipes = _load(args)
    _check_all(recipes)
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
        from ..plan_view import plan_json

        print(json.dumps([plan_json(p) for p in plans], ensure_ascii=False, indent=2))
        return EXIT_OK
    from ..plan_view import plan_table

    for p in plans:
        print(plan_table(p))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from ..templates import init_project

    path = init_project(args.template, args.dir)
    print(path)
    print(f"next: cmforge render {path}", file=sys.stderr)
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from ..templates import list_templates

    for name, desc in list_templates():
        print(f"{name:<16} {desc}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import recipe_schema

    print(json.dumps(recipe_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_kling(args: argparse.Namespace) -> int:
    from ..generate.kling.status import status_lines

    for line in status_lines(args.recipe):
        print(line)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    return cli_check.run(args)


def cmd_library(args: argparse.Namespace) -> int:
    return cli_library.run(args)


def cmd_variants(args: argparse.Namespace) -> int:
    return cli_variants.run(args)


def cmd_cache(args: argparse.Namespace) -> int:
    return cli_cache.run(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["kling", "simulate"]:  # its own options, parsed by the simulator
        from ..generate.kling.simulator import main as simulate

        return simulate(argv[2:])
    args = _parser().parse_args(argv)
    handler = globals()[f"cmd_{args.command}"]
    try:
        return handler(args)
    except RecipeError as e:
        _print_problems(e)
        return EXIT_INPUT
    except CmforgeError as e:
        print(f"cmforge: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("cmforge: interrupted; no output was replaced", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `cmforge plan ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # a bug in cmforge, not in the user's input
        if args.debug:
            traceback.print_exc()
        print(
            f"cmforge: internal error ({type(e).__name__}: {e}).\n"
            f"  This is a bug in cmforge {__version__}, not in your recipe: please report it "
            f"with the output of the same command run with --debug ({REPORT}).",
            file=sys.stderr,
        )
        return EXIT_RENDER
