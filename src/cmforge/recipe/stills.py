"""[[stills]] and an image scene's [scenes.generate]: the frozen `Still` records, their
problems (file, key, line), and the check that variants sharing a still's path ask for the
same still."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from .model import Generate, Recipe, Scene, Still
from .spec import STILL_SHARED

if TYPE_CHECKING:
    from pathlib import Path

    from .build import Builder

STILL_EXT = (".png", ".jpg", ".jpeg", ".webp")


def still_request(b: Builder, t: dict, key: str) -> Generate:
    """A still's request: the shared keys read, the provider's own kept as written."""
    takes, pick = int(t.get("takes", 1)), int(t.get("pick", 1))
    if pick > takes:
        b.check.add(f"{key}.pick", f"pick = {pick} but only {takes} take(s)", "pick 1 to takes")
    return Generate(
        provider=t.get("provider"),
        image=None,
        image_tail=None,
        prompt=t.get("prompt", ""),
        negative_prompt=t.get("negative_prompt", ""),
        length=0,
        aspect_ratio=t.get("aspect"),
        takes=takes,
        pick=min(pick, takes),
        options={k: v for k, v in t.items() if k not in STILL_SHARED},
        keep_stand_in=bool(t.get("keep_stand_in", False)),
    )


def still_at(b: Builder, path: Path, t: dict, key: str, path_key: str) -> Still:
    """The still made at `path` (checked: inside the recipe's folder, an image file name)."""
    if not path.is_relative_to(b.folder):
        b.check.add(
            path_key,
            "a still is kept inside the recipe's folder",
            "use a path relative to the recipe, e.g. gen/student.png",
        )
    if path.suffix.lower() not in STILL_EXT:
        b.check.add(
            path_key,
            f"{path.name!r}: a still is a .png, .jpg or .webp file",
            "the file name's ending decides the image format",
        )
    if not str(t.get("prompt", "")).strip():
        b.check.add(f"{key}.prompt", "is empty", "say what the still shows")
    return Still(key, path, still_request(b, t, key))


def build_stills(b: Builder, data: dict, scenes: Sequence[Scene]) -> tuple[Still, ...]:
    """Every still the recipe makes: its [[stills]], then its scenes' own; one per path."""
    out: list[Still] = [
        still_at(b, b.path(t["path"]), t, f"stills[{i}]", f"stills[{i}].path")
        for i, t in enumerate(data.get("stills", []))
    ]
    out += [still for s in scenes for still in s.stills()]
    seen: dict[Path, str] = {}
    for still in out:
        if still.path in seen:
            where = f"{still.key}.path" if still.key.startswith("stills") else still.key
            b.check.add(
                where,
                f"{seen[still.path]} is made at the same file",
                "give each still its own path, or refer to the first one's file",
            )
        seen.setdefault(still.path, still.key)
    return tuple(out)


def variant_clashes(recipes: Sequence[Recipe]) -> list[Problem]:
    """Variants that make one still file from different requests (a prompt with a variable
    and a fixed path): the first to render would make it for all. Each clash once."""
    made: dict[Path, tuple[Recipe, Generate]] = {}
    out: list[Problem] = []
    for r in recipes:
        for still in r.stills:
            first = made.setdefault(still.path, (r, still.generate))
            if first[1] != still.generate and first[0] is not r:
                key = f"{still.key}.path" if still.key.startswith("stills") else still.key
                out.append(
                    r.problem(
                        key,
                        f"variants {first[0].display_name!r} and {r.display_name!r} make "
                        f"{still.path.name} from different requests",
                        "put {{variant}} (or the variable that differs) in the still's path",
                    )
                )
                made[still.path] = (r, still.generate)
    return out
