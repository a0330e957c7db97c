"""The client against the simulator over real loopback HTTP."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from kling_helpers import SimClock, client_for

from cmforge.generate.kling import (
    KlingBalanceError,
    KlingClient,
    KlingContentRejected,
    KlingNotFound,
    KlingRateLimited,
    KlingRequestError,
    RetryPolicy,
    Simulator,
)


def wait_until_done(client: KlingClient, family: str, task_id: str, limit: float = 5.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        task = client.get_task(family, task_id)
        if task.done:
            return task
        time.sleep(0.05)
    raise AssertionError("the simulated task never finished")


def test_text2video_lifecycle_and_both_lookups(sim: Simulator, client: KlingClient):
    body = {
        "model_name": "kling-v1-6",
        "prompt": "a lamp",
        "mode": "std",
        "duration": "5",
        "aspect_ratio": "9:16",
        "cfg_scale": 0.5,
        "external_task_id": "cmf-lamp",
    }
    created = client.create_text2video(body)
    assert created.status == "submitted" and created.task_id.isdigit()
    assert created.external_task_id == "cmf-lamp" and not created.videos
    by_ext = client.get_task_by_external_id("text2video", "cmf-lamp")
    assert by_ext.task_id == created.task_id
    done = wait_until_done(client, "text2video", created.task_id)
    assert done.succeeded and done.units == 2.0 and done.updated_at > done.created_at
    assert done.videos[0].duration == 5.0 and done.videos[0].url.startswith(sim.base_url)
    assert client.find_task("image2video", "cmf-lamp") is None  # queried in its own family
    assert [t.task_id for t in client.list_tasks("text2video")] == [created.task_id]
    assert sim.create_count == 1


def test_image2video_with_a_base64_image(sim, client, make_image):
    png = base64.b64encode(make_image(720, 1280).read_bytes()).decode()
    task = client.create_image2video({"image": png, "prompt": "slow push in", "duration": "10"})
    done = wait_until_done(client, "image2video", task.task_id)
    assert done.videos[0].duration == 10.0
    assert sim.tasks[task.task_id].facts.aspect == "9:16"  # follows the image


def test_account_costs_show_the_deduction(sim, client):
    task = client.create_text2video({"prompt": "a lamp", "model_name": "kling-v1"})
    wait_until_done(client, "text2video", task.task_id)
    video, image = client.account_costs()
    assert video.total == 1000 and video.remaining == 999 and video.status == "online"
    assert image.name.startswith("Image") and image.remaining == image.total == 10000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": "x", "mode": "standard"}, "mode"),
        ({"prompt": "x", "duration": "7"}, "duration"),
        ({"prompt": "x", "cfg_scale": 1.5}, "cfg_scale"),
        ({"prompt": "x", "aspect_ratio": "4:3"}, "aspect_ratio"),
        ({"prompt": "x" * 2501}, "prompt"),
        ({"mode": "std"}, "prompt"),
        ({"prompt": "x", "camera_control": {"type": "zoom"}}, "camera_control"),
    ],
)
def test_simulator_refuses_bad_parameters_naming_the_field(client, body, field):
    with pytest.raises(KlingRequestError) as err:
        client.create_text2video(body)
    assert err.value.code == 1201 and field in str(err.value) and client.requests == 1


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ("data:image/png;base64,AAAA", "data: prefix"),
        ("not base64!", "neither a URL nor base64"),
        ("small", "at least 300 px"),
        ("wide", "aspect ratio"),
        ("", "cannot both be empty"),
    ],
)
def test_simulator_refuses_bad_images(client, make_image, image, words):
    if image in ("small", "wide"):
        size = (200, 400) if image == "small" else (1600, 400)
        image = base64.b64encode(make_image(*size).read_bytes()).decode()
    with pytest.raises(KlingRequestError) as err:
        client.create_image2video({"image": image})
    assert words in str(err.value)


def test_unknown_model_and_unknown_task_are_1203(client):
    with pytest.raises(KlingNotFound):
        client.create_text2video({"prompt": "x", "model_name": "kling-v9"})
    with pytest.raises(KlingNotFound):
        client.get_task("text2video", "123")


def test_duplicate_external_id_is_adopted_not_created_twice(sim, client):
    first = client.create_text2video({"prompt": "x", "external_task_id": "cmf-dup"})
    again = client.create_text2video({"prompt": "x", "external_task_id": "cmf-dup"})
    assert again.task_id == first.task_id and sim.create_count == 1


def test_rate_limit_burst_and_server_errors_are_retried(sim, client):
    sim.inject("rate_limit", count=2)
    sim.inject("server_error", count=1, route="query")
    task = client.create_text2video({"prompt": "x", "external_task_id": "cmf-rl"})
    assert client.get_task("text2video", task.task_id).task_id == task.task_id
    assert sim.create_count == 1 and client.requests == 5


def test_a_stored_create_whose_answer_was_lost_is_found_not_repeated(sim, client):
    sim.inject("drop_after_create")
    sim.inject("timeout_after_create")
    a = client.create_text2video({"prompt": "x", "external_task_id": "cmf-drop"})
    b = client.create_text2video({"prompt": "y", "external_task_id": "cmf-timeout"})
    assert a.external_task_id == "cmf-drop" and b.external_task_id == "cmf-timeout"
    assert sim.create_count == 2


def test_concurrency_cap_is_1303_and_frees_when_tasks_end(media_dir):
    clock = SimClock()
    with Simulator(latency=0.3, seed=1, media_dir=media_dir, concurrency=1, clock=clock) as sim:
        client = client_for(sim, retry=RetryPolicy(attempts=1))
        client.create_text2video({"prompt": "one"})
        with pytest.raises(KlingRateLimited) as err:
            client.create_text2video({"prompt": "two"})
        assert err.value.code == 1303 and "parallel task" in str(err.value)
        clock.advance(0.5)  # the first task has ended
        client.create_text2video({"prompt": "two"})
        assert sim.create_count == 2


def test_moderation_and_balance_fail_fast(media_dir):
    with Simulator(latency=0.2, media_dir=media_dir, pack_units=1) as sim:
        client = client_for(sim)
        with pytest.raises(KlingContentRejected) as err:
            client.create_text2video({"prompt": "a forbidden thing"})
        assert err.value.code == 1301 and client.requests == 1
        task = client.create_text2video({"prompt": "ok", "model_name": "kling-v1"})
        wait_until_done(client, "text2video", task.task_id)
        with pytest.raises(KlingBalanceError) as err:
            client.create_text2video({"prompt": "ok again"})
        assert err.value.code == 1102 and "resource pack" in str(err.value)


def test_a_flagged_image_is_refused_by_content_safety(media_dir, make_image):
    still = make_image(720, 1280)
    digest = hashlib.sha256(still.read_bytes()).hexdigest()
    with Simulator(latency=0.2, media_dir=media_dir, flagged_images=(digest,)) as sim:
        client = client_for(sim)
        with pytest.raises(KlingContentRejected, match="image"):
            client.create_image2video({"image": base64.b64encode(still.read_bytes()).decode()})
