"""The append-only journal and its file locks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from cmforge.errors import GenerationError
from cmforge.generate.kling import Journal, journal_path


def test_events_fold_into_one_record_per_task(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.intent(
        "cmf-a",
        key="k1",
        scene="scenes[0]",
        family="text2video",
        attempt=1,
        request={"prompt": "p"},
    )
    j.created("cmf-a", "861")
    j.succeeded("cmf-a", "861", "http://x/1.mp4", 2.0)
    j.intent("cmf-b", key="k1", scene="scenes[0]", family="text2video", attempt=2, request={})
    j.failed("cmf-b", "risk control", "862")
    records = j.records()
    a, b = records["cmf-a"], records["cmf-b"]
    assert (a.state, a.task_id, a.url, a.units, a.request) == (
        "succeeded",
        "861",
        "http://x/1.mp4",
        2.0,
        {"prompt": "p"},
    )
    assert (b.state, b.reason, b.attempt) == ("failed", "risk control", 2)
    assert [r.external_task_id for r in j.for_job("k1")] == ["cmf-a", "cmf-b"]
    assert len(j.path.read_text().splitlines()) == 5


def test_a_line_cut_short_by_a_crash_is_skipped_and_not_glued(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.intent("cmf-a", key="k", scene="s", family="text2video", attempt=1, request={})
    with open(j.path, "a") as f:
        f.write('{"event": "created", "external_task_id": "cmf-a", "task_')
    j.created("cmf-a", "861")
    assert j.records()["cmf-a"].task_id == "861"


def test_journal_lives_in_the_recipe_cache(tmp_path):
    assert journal_path(tmp_path) == tmp_path / ".cmforge" / "cache" / "kling-journal.jsonl"
    assert Journal.for_recipe(tmp_path).path == journal_path(tmp_path)


def test_lock_excludes_other_threads(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    inside: list[int] = []
    overlaps: list[bool] = []

    def work() -> None:
        with j.lock("cmf-x"):
            overlaps.append(bool(inside))
            inside.append(1)
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == [False] * 4


def test_lock_excludes_other_processes_with_a_bounded_wait(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from cmforge.generate.kling import Journal
            with Journal({str(j.path)!r}).lock("cmf-x"):
                print("locked", flush=True)
                sys.stdin.readline()  # held until the test says so
            print("released", flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    told: list[str] = []
    with pytest.raises(GenerationError, match="another cmforge run"):
        with j.lock("cmf-x", timeout=0.1, on_wait=told.append):
            pass
    assert told and "waiting" in told[0]

    waiting, inside = threading.Event(), threading.Event()

    def take() -> None:
        with j.lock("cmf-x", timeout=30, on_wait=lambda _m: waiting.set()):
            inside.set()

    taker = threading.Thread(target=take)
    taker.start()
    assert waiting.wait(30), "the lock was free while another process held it"
    assert not inside.is_set(), "taken while the other process still holds it"
    child.stdin.write("\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "released"
    taker.join(30)
    assert inside.is_set(), "the waiter got the lock once the other process let go"
    assert child.wait(30) == 0
