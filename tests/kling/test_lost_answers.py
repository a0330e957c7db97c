"""Lost create answers against a real server (issue 11, section 5): whichever ways the server
answers a lookup by external_task_id (path, query, both, none) and whether it refuses or
accepts a duplicate id, a create whose answer was lost ends with exactly one task."""

from __future__ import annotations

import json

import httpx
import pytest
from kling_helpers import Statuses, client_for, generate_record, job_of, provider_for

from cmforge.generate.kling import KlingClient, KlingServerError, Simulator
from cmforge.generate.kling.request import build_request, external_task_id

LOOKUPS = ["path", "query", "both", "none"]
DUPLICATES = ["refuse", "accept"]


def paid(sim: Simulator) -> list[dict]:
    """What the simulator created, as a test outside the process sees it."""
    return httpx.get(f"{sim.base_url}/_sim/tasks").json()


@pytest.mark.parametrize("duplicate", DUPLICATES)
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_an_answer_lost_during_the_run_is_found_not_paid_again(
    media_dir, tmp_path, lookup, duplicate
):
    options = {"external_lookup": lookup, "duplicate_external": duplicate}
    with Simulator(latency=0.3, seed=3, media_dir=media_dir, **options) as sim:
        sim.inject("drop_after_create")
        job = job_of(generate_record(), tmp_path / "clips" / "shot.mp4")
        said = Statuses()
        result = provider_for(client_for(sim), tmp_path).generate(job, said)
        [task] = paid(sim)
        assert task["id"] == result.task_id and task["kind"] == "text2video"
        assert task["external_task_id"] == external_task_id(job.fingerprint)
        assert isinstance(task["created_at"], int) and job.dest.is_file()


@pytest.mark.parametrize("duplicate", DUPLICATES)
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_a_rerun_after_a_lost_answer_finds_the_task(media_dir, tmp_path, lookup, duplicate):
    options = {"external_lookup": lookup, "duplicate_external": duplicate}
    with Simulator(latency=0.3, seed=3, media_dir=media_dir, **options) as sim:
        job = job_of(generate_record(), tmp_path / "clips" / "shot.mp4")
        provider = provider_for(client_for(sim), tmp_path)
        ext = external_task_id(job.fingerprint)
        req = build_request(job.generate, "9:16", ext)
        # the run that was stopped: its intent journalled, its create stored, the answer lost
        provider.journal.intent(ext, key=ext, scene="s", family=req.family, attempt=1, request={})
        client_for(sim).create(req.family, req.body)
        for n in range(3):  # other tasks of the account, newer than ours
            client_for(sim).create(req.family, {**req.body, "external_task_id": f"other-{n}"})
        result = provider.generate(job, Statuses())
        assert [t["id"] for t in paid(sim) if t["external_task_id"] == ext] == [result.task_id]
        assert len(paid(sim)) == 4


def test_the_simulator_modes_from_the_command_line():
    from cmforge.cli.kling import _simulate_parser

    args = _simulate_parser().parse_args(["--external-lookup", "none", "--duplicate-external",
                                          "accept"])  # fmt: skip
    assert (args.external_lookup, args.duplicate_external) == ("none", "accept")


# ----- the list scan, on a mock server with many pages -------------------------------------

PAGE = 500
NOW_MS = 1_760_000_000_000


def listing(total: int, step_ms: int, newest_first: bool = True, hit: int | None = None):
    """A server that knows `total` tasks, one every `step_ms`, and never answers a lookup by
    external_task_id; records the pages asked for."""
    asked: list[int] = []

    def task(i: int) -> dict:
        ext = "cmf-wanted" if i == hit else f"other-{i}"
        return {"task_id": str(860 + i), "task_status": "succeed", "created_at": NOW_MS - i *
                step_ms, "updated_at": 0, "task_info": {"external_task_id": ext}}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cmf-wanted"):
            body = {"code": 1203, "message": "no such task", "request_id": "r"}
            return httpx.Response(404, content=json.dumps(body).encode())
        if "pageNum" not in request.url.params:  # ?external_task_id= ignored: page 1 of the list
            return httpx.Response(200, content=json.dumps(page_of(1)).encode())
        page = int(request.url.params["pageNum"])
        asked.append(page)
        return httpx.Response(200, content=json.dumps(page_of(page)).encode())

    def page_of(page: int) -> dict:
        order = range(total) if newest_first else range(total - 1, -1, -1)
        chunk = [task(i) for i in list(order)[(page - 1) * PAGE : page * PAGE]]
        return {"code": 0, "message": "SUCCEED", "request_id": "r", "data": chunk}

    client = KlingClient("ak", "sk-0123456789abcdefghijklmnopqrstuv", "https://kling.test",
                         transport=httpx.MockTransport(handler))  # fmt: skip
    return client, asked


def test_the_scan_stops_a_page_past_the_intent_when_pages_come_newest_first():
    client, asked = listing(3000, step_ms=60_000)  # a task a minute
    assert client.find_task("text2video", "cmf-wanted", since_ms=NOW_MS - 3_600_000) is None
    assert asked == [1], "page 1 reaches back 500 minutes, past the intent less 15 minutes"
    client, asked = listing(3000, step_ms=60_000, hit=1200)
    assert client.find_task("text2video", "cmf-wanted", since_ms=None).task_id == "2060"
    assert asked == [1, 2, 3]


def test_the_scan_reads_to_the_end_when_the_order_is_not_newest_first():
    client, asked = listing(1200, step_ms=60_000, newest_first=False)
    assert client.find_task("text2video", "cmf-wanted", since_ms=NOW_MS - 3_600_000) is None
    assert asked == [1, 2, 3]


def test_a_list_too_long_to_read_is_not_taken_for_no_task(monkeypatch):
    monkeypatch.setattr("cmforge.generate.kling.lookup.SCAN_PAGES", 2)
    client, _ = listing(3000, step_ms=1)
    with pytest.raises(KlingServerError, match="cannot confirm"):
        client.find_task("text2video", "cmf-wanted", since_ms=NOW_MS)
