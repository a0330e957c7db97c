"""The kling provider: estimates, generation, resume, and never paying twice."""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from kling_helpers import Statuses, client_for, provider_for

from cmforge.generate.kling import (
    KlingAuthError,
    KlingBalanceError,
    KlingClient,
    KlingContentRejected,
    KlingDownloadError,
    KlingImageError,
    KlingProvider,
    KlingResultExpired,
    KlingStillRunning,
    KlingTaskFailed,
    PollPolicy,
)
from cmforge.media.probe import probe


def offline_client() -> KlingClient:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no HTTP expected, got {request.method} {request.url}")

    return KlingClient(
        "ak",
        "sk-0123456789abcdefghijklmnopqrstuv",
        "https://kling.test",
        transport=httpx.MockTransport(refuse),
    )


def events(provider: KlingProvider) -> list[str]:
    lines = provider.journal.path.read_text().splitlines()
    return [json.loads(line)["event"] for line in lines]


def test_estimate_needs_no_network(make_job, tmp_path):
    provider = provider_for(offline_client(), tmp_path)
    est = provider.estimate(make_job())
    assert (est["credits"], est["money"], est["price_known"]) == (2, 0.28, True)
    assert est["provider"] == "kling" and est["problems"] == []
    assert (
        provider.estimate(make_job(model="kling-v1", mode="pro", length=10), takes=2)["credits"]
        == 14
    )
    unknown = provider.estimate(make_job(model="kling-v9"))
    assert unknown["price_known"] is False and unknown["credits"] == 10  # the dearest std 5 s
    assert provider.estimate(make_job(prompt=""))["problems"]
    assert provider.client.requests == 0


def test_generates_downloads_verifies_and_journals(sim, provider, make_job):
    job = make_job()
    said = Statuses()
    result = provider.generate(job, said)
    info = probe(job.dest)
    assert (info.width, info.height, info.duration) == (180, 320, 5.0)
    assert result.path == job.dest and result.provider == "kling" and result.cost == 2.0
    assert result.task_id in sim.tasks and result.details["spent_now"] == 2.0
    assert result.request["prompt"] == job.generate.prompt
    assert result.details["external_task_id"].startswith("cmf-" + job.fingerprint[:32])
    assert events(provider) == ["intent", "created", "succeeded", "downloaded"]
    assert any("creating text2video" in m for m in said) and sim.create_count == 1
    leftovers = [p.name for p in job.dest.parent.iterdir() if p != job.dest]
    assert leftovers == []


def test_image2video_request_is_recorded_without_image_bytes(sim, provider, make_job, make_image):
    job = make_job(image=make_image(720, 1280), aspect_ratio=None)
    result = provider.generate(job, Statuses())
    assert sim.tasks[result.task_id].family == "image2video"
    journal_text = provider.journal.path.read_text()
    assert "base64, " in journal_text and len(journal_text) < 3000
    assert "still.png" in result.request["image"]


def test_a_second_run_with_the_clip_present_makes_no_http_call(sim, make_job, tmp_path):
    job = make_job()
    provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    before = sim.request_count
    again = provider_for(client_for(sim), tmp_path)
    result = again.generate(job, Statuses())
    assert again.client.requests == 0 and sim.request_count == before
    assert result.details["reused"] and result.details["spent_now"] == 0
    assert result.task_id and result.cost == 2.0


def test_rerun_after_a_crash_between_create_and_answer_does_not_create_again(
    sim, make_job, tmp_path
):
    job = make_job()
    crashing = provider_for(client_for(sim), tmp_path)
    real_create = crashing.client.create

    def create_then_die(*args, **kwargs):
        real_create(*args, **kwargs)  # the server stored the task ...
        raise KeyboardInterrupt  # ... and the run died before hearing back

    crashing.client.create = create_then_die  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        crashing.generate(job, Statuses())
    assert events(crashing) == ["intent"] and sim.create_count == 1
    said = Statuses()
    result = provider_for(client_for(sim), tmp_path).generate(job, said)
    assert sim.create_count == 1 and result.task_id in sim.tasks
    assert any("resuming" in m for m in said) and result.details["spent_now"] == 0


def test_rerun_creates_when_the_server_confirms_no_task_exists(sim, make_job, tmp_path):
    job = make_job()
    provider = provider_for(client_for(sim), tmp_path)
    provider.client.create = lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        provider.generate(job, Statuses())
    assert sim.create_count == 0
    provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    assert sim.create_count == 1


@pytest.mark.parametrize("fault", ["drop_after_create", "timeout_after_create"])
def test_a_lost_create_answer_in_the_same_run_is_resumed(sim, provider, make_job, fault):
    sim.inject(fault)
    result = provider.generate(make_job(), Statuses())
    assert sim.create_count == 1 and result.task_id in sim.tasks


def test_rate_limits_during_generation_are_waited_out(sim, provider, make_job):
    sim.inject("rate_limit", count=2)
    sim.inject("server_error", count=1, route="query")
    provider.generate(make_job(), Statuses())
    assert sim.create_count == 1


def test_two_threads_on_one_clip_create_one_task(sim, make_job, tmp_path):
    job = make_job()
    results, errors = [], []

    def run() -> None:
        try:
            results.append(provider_for(client_for(sim), tmp_path).generate(job, Statuses()))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(results) == 3 and sim.create_count == 1
    assert sorted(r.details["reused"] for r in results) == [False, True, True]


