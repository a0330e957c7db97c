"""The docs name no file that is not in the project: every relative link in docs/*.md and
README.md, and every file path written in code (`recipe/model.py`, `docs/hdr.md`), is found."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
FILE = re.compile(r"\.(md|py|toml|txt|json|cfg|ya?ml|sh)$")
# a path in code that is not a project file, on purpose (checked to still be written so)
NOT_PROJECT_FILES = {
    "scenes/countdown.py": "contributing.md: the new kind a reader writes",
    "compile/scenes.py": "contributing.md: a file of the design before scene kinds",
    "library/library.toml": "recipe.md: a library folder beside the user's recipe",
}
# where a path in code is looked for: the doc's folder, the project, the package
BASES = ("", "src", "src/cmforge")


def _links(doc: Path) -> list[str]:
    return [
        t.split("#")[0]
        for t in LINK.findall(doc.read_text(encoding="utf-8"))
        if not re.match(r"[a-z]+:|#", t)
    ]


def _code_paths(doc: Path) -> list[str]:
    """Paths of files written in inline code: with a folder, or a bare *.md; not a pattern
    (`{{variant}}`, `NAME`, `*`), not absolute, not what a render writes (`out/`, `.cmforge/`)."""
    text = FENCE.sub("", doc.read_text(encoding="utf-8"))
    found = []
    for token in CODE.findall(text):
        t = token.rstrip(".,:;")
        if not FILE.search(t) or ("/" not in t and not t.endswith(".md")):
            continue
        if re.search(r"[{}$~*<>]|NAME", t) or t.startswith(("/", ".", "out/")):
            continue
        found.append(t)
    return found


def test_every_relative_link_exists() -> None:
    missing = [
        f"{doc.name}: {t}" for doc in DOCS for t in _links(doc) if not (doc.parent / t).exists()
    ]
    assert missing == []


def test_every_file_named_in_code_exists() -> None:
    missing, seen = [], set()
    for doc in DOCS:
        for t in _code_paths(doc):
            seen.add(t)
            places = [doc.parent / t, *(ROOT / base / t for base in BASES)]
            if t not in NOT_PROJECT_FILES and not any(p.exists() for p in places):
                missing.append(f"{doc.relative_to(ROOT)}: {t}")
    assert missing == []
    assert set(NOT_PROJECT_FILES) <= seen, "an exception no doc needs any more"
    assert len(seen) > 30  # the scan found the docs' paths


def test_the_contract_is_in_the_project() -> None:
    recipe = (ROOT / "docs" / "recipe.md").read_text(encoding="utf-8")
    assert "[recipe-format.md](recipe-format.md)" in recipe
    assert "shared/recipe-format.md" not in recipe
    assert (
        (ROOT / "docs" / "recipe-format.md")
        .read_text(encoding="utf-8")
        .startswith("# The CM recipe")
    )
