"""Looking a task up by external_task_id: the two forms of section 4.5, and the fallback."""

from __future__ import annotations

import json

import httpx
import pytest
from kling_helpers import FAST_RETRY, Statuses, client_for

from cmforge.generate.kling import KlingClient, KlingRequestError, Simulator

FAMILY = "text2video"


@pytest.mark.parametrize("lookup", ["both", "path", "query"])
@pytest.mark.parametrize("first", ["path", "query"])
def test_either_form_finds_the_task_on_any_server(media_dir, lookup, first):
    with Simulator(latency=0.3, seed=2, media_dir=media_dir, external_lookup=lookup) as sim:
        client = client_for(sim, external_lookup=first)
        task = client.create_text2video({"prompt": "a lamp", "external_task_id": "cmf-lamp"})
        said = Statuses()
        assert client.get_task_by_external_id(FAMILY, "cmf-lamp", said).task_id == task.task_id
        works = first if lookup in ("both", first) else lookup
        assert client.external_lookup == works
        assert any("external_task_id in the" in m for m in said) == (works != first)
        before = client.requests
        assert client.find_task(FAMILY, "cmf-lamp").task_id == task.task_id
        assert client.requests == before + 1, "the form that worked is asked first from now on"
        before = client.requests
        assert client.find_task(FAMILY, "cmf-none") is None
        assert client.requests == before + 3, "'no such task': both forms and the task list"


def test_the_simulator_answers_both_forms(media_dir):
    with Simulator(latency=0.3, seed=2, media_dir=media_dir) as sim:
        client = client_for(sim)
        task = client.create_text2video({"prompt": "a lamp", "external_task_id": "cmf-both"})
        headers = {"Authorization": "Bearer " + client.minter.token()}
        by_path = httpx.get(f"{sim.base_url}/v1/videos/{FAMILY}/cmf-both", headers=headers)
        by_query = httpx.get(
            f"{sim.base_url}/v1/videos/{FAMILY}",
            params={"external_task_id": "cmf-both"},
            headers=headers,
        )
        assert by_path.json()["data"]["task_id"] == by_query.json()["data"]["task_id"]
        assert by_query.json()["data"]["task_id"] == task.task_id


def test_not_found_is_asked_both_ways_and_in_the_task_list(media_dir):
    with Simulator(latency=0.3, seed=2, media_dir=media_dir) as sim:
        client = client_for(sim)
        assert client.find_task(FAMILY, "cmf-nothing") is None
        assert client.requests == 3 and sim.state.codes[1203] == 2


def test_a_lost_create_answer_is_found_on_a_server_with_only_the_query_form(media_dir):
    with Simulator(latency=0.3, seed=2, media_dir=media_dir, external_lookup="query") as sim:
        client = client_for(sim)
        sim.inject("drop_after_create")
        task = client.create_text2video({"prompt": "x", "external_task_id": "cmf-lost"})
        assert task.external_task_id == "cmf-lost" and sim.create_count == 1
        assert client.external_lookup == "query"


def envelope(data: object, code: int = 0, status: int = 200) -> httpx.Response:
    body = {"code": code, "message": "SUCCEED" if code == 0 else "no", "request_id": "r-1"}
    if code == 0:
        body["data"] = data
    return httpx.Response(status, content=json.dumps(body).encode())


TASK = {
    "task_id": "860000000000000001",
    "task_status": "processing",
    "task_info": {"external_task_id": "cmf-x"},
    "created_at": 1,
    "updated_at": 2,
}


def mock_client(handler) -> KlingClient:  # noqa: ANN001
    return KlingClient(
        "ak",
        "sk-0123456789abcdefghijklmnopqrstuv",
        "https://kling.test",
        transport=httpx.MockTransport(handler),
        retry=FAST_RETRY,
    )


def test_a_plain_404_on_the_path_form_falls_back_to_the_query_form():
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(
            request.url.path + ("?" + request.url.query.decode() if request.url.query else "")
        )
        if request.url.path.endswith("/cmf-x"):
            return httpx.Response(404, content=b"404 page not found")
        if request.url.params.get("external_task_id") == "cmf-x":
            return envelope(TASK)
        return envelope([])

    client = mock_client(handler)
    assert client.get_task_by_external_id(FAMILY, "cmf-x").task_id == TASK["task_id"]
    assert asked == [f"/v1/videos/{FAMILY}/cmf-x", f"/v1/videos/{FAMILY}?external_task_id=cmf-x"]
    client.get_task_by_external_id(FAMILY, "cmf-x")
    assert len(asked) == 3 and "external_task_id" in asked[-1]


def test_a_list_for_the_query_form_means_it_is_not_understood():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cmf-x"):
            return envelope(TASK)
        return envelope([TASK])  # the parameter was ignored: a page of tasks

    client = mock_client(handler)
    client.external_lookup = "query"
    assert client.get_task_by_external_id(FAMILY, "cmf-x").task_id == TASK["task_id"]
    assert client.external_lookup == "path"


def test_neither_form_understood_is_an_error_not_a_missing_task():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cmf-x"):
            return envelope(None, code=1202, status=404)
        return envelope(None, code=1201, status=400)

    client = mock_client(handler)
    with pytest.raises(KlingRequestError, match="neither way"):
        client.find_task(FAMILY, "cmf-x")
