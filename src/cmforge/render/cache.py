"""The segment cache: rendered segments kept by content, shared by every render on the machine.

A segment's file name is the hash of everything that determines its pixels (compile:
SegmentCommand.key), so variants that share scenes, and re-renders after a small change, reuse
what is already rendered. Files enter the cache by an atomic rename of a complete, checked
file, so renders running at once can share it: two renders that miss the same segment at the
same moment both render it and the second rename replaces an identical file.

Where: $CMFORGE_CACHE, else $XDG_CACHE_HOME/cmforge, else ~/.cache/cmforge.
CMFORGE_CACHE=off renders every segment into a temporary folder instead."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def cache_root() -> Path | None:
    """The cache folder, or None when caching is off."""
    env = os.environ.get("CMFORGE_CACHE")
    if env and env.lower() in ("off", "0", "none", "false"):
        return None
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cmforge"


def segment_folder(root: Path) -> Path:
    return root / "segments"


def frames_in(path: Path) -> int | None:
    """Frames in a segment file, or None if it does not open."""
    import av

    try:
        with av.open(str(path)) as c:
            return c.streams.video[0].frames
    except Exception:  # noqa: BLE001 - anything unreadable is simply not a hit
        return None


def lookup(folder: Path, name: str, frames: int) -> Path | None:
    """The cached segment if it is there and whole; touches it (for clearing by age)."""
    path = folder / name
    if not path.is_file():
        return None
    if frames_in(path) != frames:
        path.unlink(missing_ok=True)  # damaged (e.g. a disk that filled up): render it again
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return path


@contextlib.contextmanager
def claimed(folder: Path, name: str) -> Iterator[None]:
    """Hold the segment while it is looked up and, if missing, rendered: a render (another
    thread, process or Dask worker on a shared folder) that needs the same segment waits,
    then finds it in the cache instead of rendering it a second time."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no waiting; the atomic rename still keeps files whole
        yield
        return
    fd = os.open(folder / f".{name}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def store(tmp: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    os.replace(tmp, dest)
    return dest


@dataclass(frozen=True)
class CacheInfo:
    root: Path | None
    files: int
    bytes: int
    oldest: float | None  # seconds since the least recently used file was used


def info() -> CacheInfo:
    root = cache_root()
    if root is None or not root.is_dir():
        return CacheInfo(root, 0, 0, None)
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
    stats = [p.stat() for p in files]
    oldest = time.time() - min(s.st_mtime for s in stats) if stats else None
    return CacheInfo(root, len(files), sum(s.st_size for s in stats), oldest)


def clear(older_than_days: float | None = None) -> tuple[int, int]:
    """Remove cached files (all, or those unused for more than the given days); returns
    (files, bytes) removed. Partial files of renders still running are left alone."""
    root = cache_root()
    if root is None or not root.is_dir():
        return 0, 0
    cutoff = time.time() - older_than_days * 86400 if older_than_days is not None else None
    n = size = 0
    for p in list(root.rglob("*")):
        if not p.is_file() or (p.name.startswith(".") and not p.name.endswith(".lock")):
            continue
        st = p.stat()
        if cutoff is not None and st.st_mtime > cutoff:
            continue
        p.unlink(missing_ok=True)
        n, size = n + 1, size + st.st_size
    return n, size
