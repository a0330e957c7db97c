"""Files written whole or not at all: a hidden temporary file beside the destination, renamed
over it. The temporary name carries the process and the thread, so renders running at once
(processes, or threads of one batch) never write into each other's files."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path


def tag() -> str:
    """This process and thread, as a file-name part: PID_THREAD."""
    return f"{os.getpid()}_{threading.get_ident()}"


def pid_of(tagged: str) -> int | None:
    """The process id in a tag() (None if it is not one)."""
    head = tagged.split("_", 1)[0]
    return int(head) if head.isdigit() else None


def alive(pid: int) -> bool:
    """Whether a process with this id is running (a partial file's writer, say)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(folder: Path, pattern: str) -> None:
    """Remove what killed writers left: files or folders matching pattern whose name carries,
    after its last '-', the tag (PID or PID_THREAD) of a process that is gone."""
    for stale in folder.glob(pattern):
        pid = pid_of(stale.name.rsplit("-", 1)[-1].split(".")[0])
        if pid is not None and not alive(pid):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{tag()}.tmp")


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
