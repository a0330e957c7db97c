"""Tier 1: the segment cache on tiny files: where it lives, hits and misses, damaged and
partial files, the per-segment claim, info and clear. (Whole renders sharing it:
tests/e2e/test_cache.py.)"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from pathlib import Path

import media
import pytest

from cmforge.atomic import sweep
from cmforge.render.cache import (
    cache_root,
    claimed,
    clear,
    frames_in,
    info,
    lookup,
    segment_folder,
    store,
)

FRAMES = 5
NAME = "0123456789abcdef.mp4"
DAY = 86400.0
DEAD = 2**30  # above any pid_max: no such process


@pytest.fixture(scope="module")
def segment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 5-frame segment file, made once."""
    path = tmp_path_factory.mktemp("segment") / "segment.mp4"
    return media.video(path, size="16x16", rate="10", dur=FRAMES / 10, audio=None)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own (CMFORGE_CACHE)."""
    root = tmp_path / "cache"
    monkeypatch.setenv("CMFORGE_CACHE", str(root))
    return root


def cached(segment: Path, folder: Path, name: str = NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(segment, folder / name))


def age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def is_locked(lock: Path) -> bool:
    """Whether another open file holds lock (probed without waiting)."""
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also lets go of the probe's own lock
    return False


# ---------------------------------------------------------------- where


def test_the_cache_folder_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    for off in ("off", "OFF", "0", "none", "false"):
        monkeypatch.setenv("CMFORGE_CACHE", off)
        assert cache_root() is None
    monkeypatch.setenv("CMFORGE_CACHE", str(tmp_path / "c"))
    assert cache_root() == tmp_path / "c"
    monkeypatch.delenv("CMFORGE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "cmforge"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "cmforge"
    assert segment_folder(tmp_path) == tmp_path / "segments"


# ---------------------------------------------------------------- hits and misses


def test_frames_in_counts_a_whole_file_and_nothing_else(segment, tmp_path) -> None:
    assert frames_in(segment) == FRAMES
    (tmp_path / "text.mp4").write_text("not a video")
    assert frames_in(tmp_path / "text.mp4") is None
    assert frames_in(tmp_path / "missing.mp4") is None


def test_a_whole_segment_is_a_hit_and_is_touched(segment, tmp_path) -> None:
    path = cached(segment, tmp_path)
    age(path, 30)
    assert lookup(tmp_path, NAME, FRAMES) == path
    assert time.time() - path.stat().st_mtime < DAY, "used now: clear --older-than keeps it"


def test_a_missing_segment_is_a_miss(tmp_path) -> None:
    assert lookup(tmp_path, NAME, FRAMES) is None
    assert lookup(tmp_path / "no-such-folder", NAME, FRAMES) is None


def test_a_cut_short_segment_is_a_miss_and_removed(segment, tmp_path) -> None:
    path = cached(segment, tmp_path)
    path.write_bytes(segment.read_bytes()[:300])  # a disk that filled up
    assert lookup(tmp_path, NAME, FRAMES) is None
    assert not path.exists(), "removed, so it is rendered again"


def test_a_segment_with_other_frames_is_a_miss_and_removed(segment, tmp_path) -> None:
    path = cached(segment, tmp_path)
    assert lookup(tmp_path, NAME, FRAMES + 1) is None
    assert not path.exists()


def test_a_partial_file_is_never_a_hit(segment, tmp_path) -> None:
    """A render writes .NAME.partial-TAG.mp4 and renames it when whole; until then the
    segment is not in the cache."""
    cached(segment, tmp_path, f".{NAME[:-4]}.partial-{os.getpid()}_1.mp4")
    assert lookup(tmp_path, NAME, FRAMES) is None


def test_store_moves_a_finished_file_in_whole(segment, tmp_path) -> None:
    part = cached(segment, tmp_path / "work", ".partial.mp4")
    folder = tmp_path / "cache" / "segments"  # made on first use
    assert store(part, folder, NAME) == folder / NAME
    assert not part.exists() and frames_in(folder / NAME) == FRAMES
    (tmp_path / "text.mp4").write_text("x")
    store(tmp_path / "text.mp4", folder, NAME)  # a render that got there second
    assert (folder / NAME).read_text() == "x"


def test_a_dead_writers_partial_is_swept_and_a_live_ones_kept(segment, tmp_path) -> None:
    stem = NAME[:-4]
    dead = cached(segment, tmp_path, f".{stem}.partial-{DEAD}_7.mp4")
    alive = cached(segment, tmp_path, f".{stem}.partial-{os.getpid()}_7.mp4")
    whole = cached(segment, tmp_path)
    sweep(tmp_path, ".*.partial-*.mp4")
    assert not dead.exists() and alive.exists() and whole.exists()


# ---------------------------------------------------------------- the claim


def test_a_claim_holds_its_segment_and_lets_go(tmp_path) -> None:
    folder = tmp_path / "segments"
    with claimed(folder, NAME):
        [lock] = folder.glob(".*.lock")
        assert is_locked(lock), "another render needing this segment waits"
    assert not is_locked(lock)


def test_claims_on_different_segments_do_not_wait_for_each_other(tmp_path) -> None:
    folder = tmp_path / "segments"
    other = threading.Event()

    def claim_other() -> None:
        with claimed(folder, "another.mp4"):
            other.set()

    with claimed(folder, NAME):
        t = threading.Thread(target=claim_other)
        t.start()
        t.join(30)
        assert other.is_set(), "a claim on another segment went ahead"


def test_a_second_claim_on_the_same_segment_gets_in_once_the_first_lets_go(tmp_path) -> None:
    folder = tmp_path / "segments"
    inside = threading.Event()

    def claim() -> None:
        with claimed(folder, NAME):
            inside.set()

    with claimed(folder, NAME):
        t = threading.Thread(target=claim)
        t.start()
        [lock] = folder.glob(".*.lock")
        assert is_locked(lock) and not inside.is_set()
    t.join(30)
    assert inside.is_set()


# ---------------------------------------------------------------- info and clear


def test_info_counts_segments_but_no_lock_or_partial_files(segment, cache) -> None:
    folder = segment_folder(cache)
    path = cached(segment, folder)
    cached(segment, folder, f".{NAME[:-4]}.partial-{os.getpid()}_1.mp4")
    with claimed(folder, NAME):
        pass  # leaves its lock file
    age(path, 2)
    found = info()
    assert (found.root, found.files, found.bytes) == (cache, 1, path.stat().st_size)
    assert found.oldest == pytest.approx(2 * DAY, abs=60)


def test_info_and_clear_with_the_cache_off_or_empty(monkeypatch, cache) -> None:
    assert info().files == 0 and info().oldest is None and clear() == (0, 0)
    monkeypatch.setenv("CMFORGE_CACHE", "off")
    assert info().root is None and clear() == (0, 0)


def test_clear_by_age_keeps_recent_segments_and_running_renders_partials(segment, cache) -> None:
    folder = segment_folder(cache)
    old, recent = cached(segment, folder, "old.mp4"), cached(segment, folder, "recent.mp4")
    partial = cached(segment, folder, f".recent.partial-{os.getpid()}_1.mp4")
    age(old, 10)
    age(partial, 10)
    size = old.stat().st_size
    assert clear(older_than_days=5) == (1, size)
    assert not old.exists() and recent.exists() and partial.exists()


def test_clear_removes_segments_and_lock_files_only(segment, cache) -> None:
    folder = segment_folder(cache)
    path = cached(segment, folder)
    size = path.stat().st_size
    with claimed(folder, NAME):
        pass
    partial = cached(segment, folder, f".{NAME[:-4]}.partial-{os.getpid()}_1.mp4")
    removed, freed = clear()
    assert (removed, freed) == (2, size), "the segment and its (empty) lock file"
    assert not path.exists() and not list(folder.glob(".*.lock")) and partial.exists()
