"""Read a recipe file: TOML -> plain dict, plus a map from key paths to line numbers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RecipeError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_INLINE_KEY = re.compile(r"""[{,]\s*([A-Za-z0-9_-]+)\s*=""")


def _split_dotted(text: str) -> list[str]:
    return [
        p.strip().strip("\"'")
        for p in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", text)
    ]


@dataclass
class LineMap:
    """Where each key path ("scenes[2].duration") was written. Best effort, never wrong-file."""

    lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None


def path_text(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def scan_lines(text: str) -> LineMap:
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    table: list[str | int] = []
    for no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _HEADER.match(line)
        if m and not _KEY.match(line):
            names = _split_dotted(m.group(2))
            parts: list[str | int] = []
            for i, name in enumerate(names):
                parts.append(name)
                prefix = path_text(parts)
                is_last = i == len(names) - 1
                if m.group(1) == "[[" and is_last:
                    lines.setdefault(prefix, no)  # the array itself: where it starts
                    counts[prefix] = counts.get(prefix, -1) + 1
                    parts.append(counts[prefix])
                elif prefix in counts:  # [scenes.generate] belongs to the latest [[scenes]]
                    parts.append(counts[prefix])
            table = parts
            lines.setdefault(path_text(table), no)
            continue
        k = _KEY.match(line)
        if k:
            key_parts = table + _split_dotted(k.group(1))
            key = path_text(key_parts)
            lines.setdefault(key, no)
            for sub in _INLINE_KEY.findall(line[k.end() :]):
                lines.setdefault(f"{key}.{sub}", no)
    return LineMap(lines)


@dataclass
class Source:
    """A recipe as read from disk."""

    path: Path
    data: dict
    lines: LineMap

    @property
    def folder(self) -> Path:
        return self.path.parent

    def problem(self, key: str, message: str, hint: str = "") -> Problem:
        return Problem(message, self.path, key, self.lines.line_of(key), None, hint)


def read_recipe(path: str | Path) -> Source:
    return read_toml(path, "recipe")


def read_toml(path: str | Path, what: str) -> Source:
    """Any cmforge TOML file (a recipe, a library.toml) with its line map; `what` names it in
    errors."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RecipeError([Problem(f"no such {what} file", p)]) from None
    except OSError as exc:
        raise RecipeError([Problem(f"cannot read the {what}: {exc.strerror}", p)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecipeError(
            [Problem(f"the {what} is not UTF-8 text", p, "", line, hint="save the file as UTF-8")]
        ) from None
    return parse_recipe_text(text, p)


def parse_recipe_text(text: str, path: Path) -> Source:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        if m is None and "end of document" in msg:
            line = text.count("\n") + 1
        raise RecipeError(
            [
                Problem(
                    f"TOML syntax error: {msg}",
                    path,
                    "",
                    line,
                    col,
                    hint="check quotes, brackets and commas on that line",
                )
            ]
        ) from None
    return Source(path, data, scan_lines(text))
