"""The simulator itself: JWT checks, envelope, lifecycle on a fake clock, URLs, main()."""

from __future__ import annotations

import io
import threading
import uuid
import warnings

import httpx
import jwt
import pytest
from kling_helpers import client_for

from cmforge.cli.kling import simulate as main
from cmforge.generate.kling import Simulator, mint_token


class Clock:
    def __init__(self, t: float = 1_760_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake_sim(media_dir, clock):
    with Simulator(latency=60, seed=3, media_dir=media_dir, clock=clock, url_ttl=100) as s:
        yield s


def call(sim: Simulator, method: str, path: str, token: str | None = "", **kw) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token == "":
        token = mint_token(sim.access_key, sim.secret_key, sim.state.clock())
    if token is not None:
        headers["Authorization"] = token if token.startswith(("Bearer", "x")) else f"Bearer {token}"
    return httpx.request(method, sim.base_url + path, headers=headers, timeout=5, **kw)


def test_envelope_fields_on_success_and_error(fake_sim):
    ok = call(fake_sim, "POST", "/v1/videos/text2video", json={"prompt": "a cup"}).json()
    assert ok["code"] == 0 and ok["message"] == "SUCCEED" and uuid.UUID(ok["request_id"])
    assert ok["data"]["task_status"] == "submitted" and ok["data"]["task_id"].isdigit()
    bad = call(fake_sim, "GET", "/v1/videos/text2video/42")
    assert bad.status_code == 404
    assert bad.json()["code"] == 1203 and isinstance(bad.json()["message"], str)
    assert uuid.UUID(bad.json()["request_id"])


def test_jwt_checks(fake_sim, clock):
    sim = fake_sim
    now = clock()
    with warnings.catch_warnings():  # a short key for HS512: exactly what is being tested
        warnings.simplefilter("ignore")
        claims = {"iss": sim.access_key, "exp": now + 60, "nbf": now - 5}
        wrong_alg = jwt.encode(claims, sim.secret_key, algorithm="HS512")
    cases = [
        (None, 1001),
        ("xBearer abc", 1002),
        ("Bearer  " + mint_token(sim.access_key, sim.secret_key, now), 1002),
        ("not-a-jwt", 1002),
        (mint_token(sim.access_key, "another-secret-0123456789abcdefghijk", now), 1002),
        (mint_token("unknown-ak", sim.secret_key, now), 1002),
        (wrong_alg, 1002),
        (mint_token(sim.access_key, sim.secret_key, now + 60), 1003),
        (mint_token(sim.access_key, sim.secret_key, now - 1800), 1004),
    ]
    for token, code in cases:
        r = call(sim, "GET", "/v1/videos/text2video/1", token=token)
        assert (r.status_code, r.json()["code"]) == (401, code), token


def test_methods_json_and_pagination(fake_sim):
    sim = fake_sim
    assert call(sim, "DELETE", "/v1/videos/text2video/1").json()["code"] == 1202
    assert call(sim, "POST", "/account/costs").json()["code"] == 1202
    r = call(sim, "POST", "/v1/videos/text2video", content=b"{not json")
    assert (r.status_code, r.json()["code"]) == (400, 1200)
    for params in ({"pageNum": 0}, {"pageSize": 501}, {"pageNum": "x"}):
        r = call(sim, "GET", "/v1/videos/text2video", params=params)
        assert (r.status_code, r.json()["code"]) == (400, 1201)
    for i in range(3):
        call(sim, "POST", "/v1/videos/text2video", json={"prompt": f"p{i}"})
    page = call(sim, "GET", "/v1/videos/text2video", params={"pageNum": 2, "pageSize": 2})
    assert len(page.json()["data"]) == 1


def test_lifecycle_follows_the_clock(fake_sim, clock):
    client = client_for(fake_sim, clock=clock)
    task = client.create_text2video({"prompt": "a cup", "external_task_id": "cmf-c"})
    assert client.get_task("text2video", "cmf-c").status == "submitted"
    clock.t += 13
    processing = client.get_task("text2video", task.task_id)
    assert processing.status == "processing" and processing.updated_at > processing.created_at
    assert not processing.videos and "task_result" not in processing.raw
    clock.t += 48
    done = client.get_task("text2video", task.task_id)
    assert done.succeeded and done.updated_at > processing.updated_at and done.videos
    r = httpx.get(
        fake_sim.base_url + "/v1/videos/text2video",
        params={"external_task_id": "cmf-c"},
        headers={"Authorization": "Bearer " + client.minter.token()},
    )
    assert r.json()["data"]["task_id"] == task.task_id
    url = done.videos[0].url
    assert httpx.get(url).status_code == 200
    clock.t += 101  # url_ttl = 100 s
    assert httpx.get(url).status_code == 410


def test_moderation_failure_is_not_charged(fake_sim, clock):
    client = client_for(fake_sim, clock=clock)
    task = client.create_text2video({"prompt": "something risky"})
    clock.t += 61
    failed = client.get_task("text2video", task.task_id)
    assert failed.failed and "risk control" in failed.status_msg and failed.units is None
    assert fake_sim.state.charged == 0


def test_slow_queue_and_costs_lag(media_dir, clock):
    with Simulator(latency=10, media_dir=media_dir, clock=clock, costs_lag=3600) as sim:
        client = client_for(sim, clock=clock)
        sim.inject("slow_queue")
        task = client.create_text2video({"prompt": "x", "model_name": "kling-v1"})
        clock.t += 60
        assert client.get_task("text2video", task.task_id).status == "submitted"
        clock.t += 60
        assert client.get_task("text2video", task.task_id).succeeded
        assert client.account_costs()[0].remaining == 1000  # the charge is not visible yet
        clock.t += 3600
        assert client.account_costs()[0].remaining == 999


def test_fail_rate_is_reproducible_by_seed(media_dir):
    def codes(seed: int) -> list[int]:
        with Simulator(latency=1, fail_rate=0.5, seed=seed, media_dir=media_dir) as sim:
            return [call(sim, "GET", "/v1/videos/text2video/1").json()["code"] for _ in range(12)]

    first = codes(11)
    assert first == codes(11) and {1203} < set(first)


def test_main_prints_how_to_connect_and_stops(media_dir):
    out = io.StringIO()
    t = threading.Thread(target=main, args=(["--port", "0", "--serve-for", "0.3"], out))
    t.start()
    t.join(5)
    text = out.getvalue()
    assert "http://127.0.0.1:" in text and "export KLING_SECRET_KEY=" in text
    assert "export KLING_API_BASE=http://127.0.0.1:" in text


def test_strict_mode_refuses_unknown_fields_and_integer_durations(media_dir):
    with Simulator(latency=1, media_dir=media_dir, strict=True) as sim:
        r = call(sim, "POST", "/v1/videos/text2video", json={"prompt": "x", "colour": "red"})
        assert r.json()["code"] == 1201 and "colour" in r.json()["message"]
        r = call(sim, "POST", "/v1/videos/text2video", json={"prompt": "x", "duration": 5})
        assert r.json()["code"] == 1201 and "duration" in r.json()["message"]
    with Simulator(latency=1, media_dir=media_dir) as sim:  # lenient by default
        body = {"prompt": "x", "duration": 5, "sound": "off", "watermark_info": {"enabled": False}}
        assert call(sim, "POST", "/v1/videos/text2video", json=body).json()["code"] == 0
