"""The error tree. The library raises these; only the CLI prints them and picks exit codes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as every message shows it: relative to the working directory when it is inside
    it (`out/a.mp4`, `school-ad.toml`), else absolute (`/srv/media/clip.mp4`). Symlinks are
    not resolved, so the path stays the one the user wrote or was told."""
    p = Path(path)
    try:
        cwd = Path.cwd()
    except OSError:  # the working directory was deleted
        return str(p)
    full = Path(os.path.normpath(p if p.is_absolute() else cwd / p))
    if full.is_relative_to(cwd):
        return str(full.relative_to(cwd)) or "."
    return str(full)


class CmforgeError(Exception):
    """Base class of every error cmforge reports to a user."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a recipe: where it is and what to do about it. A problem of
    severity "warning" (a timing that renders but looks wrong) is reported, not raised."""

    message: str
    file: Path | None = None
    key: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    severity: str = "error"  # error | warning
    origin: str = ""  # a problem from the command line: the option, e.g. --set output.fps=abc

    def __str__(self) -> str:
        # a command-line option (origin); else a path as shown everywhere; none: no file
        if self.origin:
            where = self.origin
        else:
            where = shown_path(self.file) if isinstance(self.file, Path) else str(self.file or "")
        if self.line and not self.origin:
            where = (where or "<recipe>") + f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where + ': ' if where else ''}{self.key + ': ' if self.key else ''}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class RecipeError(CmforgeError):
    """Everything wrong with a recipe (or its media), collected in one pass."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the recipe"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


@dataclass
class FFmpegMissing(CmforgeError):
    binary: str
    missing: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(
            f"the FFmpeg at {self.binary} lacks what cmforge needs: {', '.join(self.missing)}. "
            "Point CMFORGE_FFMPEG at a full build (or unset it to use the bundled one)."
        )


class RenderError(CmforgeError):
    """FFmpeg failed or produced something that does not check out."""

    def __init__(self, message: str, argv: list[str] | None = None, stderr_tail: str = ""):
        self.message = message  # without FFmpeg's own words (stderr_tail)
        self.argv = argv or []
        self.stderr_tail = stderr_tail
        text = message
        if stderr_tail:
            text += "\nffmpeg said:\n  " + "\n  ".join(stderr_tail.strip().splitlines()[-12:])
        super().__init__(text)


class GenerationError(CmforgeError):
    """A clip could not be generated."""
