"""How a command's outcome reaches the user: exit codes, recipe problems and timing warnings,
the bug notice."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import Problem, RecipeError
from ..version import __version__

if TYPE_CHECKING:
    from ..timeline.model import Timeline

EXIT_OK, EXIT_RENDER, EXIT_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130
REPORT = "see 'Reporting bugs' in cmforge's README"


def bug_notice() -> str:
    """The line that tells the user an error is cmforge's fault and how to report it."""
    return (
        f"  This is a bug in cmforge {__version__}, not in your recipe: please report it "
        f"with the output of the same command run with --debug ({REPORT})."
    )


def print_problems(err: RecipeError) -> None:
    """Every problem of a recipe (or of the command line), one per line, on stderr."""
    n = len(err.problems)
    print(f"cmforge: {n} problem{'s' if n != 1 else ''} found, nothing rendered:", file=sys.stderr)
    for prob in err.problems:
        print(f"  {prob}", file=sys.stderr)


def say(message: str) -> None:
    """An event of a running command (a clip generated, a warning), indented, on stderr."""
    print(f"  {message}", file=sys.stderr)


def problem_data(p: Problem) -> dict:
    """A problem or warning as data (validate --json): where, what, what to do, how bad."""
    return {
        "file": str(p.file) if p.file else None,
        "origin": p.origin or None,  # a command-line option (--set ...), not a file
        "key": p.key or None,
        "line": p.line,
        "column": p.column,
        "message": p.message,
        "hint": p.hint or None,
        "severity": p.severity,
    }


def variant_warnings(timelines: list[Timeline]) -> list[tuple[Problem, list[str]]]:
    """Each timing warning once, with the variants it is about (in the variants' order)."""
    found: dict[Problem, list[str]] = {}
    for tl in timelines:
        for w in tl.warnings:
            found.setdefault(w, []).append(tl.recipe.display_name)
    return list(found.items())


def strict_error(w: Problem) -> Problem:
    """A warning made an error by --strict."""
    return replace(w, severity="error", message=w.message + " [--strict]")


def report_warnings(timelines: list[Timeline], strict: bool, shown: bool = True) -> None:
    """Print the timing warnings on stderr (unless not `shown`); with --strict they are errors
    (exit 2)."""
    found = variant_warnings(timelines)
    every = len(timelines)
    said = [
        replace(w, message=w.message + (f" (in {', '.join(names)})" if len(names) < every else ""))
        for w, names in found
    ]
    if strict and said:
        raise RecipeError([strict_error(w) for w in said])
    for w in said if shown else []:
        print(f"cmforge: warning: {w}", file=sys.stderr)
