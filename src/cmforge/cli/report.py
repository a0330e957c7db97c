"""How a command's outcome reaches the user: exit codes, recipe problems, the bug notice."""

from __future__ import annotations

import sys

from ..errors import RecipeError
from ..version import __version__

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
