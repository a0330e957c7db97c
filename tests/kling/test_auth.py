"""The HS256 token of section 2: claims, header, caching, renewal, and 1003/1004 re-mint."""

from __future__ import annotations

import json

import httpx
import jwt
import pytest
from kling_helpers import FAST_RETRY, client_for

from cmforge.generate.kling import KlingAuthError, KlingClient, Simulator, TokenMinter, mint_token

AK, SK = "ak-test-123", "sk-very-secret-456-0123456789abcdefghij"


class Clock:
    def __init__(self, t: float = 1_760_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_token_has_the_documented_header_and_claims():
    token = mint_token(AK, SK, now=1_760_000_000.4)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    options = {"verify_exp": False, "verify_nbf": False}
    claims = jwt.decode(token, SK, algorithms=["HS256"], options=options)
    assert claims == {"iss": AK, "exp": 1_760_001_800, "nbf": 1_759_999_995}


def test_token_is_cached_and_renewed_at_80_percent_of_its_lifetime():
    clock = Clock()
    minter = TokenMinter(AK, SK, clock=clock)
    first = minter.token()
    clock.t += 1439  # just under 80 % of 1800 s
    assert minter.token() == first and minter.minted == 1
    clock.t += 2
    second = minter.token()
    assert second != first and minter.minted == 2
    assert minter.renew(stale=first) == second  # another thread already renewed: keep it
    clock.t += 1
    assert minter.renew(stale=second) != second and minter.minted == 3


def test_keys_and_token_never_show_in_reprs():
    minter = TokenMinter(AK, SK)
    client = KlingClient(AK, SK, "http://127.0.0.1:9")
    for text in (repr(minter), repr(client), str(vars(client))):
        assert SK not in text and minter.token() not in text


def recording_transport(seen: list[httpx.Request], answers: list[tuple[int, dict]]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, body = answers.pop(0) if answers else (200, {"code": 0, "data": {}})
        return httpx.Response(status, json={"message": "x", "request_id": "r", **body})

    return httpx.MockTransport(handler)


def test_every_request_carries_bearer_and_json_content_type():
    seen: list[httpx.Request] = []
    client = KlingClient(AK, SK, "https://k.test", transport=recording_transport(seen, []))
    client.get_task("text2video", "1")
    client.create_text2video({"prompt": "p"})
    for request in seen:
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer" and token.count(".") == 2 and " " not in token
        assert request.headers["Content-Type"] == "application/json"
        assert jwt.decode(token, SK, algorithms=["HS256"])["iss"] == AK
    assert json.loads(seen[1].content) == {"prompt": "p"}


@pytest.mark.parametrize("code", [1003, 1004])
def test_refused_token_is_reminted_once_and_the_call_retried(code: int):
    seen: list[httpx.Request] = []
    answers = [(401, {"code": code}), (200, {"code": 0, "data": {"task_id": "9"}})]
    client = KlingClient(AK, SK, "https://k.test", transport=recording_transport(seen, answers))
    assert client.get_task("text2video", "9").task_id == "9"
    assert len(seen) == 2 and client.minter.minted == 2


def test_a_token_refused_twice_fails_with_an_auth_error_without_secrets():
    seen: list[httpx.Request] = []
    answers = [(401, {"code": 1004})] * 3
    client = KlingClient(AK, SK, "https://k.test", transport=recording_transport(seen, answers))
    with pytest.raises(KlingAuthError) as err:
        client.get_task("text2video", "9")
    assert len(seen) == 2  # re-minted exactly once
    assert "expired" in str(err.value) and SK not in str(err.value)


def test_simulator_expired_token_is_reminted_over_real_http(sim: Simulator):
    client = client_for(sim)
    task = client.create_text2video({"prompt": "a cup", "external_task_id": "cmf-a"})
    sim.inject("expired_token")
    assert client.get_task("text2video", task.task_id).task_id == task.task_id
    assert client.minter.minted == 2


def test_a_clock_far_behind_the_server_gives_a_clear_auth_error(sim: Simulator):
    late = Clock(sim.state.clock() - 4000)  # tokens the server sees as expired
    client = client_for(sim, clock=late)
    with pytest.raises(KlingAuthError) as err:
        client.get_task("text2video", "1")
    assert "token has expired" in str(err.value) and "clock" in str(err.value)
    assert client.requests == 2 and client.minter.minted == 2


def test_wrong_secret_is_refused_as_malformed(sim: Simulator):
    client = KlingClient(
        sim.access_key, "not-the-secret-0123456789abcdefghijkl", sim.base_url, retry=FAST_RETRY
    )
    with pytest.raises(KlingAuthError) as err:
        client.get_task("text2video", "1")
    assert err.value.code == 1002 and client.requests == 1