def test_expired_url_is_reported_and_never_regenerated_silently(sim, make_job, tmp_path):
    job = make_job()
    sim.inject("expire_url")
    with pytest.raises(KlingResultExpired) as err:
        provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    text = str(err.value)
    assert text.startswith("scenes[2]: ") and "expired" in text
    assert "2 Kling API units = $0.28" in text
    assert "does not regenerate" in text and sim.create_count == 1 and not job.dest.exists()
    again = provider_for(client_for(sim), tmp_path)
    with pytest.raises(KlingResultExpired):
        again.generate(job, Statuses())
    assert again.client.requests == 0 and sim.create_count == 1
    paid = provider_for(client_for(sim), tmp_path, regenerate_expired=True)
    result = paid.generate(job, Statuses())
    assert sim.create_count == 2 and result.details["attempt"] == 2
    assert result.details["external_task_id"].endswith("-a2")


def test_truncated_download_is_rejected_then_fetched_again_without_paying(sim, make_job, tmp_path):
    job = make_job()
    sim.inject("truncate_result")
    with pytest.raises(KlingDownloadError, match="truncated"):
        provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    assert not job.dest.exists()
    provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    assert probe(job.dest).duration == 5.0 and sim.create_count == 1


def test_content_rejected_at_create_names_the_scene(sim, provider, make_job):
    with pytest.raises(KlingContentRejected) as err:
        provider.generate(make_job(prompt="a forbidden scene", scene="scenes[4]"), Statuses())
    text = str(err.value)
    assert text.startswith("scenes[4]: ") and "content-safety" in text
    assert "change the prompt" in text and sim.create_count == 0


def test_failed_task_says_it_was_not_charged_and_a_rerun_tries_again(sim, make_job, tmp_path):
    job = make_job(prompt="something risky", scene="scenes[1]")
    with pytest.raises(KlingTaskFailed) as err:
        provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    text = str(err.value)
    assert text.startswith("scenes[1]: ") and "risk control" in text
    assert "not charged" in text and "change the prompt" in text
    assert sim.state.charged == 0
    sim.inject("task_fail")
    job2 = make_job()
    with pytest.raises(KlingTaskFailed):
        provider_for(client_for(sim), tmp_path).generate(job2, Statuses())
    said = Statuses()
    result = provider_for(client_for(sim), tmp_path).generate(job2, said)
    assert result.details["attempt"] == 2 and any("not charged" in m for m in said)


def test_polling_gives_up_then_a_rerun_resumes(sim, make_job, tmp_path):
    job = make_job()
    sim.config.slow_queue = 3.0
    sim.inject("slow_queue")  # queued for 3 latencies
    impatient = provider_for(client_for(sim), tmp_path, poll=PollPolicy(0.05, 0.05, 0.1, 1, 0.2))
    with pytest.raises(KlingStillRunning, match="next run picks it up"):
        impatient.generate(job, Statuses())
    patient = provider_for(client_for(sim), tmp_path, poll=PollPolicy(0.1, 0.1, 0.2, 1, 10))
    patient.generate(job, Statuses())
    assert sim.create_count == 1


def test_impossible_image_is_refused_before_any_request(sim, provider, make_job, make_image):
    job = make_job(image=make_image(200, 200))
    with pytest.raises(KlingImageError) as err:
        provider.generate(job, Statuses())
    assert str(err.value).startswith("scenes[2]: ") and "300 px" in str(err.value)
    assert provider.client.requests == 0 and not provider.journal.path.exists()


def test_secrets_never_reach_statuses_journal_or_errors(sim, make_job, tmp_path):
    said = Statuses()
    client = client_for(sim)
    sim.inject("rate_limit")
    sim.inject("expire_url")
    with pytest.raises(KlingResultExpired) as err:
        provider_for(client, tmp_path).generate(make_job(), said)
    token = client.minter.token()
    texts = [*said, str(err.value), (tmp_path / "kling-journal.jsonl").read_text()]
    for text in texts:
        assert sim.secret_key not in text and token not in text


def test_half_downloaded_files_of_a_killed_run_are_cleaned_up(sim, provider, make_job):
    job = make_job()
    job.dest.parent.mkdir(parents=True)
    stale = job.dest.with_name(f".{job.dest.stem}.kling-999999-1.part.mp4")
    stale.write_bytes(b"half")
    provider.generate(job, Statuses())
    assert not stale.exists() and job.dest.exists()


def test_a_deleted_clip_is_fetched_again_from_its_task_without_paying(sim, make_job, tmp_path):
    job = make_job()
    provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    job.dest.unlink()
    result = provider_for(client_for(sim), tmp_path).generate(job, Statuses())
    assert job.dest.exists() and sim.create_count == 1 and result.details["spent_now"] == 0


def test_account_errors_fail_fast_naming_the_scene(sim, provider, make_job):
    sim.inject("balance")
    with pytest.raises(KlingBalanceError) as err:
        provider.generate(make_job(scene="scenes[3]"), Statuses())
    assert str(err.value).startswith("scenes[3]: ") and "nothing was charged" in str(err.value)
    assert provider.client.requests == 1 and sim.create_count == 0
    wrong = KlingClient(sim.access_key, "wrong-secret-0123456789abcdefghijk", sim.base_url)
    with pytest.raises(KlingAuthError) as err:
        provider_for(wrong, provider.journal.path.parent).generate(make_job(), Statuses())
    assert str(err.value).startswith("scenes[2]: ") and "KLING_SECRET_KEY" in str(err.value)
