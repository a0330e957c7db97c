from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.pop("KLING_ACCESS_KEY", None)
os.environ.pop("KLING_SECRET_KEY", None)
# rendered segments are cached per test process, never in the user's cache folder
os.environ["CMFORGE_CACHE"] = tempfile.mkdtemp(prefix="cmforge-test-cache-")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path):
    """A folder to write a recipe into: project(text) -> recipe path."""

    def write(text: str, name: str = "recipe.toml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    write.folder = tmp_path  # type: ignore[attr-defined]
    return write
