"""Kling image generation: the simulator's routes, checks, slots, pack and results
(image-apis.md sections 6 and 7), and the `kling` still maker built on them."""

from __future__ import annotations

import io

import httpx
import pytest
from kling_helpers import FAST_POLL, Statuses, client_for
from PIL import Image

from cmforge.generate import STILL_PROVIDERS
from cmforge.generate.base import GenerationJob
from cmforge.generate.jobs import still_fingerprint
from cmforge.generate.kling import (
    Journal,
    KlingBalanceError,
    KlingContentRejected,
    KlingRequestError,
    Simulator,
)
from cmforge.generate.kling.still import KlingStillProvider
from cmforge.recipe.model import Generate

IMAGES = "images"


def wait(client, task_id):
    for _ in range(200):
        task = client.get_task(IMAGES, task_id)
        if task.done:
            return task
        client.sleep(0.02)
    raise AssertionError("the image task never ended")


def test_an_image_task_makes_n_distinct_images_and_charges_per_image(sim, client):
    task = client.create(IMAGES, {"prompt": "a lamp", "n": 2, "aspect_ratio": "9:16"})
    assert task.status == "submitted" and sim.state.image_slots(sim.state.clock()) == 2
    done = wait(client, task.task_id)
    assert len(done.videos) == 2 and done.units == 2  # kling-v1: 1 unit an image
    pictures = []
    for image in done.videos:
        data = httpx.get(image.url).content
        with Image.open(io.BytesIO(data)) as im:
            pictures.append((im.size, im.tobytes()))
    assert pictures[0][0] == (576, 1024) and pictures[0][1] != pictures[1][1]
    video, pack = client.account_costs()
    assert pack.remaining == pack.total - 2 and video.remaining == video.total
    [listed] = httpx.get(f"{sim.base_url}/_sim/tasks").json()
    assert listed["kind"] == "image" and listed["id"] == task.task_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": "x", "n": 10}, "n"),
        ({"prompt": "x", "aspect_ratio": "21:9"}, "aspect_ratio"),  # not on kling-v1
        ({"prompt": "x", "aspect_ratio": "5:4", "model_name": "kling-v2"}, "aspect_ratio"),
        ({"prompt": "x", "resolution": "2k"}, "resolution"),
        ({"prompt": "x", "image_reference": "face"}, "image_reference"),
        ({"negative_prompt": "y"}, "prompt"),
    ],
)
def test_the_simulator_refuses_what_kling_image_generation_refuses(client, body, field):
    with pytest.raises(KlingRequestError, match=field) as err:
        client.create(IMAGES, body)
    assert err.value.code == 1201


def test_negative_prompt_with_a_reference_image_is_refused(client, make_image):
    import base64

    image = base64.b64encode(make_image(400, 400).read_bytes()).decode()
    with pytest.raises(KlingRequestError, match="negative_prompt"):
        client.create(IMAGES, {"prompt": "x", "image": image, "negative_prompt": "blur"})


def test_image_slots_pack_and_moderation(media_dir):
    with Simulator(latency=5, seed=1, media_dir=media_dir) as sim:
        client = client_for(sim, retry=None)
        client.retry = type(client.retry)(attempts=1)
        client.create(IMAGES, {"prompt": "x", "n": 8})
        with pytest.raises(Exception, match="parallel task"):
            client.create(IMAGES, {"prompt": "x", "n": 2})  # 8 + 2 > 9 images at once
        client.create_text2video({"prompt": "x"})  # video tasks have their own slots
        with pytest.raises(KlingContentRejected) as err:
            client.create(IMAGES, {"prompt": "something forbidden"})
        assert err.value.code == 1301
    with Simulator(latency=5, seed=1, media_dir=media_dir, image_pack_units=0) as sim:
        with pytest.raises(KlingBalanceError):
            client_for(sim).create(IMAGES, {"prompt": "x"})  # a video-only account


