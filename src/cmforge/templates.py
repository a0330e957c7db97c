"""Templates shipped with cmforge and `cmforge init`."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from .errors import CmforgeError, shown_path

ROOT = Path(__file__).resolve().parents[2]


class InitError(CmforgeError):
    """A template that does not exist, or a folder that already has the recipe: input, exit 2."""

    exit_code = 2


def template_dir() -> Path:
    for d in (ROOT / "templates", Path(__file__).parent / "data" / "templates"):
        if d.is_dir():
            return d
    raise CmforgeError("the templates are not installed with this copy of cmforge")


def list_templates() -> list[tuple[str, str]]:
    out = []
    for p in sorted(template_dir().glob("*.toml")):
        first = next(
            (
                ln[1:].strip()
                for ln in p.read_text(encoding="utf-8").splitlines()
                if ln.startswith("#")
            ),
            "",
        )
        out.append((p.stem, first))
    return out


_ASSET = re.compile(r'"(\.\./sample_assets/[^"]+)"')


def init_project(name: str, dest: Path) -> Path:
    """Copy a template and every sample asset it uses into dest, with paths made local."""
    src = template_dir() / f"{name}.toml"
    if not src.is_file():
        names = ", ".join(n for n, _ in list_templates())
        raise InitError(f"no template named {name!r} (templates: {names})")
    target = dest / src.name
    if target.exists():
        raise InitError(f"{shown_path(target)} already exists; init never overwrites a recipe")
    text = src.read_text(encoding="utf-8")
    for rel in sorted(set(_ASSET.findall(text))):
        local = rel[len("../sample_assets/") :]
        (dest / local).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2((src.parent / rel).resolve(), dest / local)
        text = text.replace(f'"{rel}"', f'"{local}"')
    tomllib.loads(text)
    dest.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
