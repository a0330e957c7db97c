"""How often a running Kling task is asked about: quick at first, backing off, bounded."""

from __future__ import annotations

import random
import time

import pytest
from kling_helpers import FAST_RETRY, Statuses, provider_for

from cmforge.generate.kling import KlingClient, PollPolicy, Simulator
from cmforge.generate.kling.provider import provider_from_env


class _Middle(random.Random):
    def random(self) -> float:  # no jitter: the schedule itself
        return 0.5


def poll_times(policy: PollPolicy, until: float) -> list[float]:
    """When the queries go out, up to the first one at or after ``until`` s."""
    times, t = [], 0.0
    while not times or times[-1] < until:
        t += policy.delay(len(times), _Middle())
        times.append(t)
    return times


def test_first_query_after_a_second_then_twice_a_second_then_backing_off():
    times = poll_times(PollPolicy(), 60)
    assert times[:4] == pytest.approx([1.0, 1.5, 2.0, 2.5])
    waits = [b - a for a, b in zip(times, times[1:])]
    assert all(w2 >= w1 - 1e-9 for w1, w2 in zip(waits, waits[1:]))  # never quicker again
    assert waits[-1] == pytest.approx(10.0)  # at most every 10 s (kling-api.md section 5)


def test_a_short_task_is_seen_soon_and_a_real_one_is_not_hammered():
    policy = PollPolicy()
    for length in (2.0, 5.0, 10.0):  # noticed within a quarter of its time (floor 0.5 s)
        seen = poll_times(policy, length)[-1]
        assert seen - length <= max(0.5, 0.25 * length), length
    assert len(poll_times(policy, 90)) <= 25  # a 90 s clip
    assert len(poll_times(policy, 180)) <= 34  # a 3-minute pro clip
    assert len(poll_times(policy, 1200)) <= 140  # the whole 20-minute timeout (the old 5-10 s: 122)


def test_jitter_stays_within_15_percent_and_scale_shrinks_everything(tmp_path):
    policy, rng = PollPolicy(), random.Random(3)
    for polls in range(1, 40):
        nominal = policy.delay(polls, _Middle())
        assert 0.85 * nominal <= policy.delay(polls, rng) <= 1.15 * nominal
    fast = PollPolicy().scaled(0.02)
    assert poll_times(fast, 1.2) == pytest.approx([0.02 * t for t in poll_times(policy, 60)])
    provider = provider_from_env(
        tmp_path,
        {
            "KLING_ACCESS_KEY": "ak",
            "KLING_SECRET_KEY": "sk-0123456789abcdefghijklmnopqrstuv",
            "KLING_API_BASE": "http://127.0.0.1:9",
            "CMFORGE_KLING_POLL_SCALE": "0.02",
        },
    )
    assert provider is not None and provider.poll == fast
    provider.client.close()


class _Counting(KlingClient):
    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.polls = 0

    def get_task(self, *args: object, **kwargs: object):  # type: ignore[override]
        self.polls += 1
        return super().get_task(*args, **kwargs)  # type: ignore[arg-type]


def test_a_clip_is_seen_soon_after_it_is_done_with_few_queries(media_dir, make_job, tmp_path):
    # the default schedule at half scale against a clip that takes 1 s: queries at 0.5, 0.75,
    # 1.0, 1.25 s; the schedule before waited 2.5 s for its first query
    with Simulator(latency=1.0, seed=5, media_dir=media_dir) as sim:
        client = _Counting(sim.access_key, sim.secret_key, sim.base_url, retry=FAST_RETRY)
        provider = provider_for(client, tmp_path, poll=PollPolicy().scaled(0.5))
        started = time.monotonic()
        seen: list[float] = []

        def say(message: str) -> None:
            if message.endswith(" succeed"):
                seen.append(time.monotonic() - started)

        said = Statuses()
        provider.generate(make_job(), lambda m: (said(m), say(m)))
        client.close()
    assert seen and seen[0] < 1.0 + 0.6, said
    assert 2 <= client.polls <= 5
