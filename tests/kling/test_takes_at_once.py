"""Takes generated at once against the simulator's concurrency cap, over real loopback HTTP."""

from __future__ import annotations

import threading
from dataclasses import replace

from kling_helpers import (
    LATENCY,
    SimClock,
    Statuses,
    client_for,
    generate_record,
    job_of,
    provider_for,
)

from cmforge.generate.base import GenerationJob, take_path
from cmforge.generate.kling import Simulator
from cmforge.generate.kling.gate import Gate


def test_six_takes_under_a_cap_of_two_all_finish_with_few_refusals(media_dir, tmp_path):
    takes = 6
    gate = Gate(maximum=4)  # what a process allows by default
    # Kling frees a task's slot when the task ends; the gate learns of it at the next poll.
    # A refusal counted in between would count a task that Kling has already let go, so
    # Kling's clock stands still until the first creates' refusals are counted.
    clock = SimClock()
    seen: list[tuple[str, int, int]] = []

    def watch(event: str, running: int, limit: int) -> None:
        seen.append((event, running, limit))
        if event == "refused" and not gate.counting:
            clock.run()

    gate.watch = watch
    job = job_of(generate_record(), tmp_path / "clips" / "shot.mp4")
    jobs = [replace(job, dest=take_path(job.dest, k, takes), take=k) for k in range(1, takes + 1)]
    results, errors, said = [], [], Statuses()
    with Simulator(latency=LATENCY, seed=5, media_dir=media_dir, concurrency=2, clock=clock) as sim:

        def one(j: GenerationJob) -> None:
            # one client and provider per take, as the pipeline makes them; the gate is shared
            provider = provider_for(client_for(sim), tmp_path, gate=gate)
            try:
                results.append(provider.generate(j, said, take=j.take))
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(j,)) for j in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        refusals = sim.state.codes[1303]
        created = sim.create_count
    assert not errors, errors
    assert sorted(r.details["take"] for r in results) == list(range(1, takes + 1))
    assert all(j.dest.is_file() for j in jobs) and created == takes
    # refused: the creates sent before the first 1303 (at most the 4 the gate allows) less
    # the 2 Kling took; none once the gate knows the cap, since a slot is given back only
    # after its task has ended
    assert 1 <= refusals <= 2 and gate.refusals == refusals
    first = next(i for i, e in enumerate(seen) if e[0] == "refused")
    assert max(running for _, running, _ in seen[first:]) <= 2, "never above the cap after a 1303"
    assert gate.limit == 2 and gate.held == gate.running == 0
    assert any(
        "Kling allows 2 clips at once on this account; waiting for a slot" in m for m in said
    )


def test_without_a_refusal_takes_run_up_to_the_maximum(media_dir, tmp_path):
    gate = Gate(maximum=2)
    job = job_of(generate_record(), tmp_path / "clips" / "shot.mp4")
    jobs = [replace(job, dest=take_path(job.dest, k, 3), take=k) for k in (1, 2, 3)]
    clock = SimClock()  # no task ends before a take has had to wait for a slot
    said = Statuses()

    def say(message: str) -> None:
        said(message)
        if "waiting for a slot" in message:
            clock.run()

    with Simulator(latency=LATENCY, seed=6, media_dir=media_dir, concurrency=5, clock=clock) as sim:
        threads = [
            threading.Thread(
                target=lambda j=j: provider_for(client_for(sim), tmp_path, gate=gate).generate(
                    j, say, take=j.take
                )
            )
            for j in jobs
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sim.state.codes[1303] == 0 and sim.create_count == 3
    assert all(j.dest.is_file() for j in jobs) and gate.limit == 2
    assert any("the most cmforge runs at once" in m for m in said)
