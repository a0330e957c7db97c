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

import recipes  # noqa: E402 - beside this file; imports cmforge once the environment is set

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

# the test tiers, one folder each (markers registered in pyproject.toml):
# make test-fast runs unit + golden; make test runs everything
TIERS = ("unit", "golden", "e2e", "kling")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with the tier of the folder it lives in; a test outside the tier
    folders is an error, so no test escapes `-m` selection unnoticed."""
    lost = []
    for item in items:
        path = item.path.resolve()
        if HERE not in path.parents:
            continue  # not one of ours
        parts = path.relative_to(HERE).parts
        if len(parts) > 1 and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))
        else:
            lost.append(item.nodeid)
    if lost:
        folders = ", ".join(f"tests/{t}" for t in TIERS)
        raise pytest.UsageError(f"tests outside the tier folders ({folders}): {', '.join(lost)}")


@pytest.fixture
def project(tmp_path: Path):
    """A folder to write a recipe into: project(text) -> recipe path."""

    def write(text: str, name: str = "recipe.toml") -> Path:
        return recipes.write(tmp_path, text, name)

    write.folder = tmp_path  # type: ignore[attr-defined]
    return write
