"""How a project names its media: by path relative to the project file, or (--bundle) copied
into its media folder first, so the folder moves to another machine as it is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .edit import MEDIA, Edit


def place_media(edit: Edit, project: Path, bundle: bool) -> dict[Path, str]:
    """How the project names each file: relative to the project's folder, or (bundle) copied
    into its media folder first."""
    folder = project.parent
    names: dict[Path, str] = {}
    files = [c.media for c in edit.clips] + [x.media for x in edit.layers]
    files += [s.media for s in edit.sounds]
    for orig in files:
        if orig in names:
            continue
        f = orig.resolve()
        if bundle and not f.is_relative_to(folder.resolve()):
            dest = folder / MEDIA / f.name
            if dest.exists() and dest.stat().st_size != f.stat().st_size:
                dest = folder / MEDIA / f"{f.stem}-{len(names)}{f.suffix}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dest)
            f = dest.resolve()
        names[orig] = Path(os.path.relpath(f, folder.resolve())).as_posix()
    return names
