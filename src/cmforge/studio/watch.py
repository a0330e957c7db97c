"""The studio's watcher: the recipe's folder and the folders of the media it reads from
outside it, a save anywhere there (except the outputs, the cache and hidden files, which
renders write) a touch() of the session. A mixin of Studio (session.py)."""

from __future__ import annotations

from pathlib import Path

from ..assets.media import references
from ..generate.base import CACHE_DIR


class Watching:
    """Watches what the previews are made of."""

    def _watch_paths(self) -> list[Path]:
        paths = {self.folder}
        for r in self.recipes:
            for _key, media, _kind in references(r):
                parent = Path(media).resolve().parent
                if parent.is_dir() and not parent.is_relative_to(self.folder):
                    paths.add(parent)
        return sorted(paths)

    def relevant(self, changed: Path) -> bool:
        """A change that may change the previews: not in an output folder, the cache, or a
        hidden file (a render's partial files)."""
        changed = Path(changed)
        if any(part.startswith(".") for part in changed.parts[len(self.folder.parts) :]):
            return False
        if (self.folder / CACHE_DIR) in changed.parents:
            return False
        return not any(changed.is_relative_to(out) for out in self.outputs)

    def _watcher(self) -> None:
        from watchfiles import watch

        stop = self._stop
        while not stop.is_set():
            paths = self._watch_paths()
            for changes in watch(*paths, stop_event=stop, rust_timeout=500, yield_on_timeout=True):
                if any(self.relevant(Path(p)) for _c, p in changes):
                    self.touch()
                if self._watch_paths() != paths:
                    break