def still_job(tmp_path, **options) -> GenerationJob:
    gen = Generate(
        provider="kling",
        image=None,
        image_tail=None,
        length=5,
        prompt="a cherry-blossom logo",
        negative_prompt="text",
        aspect_ratio="1:1",
        options={"model": None, "resolution": None, **options},
    )
    fp = still_fingerprint(gen, "kling")
    return GenerationJob(
        "stills[0]", gen, fp, tmp_path / "gen" / "logo.png", (1440, 1440), 1, "kling",
        makes="still",
    )  # fmt: skip


def still_provider(sim, tmp_path) -> KlingStillProvider:
    return KlingStillProvider(
        client_for(sim), Journal(tmp_path / "kling-journal.jsonl"), poll=FAST_POLL
    )


def test_the_kling_still_maker_is_registered_with_its_keys():
    maker = STILL_PROVIDERS["kling"]
    assert maker.makes == "still" and {"model", "resolution"} <= set(maker.options)
    assert maker.defaults["model"] == "kling-v1"


def test_a_still_is_made_once_and_says_where_it_came_from(sim, tmp_path):
    job = still_job(tmp_path, seed=42)
    provider = still_provider(sim, tmp_path)
    est = provider.estimate(job)
    assert est["unit"] == "Kling image units" and est["credits"] == 1 and not est["problems"]
    said = Statuses()
    result = provider.generate(job, said)
    with Image.open(job.dest) as im:
        assert im.format == "PNG" and im.size == (1024, 1024)
    assert result.task_id in sim.tasks and result.cost == 1 and result.money_usd == 0.0035
    assert result.details["sent"]["negative_prompt"] == "text"
    assert any("takes no seed" in m for m in said)
    again = still_provider(sim, tmp_path).generate(job, Statuses())
    assert again.details["reused"] and sim.create_count == 1


@pytest.mark.parametrize("lookup", ["path", "query", "both", "none"])
def test_a_still_whose_create_answer_was_lost_is_paid_once(media_dir, tmp_path, lookup):
    with Simulator(latency=0.3, seed=3, media_dir=media_dir, external_lookup=lookup) as sim:
        sim.inject("drop_after_create")
        job = still_job(tmp_path)
        still_provider(sim, tmp_path).generate(job, Statuses())
        assert len(httpx.get(f"{sim.base_url}/_sim/tasks").json()) == 1 and job.dest.is_file()


def test_a_still_kling_cannot_make_is_refused_before_anything_is_sent(sim, tmp_path):
    job = still_job(tmp_path, resolution="2k")  # kling-v1 makes 1k only
    provider = still_provider(sim, tmp_path)
    assert "2k" in provider.estimate(job)["problems"][0]
    with pytest.raises(KlingRequestError, match="nothing was sent"):
        provider.generate(job, Statuses())
    assert sim.request_count == 0


def test_an_expired_still_link_is_reported_and_a_refused_still_is_free(sim, tmp_path):
    from cmforge.generate.kling import KlingResultExpired, KlingTaskFailed

    sim.inject("expire_url")
    job = still_job(tmp_path)
    with pytest.raises(KlingResultExpired, match="the still of task .* paid for"):
        still_provider(sim, tmp_path).generate(job, Statuses())
    with pytest.raises(KlingResultExpired):  # never paid again on its own
        still_provider(sim, tmp_path).generate(job, Statuses())
    assert sim.create_count == 1
    risky = GenerationJob(
        "stills[1]",
        job.generate.__class__(**{**job.generate.__dict__, "prompt": "something risky"}),
        "f" * 64,
        tmp_path / "gen" / "risky.png",
        (1440, 1440),
        1,
        "kling",
        makes="still",
    )
    with pytest.raises(KlingTaskFailed, match="could not make the still"):
        still_provider(sim, tmp_path).generate(risky, Statuses())
    assert sim.state.image_charged == 1, "only the expired still was charged"
