"""The FLUX still maker against the FLUX simulator over loopback: a still made, paid once,
each fault of the protocol turned into a clear error or a wait, and nothing paid twice."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
from flux_helpers import Said, events, provider, still_job
from PIL import Image

from cmforge.generate.base import choose
from cmforge.generate.flux.client import FluxClient
from cmforge.generate.flux.errors import (
    FluxAuthError,
    FluxCreditsError,
    FluxLostAnswer,
    FluxModerated,
    FluxRequestError,
    FluxResultExpired,
)
from cmforge.generate.flux.journal import Journal
from cmforge.generate.flux.sim import Simulator
from cmforge.recipe.model import Generate


@pytest.fixture
def sim():
    with Simulator(latency=0.2, seed=3) as s:
        yield s


def test_a_still_is_made_once_paid_once_and_recorded(sim, tmp_path: Path) -> None:
    job = still_job(sim, tmp_path, seed=42)
    flux = provider(sim, tmp_path)
    est = flux.estimate(job)
    assert (est["credits"], est["unit"], est["money"]) == (4, "FLUX credits", 0.04)
    assert "768x1376" in est["what"] and est["problems"] == []
    said = Said()
    made = flux.generate(job, said)
    with Image.open(job.dest) as im:
        assert (im.format, im.size) == ("PNG", (768, 1376))
    assert made.task_id in sim.tasks and made.cost == 4 and made.money_usd == 0.04
    assert made.request["model"] == "flux-pro-1.1" and made.request["seed"] == 42
    assert made.details["sent"]["width"] == 768 and not made.details["stand_in"]
    assert sim.credits() == 996
    again = flux.generate(job, said)
    assert again.details["reused"] and len(sim.tasks) == 1
    assert events(tmp_path) == ["intent", "created", "ready", "downloaded"]
    record = provider(sim, tmp_path).provenance(job, tmp_path)
    assert record["task_id"] == made.task_id and record["request"]["seed"] == 42


def test_the_journal_holds_the_intent_on_disk_before_the_create_is_sent(sim, tmp_path):
    seen: list[list[str]] = []

    class Watching(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                seen.append(events(tmp_path))
            return super().handle_request(request)

    flux = provider(sim, tmp_path)
    flux.client = FluxClient(sim.api_key, sim.base_url, transport=Watching())
    flux.generate(still_job(sim, tmp_path), Said())
    assert seen == [["intent"]]


def test_polls_the_polling_url_exactly_as_given(tmp_path):
    with Simulator(latency=0.2, poll_host="localhost") as sim:
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
        assert set(sim.state.poll_hosts) == {"localhost"}


def test_is_the_default_still_maker_when_the_key_is_set(sim) -> None:
    gen = Generate(None, None, None, "a logo", "", 0, "1:1")
    assert choose(gen, sim.env(), "still")[0].name == "flux"
    assert choose(gen, {}, "still")[0].name == "local"


def test_refused_before_anything_is_sent(sim, tmp_path):
    job = still_job(sim, tmp_path, model="flux-pro-1.1", steps=20)
    with pytest.raises(FluxRequestError) as e:
        provider(sim, tmp_path).generate(job, Said())
    assert "stills[0]: FLUX would refuse" in str(e.value) and "stills[0].steps" in str(e.value)
    assert sim.state.requests == 0


def test_a_422_names_the_field(sim):
    client = FluxClient(sim.api_key, sim.base_url)
    with pytest.raises(FluxRequestError) as e:
        client.create("flux-pro-1.1", {"prompt": "x", "width": 700, "height": 1344})
    assert "HTTP 422" in str(e.value) and "width: Input should be a multiple of 32" in str(e.value)
    assert not sim.tasks


def test_a_bad_key_is_refused_and_nothing_is_charged(sim, tmp_path):
    flux = provider(sim, tmp_path)
    flux.client.key = "wrong"
    with pytest.raises(FluxAuthError) as e:
        flux.generate(still_job(sim, tmp_path), Said())
    assert "HTTP 401" in str(e.value) and "BFL_API_KEY" in str(e.value) and not sim.tasks


def test_out_of_credits_stops_with_a_clear_error_and_a_later_run_makes_it(tmp_path):
    with Simulator(latency=0.1, credits=3) as sim:
        job = still_job(sim, tmp_path)
        with pytest.raises(FluxCreditsError) as e:
            provider(sim, tmp_path).generate(job, Said())
        assert str(e.value).startswith("stills[0]: the FLUX account is out of credits (HTTP 402")
        assert "nothing was charged" in str(e.value) and not sim.tasks
        sim.state.credits[sim.api_key] = 10
        provider(sim, tmp_path).generate(job, Said())
        assert len(sim.tasks) == 1 and job.dest.is_file()


def test_429_waits_for_a_task_of_ours_to_end(tmp_path):
    with Simulator(latency=0.3, max_active=1) as sim:
        flux = provider(sim, tmp_path)
        jobs = [
            still_job(sim, tmp_path, f"still {i}", f"gen/{i}.png", f"stills[{i}]") for i in range(2)
        ]
        said = Said()
        threads = [threading.Thread(target=flux.generate, args=(j, said)) for j in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert all(j.dest.is_file() for j in jobs)
        assert len(sim.tasks) == 2 and sim.state.statuses[429] >= 1
        assert any("as many tasks as FLUX allows" in m for m in said)


@pytest.mark.parametrize("how", ["prompt", "output"])
def test_moderation_names_the_still_and_is_not_asked_again(sim, tmp_path, how):
    prompt = "a forbidden scene" if how == "prompt" else "a calm beach"
    if how == "output":
        sim.inject("content_moderated")
    job = still_job(sim, tmp_path, prompt, key="stills[3]")
    with pytest.raises(FluxModerated) as e:
        provider(sim, tmp_path).generate(job, Said())
    text = str(e.value)
    assert text.startswith("stills[3]: FLUX's moderation refused")
    assert ("the prompt" if how == "prompt" else "the image it made") in text
    with pytest.raises(FluxModerated):
        provider(sim, tmp_path).generate(job, Said())
    assert len(sim.tasks) == 1, "the same refused request is not sent again"


def test_an_expired_sample_url_is_not_paid_again_without_the_users_word(sim, tmp_path):
    sim.inject("expire_url")
    job = still_job(sim, tmp_path)
    with pytest.raises(FluxResultExpired) as e:
        provider(sim, tmp_path).generate(job, Said())
    assert "--retry-lost" in str(e.value) and "4 FLUX credits" in str(e.value)
    with pytest.raises(FluxResultExpired):
        provider(sim, tmp_path).generate(job, Said())
    assert len(sim.tasks) == 1
    provider(sim, tmp_path, retry_lost=True).generate(job, Said())
    assert len(sim.tasks) == 2 and job.dest.is_file()


def test_a_task_flux_forgot_counts_as_expired(sim, tmp_path):
    sim.inject("forget_task")
    with pytest.raises(FluxResultExpired) as e:
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
    assert "no longer serves" in str(e.value)


@pytest.mark.parametrize("fault", ["lost_500", "lost_drop", "lost_slow"])
def test_a_lost_answer_stops_says_what_may_be_charged_and_waits_for_retry_lost(tmp_path, fault):
    with Simulator(latency=0.1, slow_answer=1.5) as sim:
        sim.inject(fault)
        job = still_job(sim, tmp_path)
        with pytest.raises(FluxLostAnswer) as e:
            provider(sim, tmp_path, timeout=0.5).generate(job, Said())
        text = str(e.value)
        assert text.startswith("stills[0]: the answer to the request for this still")
        assert "charged 4 FLUX credits = $0.04" in text and "--retry-lost" in text
        assert "balance: 1000 FLUX credits before it, 996 now (4 less" in text
        with pytest.raises(FluxLostAnswer):
            provider(sim, tmp_path).generate(job, Said())
        assert len(sim.tasks) == 1, "a rerun does not ask again on its own"
        provider(sim, tmp_path, retry_lost=True).generate(job, Said())
        assert len(sim.tasks) == 2 and job.dest.is_file()
        assert events(tmp_path)[-4:] == ["intent", "created", "ready", "downloaded"]


def test_two_runs_of_one_still_at_once_make_one_task(sim, tmp_path):
    job = still_job(sim, tmp_path)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(provider(sim, tmp_path).generate(job, Said()))
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(sim.tasks) == 1 and sorted(r.details["reused"] for r in results) == [False, True]


def test_the_simulator_lists_its_tasks_and_credits(sim, tmp_path):
    provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
    tasks = httpx.get(f"{sim.base_url}/_sim/tasks").json()
    assert [set(t) >= {"id", "kind", "created_at"} for t in tasks] == [True]
    assert tasks[0]["kind"] == "flux-pro-1.1"
    credits = httpx.get(f"{sim.base_url}/v1/credits", headers={"x-key": sim.api_key}).json()
    assert credits == {"credits": 996}
    assert httpx.get(f"{sim.base_url}/v1/credits").status_code == 401
    journal = Journal.for_recipe(tmp_path).path.read_text().splitlines()
    assert json.loads(journal[0])["credits_before"] == 1000


def test_takes_of_a_seeded_still_differ_and_each_is_repeatable(sim, tmp_path):
    from cmforge.generate.jobs import still_jobs
    from cmforge.recipe.model import Still

    gen = Generate("flux", None, None, "a cat", "", 0, "1:1", takes=2, options={"seed": 42})
    jobs = still_jobs(Still("stills[0]", tmp_path / "cat.png", gen), (180, 320), sim.env())
    flux = provider(sim, tmp_path)
    made = [flux.generate(job, Said(), take=job.take) for job in jobs]
    assert [m.details["sent"]["seed"] for m in made] == [42, 43]
    assert [j.dest.name for j in jobs] == ["cat.take1.png", "cat.take2.png"]
    assert len(sim.tasks) == 2


def test_a_status_it_does_not_know_counts_as_running(tmp_path):
    with Simulator(latency=0.4, generating="Upscaling") as sim:  # a status of a later API
        said = Said()
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), said)
        statuses = [m.rsplit(" ", 1)[1] for m in said if m.startswith("flux: task ")]
        assert statuses[:3] == ["Pending", "Upscaling", "Ready"]


def test_task_not_found_with_http_404_counts_as_expired(tmp_path):
    with Simulator(latency=0.2, not_found_404=True) as sim:
        sim.inject("forget_task")
        with pytest.raises(FluxResultExpired):
            provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())


def test_an_unreachable_server_is_not_a_lost_answer(tmp_path):
    import socket

    from cmforge.generate.flux.errors import FluxNetworkError

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Simulator(latency=0.1) as sim:
        flux = provider(sim, tmp_path)
        flux.client.base_url = f"http://127.0.0.1:{port}"
        with pytest.raises(FluxNetworkError) as e:
            flux.generate(still_job(sim, tmp_path), Said())
        assert "nothing was sent" in str(e.value)
        assert events(tmp_path) == ["intent", "failed"], "the next run simply asks"
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
        assert len(sim.tasks) == 1


def test_polling_gives_up_and_the_next_run_resumes_the_same_task(tmp_path):
    from cmforge.generate.flux.errors import FluxStillRunning
    from cmforge.generate.flux.provider import PollPolicy

    with Simulator(latency=1.0) as sim:
        job = still_job(sim, tmp_path)
        impatient = provider(sim, tmp_path, poll=PollPolicy(timeout=1.0, scale=0.1))
        with pytest.raises(FluxStillRunning) as e:
            impatient.generate(job, Said())
        assert "the next run picks it up" in str(e.value)
        said = Said()
        provider(sim, tmp_path).generate(job, said)
        assert len(sim.tasks) == 1 and job.dest.is_file()
        assert any("resuming task" in m for m in said)
