"""The gate on plain threads: a fake account with a cap, no HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kling_helpers import Statuses

from cmforge.generate.kling.gate import Gate, Slot, at_once_from_env, gate_for


class Account:
    """Kling's side of the cap: creates beyond ``cap`` running tasks are refused."""

    def __init__(self, cap: int):
        self.cap = cap
        self.running = 0
        self.peak = 0
        self.refused = 0
        self.lock = threading.Lock()

    def create(self) -> bool:
        with self.lock:
            if self.running >= self.cap:
                self.refused += 1
                return False
            self.running += 1
            self.peak = max(self.peak, self.running)
            return True

    def finish(self) -> None:
        with self.lock:
            self.running -= 1


def run_jobs(gate: Gate, account: Account, jobs: int, seconds: float = 0.05) -> Statuses:
    said = Statuses()

    def job() -> None:
        with gate.slot(said) as slot:
            while not account.create():
                if not slot.refused(said):
                    time.sleep(0.01)  # the refusal was not ours to wait out: back off
            slot.start()
            time.sleep(seconds)
            account.finish()
            slot.end(True, said)

    threads = [threading.Thread(target=job) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    return said


def wait_until(condition: Callable[[], bool], limit: float = 10.0) -> None:
    """Wait until ``condition()`` holds (another thread makes it so); fail after ``limit`` s."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.001)


def test_a_refusal_lowers_the_limit_to_the_tasks_running_and_waits_for_a_slot():
    gate, account = Gate(maximum=5), Account(cap=2)
    seen: list[tuple[str, int, int]] = []
    gate.watch = lambda event, running, limit: seen.append((event, running, limit))
    said = run_jobs(gate, account, jobs=6)
    assert account.peak == 2 and gate.limit == 2
    assert gate.held == gate.running == gate.creating == 0
    first = next(i for i, e in enumerate(seen) if e[0] == "refused")
    assert all(running <= 2 for _, running, _ in seen[first:])
    assert account.refused == gate.refusals <= 3, "5 slots at once, 2 taken: 3 refusals at most"
    assert any(
        "Kling allows 2 clips at once on this account; waiting for a slot" in m for m in said
    )


def test_the_limit_grows_back_after_clean_completions():
    gate, account = Gate(maximum=3, grow_after=2), Account(cap=1)
    said = run_jobs(gate, account, jobs=3)
    assert gate.refusals >= 1 and account.peak == 1 and gate.limit < 3
    account.cap = 3  # another program let go of the account's slots
    said += run_jobs(gate, account, jobs=8, seconds=0.02)
    assert gate.limit == 3 and any("without a refusal; trying 3 at once" in m for m in said)
    assert account.peak > 1


def test_a_refusal_with_none_of_ours_running_means_back_off():
    gate = Gate(maximum=4)
    slot = gate.slot()
    assert slot.refused() is False, "a slot was free at once: nothing of ours ended"
    assert gate.limit == 1 and gate.held == 1
    slot.release()
    assert gate.held == gate.creating == 0


def test_a_waiter_is_woken_by_a_task_that_ends():
    gate = Gate(maximum=1)
    first = gate.slot()
    first.start()
    got: list[bool] = []
    waiting = threading.Event()

    def wait() -> None:
        with gate.slot(lambda _m: waiting.set()) as slot:
            got.append(slot.gate is gate)

    t = threading.Thread(target=wait)
    t.start()
    assert waiting.wait(10), "the waiter found a slot although the only one is held"
    assert not got and gate.held == 1, "the only slot is held: the waiter waits"
    first.end(True)
    first.release()
    t.join(2)
    assert got == [True] and gate.held == 0


def test_no_create_is_let_in_while_a_refusal_is_being_counted():
    gate = Gate(maximum=2)
    events: list[str] = []
    counted = threading.Event()

    def watch(event: str, _running: int, _limit: int) -> None:
        events.append(event)
        if event == "refused":
            counted.set()

    gate.watch = watch
    first, second = gate.slot(), gate.slot()  # two creates under way: the gate is full
    waiting = threading.Event()

    def third() -> None:
        with gate.slot(lambda _m: waiting.set()):
            events.append("admitted")

    waiter = threading.Thread(target=third, daemon=True)
    waiter.start()
    assert waiting.wait(10)
    refused = threading.Thread(target=first.refused, daemon=True)
    refused.start()  # gives its slot back, then waits for the second create's answer
    wait_until(lambda: gate.refusals == 1)
    second.start()  # Kling took the second: one running, so the limit drops to 1
    assert counted.wait(10)
    assert events == ["start", "refused"], "nobody was let in before the limit was set"
    assert gate.limit == 1 and gate.held == 1
    second.end(True)
    second.release()
    refused.join(10)
    first.release()
    waiter.join(10)
    assert events[-1] == "admitted" and gate.held == gate.creating == 0


def test_a_resumed_task_takes_its_slot_at_once_and_an_ended_one_none():
    gate = Gate(maximum=1)
    a = gate.slot(running=True)
    b = gate.slot(running=True)  # Kling runs it already: not refused by our own limit
    assert gate.held == 2 and gate.running == 2 and gate.limit == 1
    for s in (a, b):
        s.release()
    assert gate.held == gate.running == 0
    nothing = Slot(None)
    nothing.start()
    nothing.end(True)
    nothing.release()
    assert nothing.refused() is False


def test_a_create_accepted_beyond_the_limit_raises_it():
    gate = Gate(maximum=4)
    slots = [gate.slot() for _ in range(2)]
    gate.limit = 1  # as if an early refusal had been counted too low
    for s in slots:
        s.start()
    assert gate.limit == 2
    for s in slots:
        s.release()


def test_the_maximum_comes_from_the_environment_and_gates_are_per_account():
    assert at_once_from_env({}) == 4
    assert at_once_from_env({"CMFORGE_KLING_AT_ONCE": "7"}) == 7
    assert at_once_from_env({"CMFORGE_KLING_AT_ONCE": "0"}) == 1
    assert at_once_from_env({"CMFORGE_KLING_AT_ONCE": "many"}) == 4
    a = gate_for("http://gate.test/", "ak-1", maximum=2)
    assert gate_for("http://gate.test", "ak-1") is a and a.maximum == 2
    assert gate_for("http://gate.test", "ak-2") is not a
