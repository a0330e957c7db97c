"""Every business code of section 6 through an injected transport: class, retry, message."""

from __future__ import annotations

import httpx
import pytest
from kling_helpers import FAST_RETRY

from cmforge.errors import GenerationError
from cmforge.generate.kling import (
    KlingAccountError,
    KlingAuthError,
    KlingBalanceError,
    KlingClient,
    KlingContentRejected,
    KlingNetworkError,
    KlingNotFound,
    KlingRateLimited,
    KlingRequestError,
    KlingServerError,
)

AK, SK = "ak-errors", "sk-errors-0123456789abcdefghijklmnop"

# (HTTP, code, exception, retried?)
TABLE = [
    (401, 1000, KlingAuthError, False),
    (401, 1001, KlingAuthError, False),
    (401, 1002, KlingAuthError, False),
    (429, 1100, KlingAccountError, False),
    (429, 1101, KlingBalanceError, False),
    (429, 1102, KlingBalanceError, False),
    (403, 1103, KlingAccountError, False),
    (400, 1200, KlingRequestError, False),
    (400, 1201, KlingRequestError, False),
    (404, 1202, KlingRequestError, False),
    (404, 1203, KlingNotFound, False),
    (400, 1300, KlingContentRejected, False),
    (400, 1301, KlingContentRejected, False),
    (429, 1302, KlingRateLimited, True),
    (429, 1303, KlingRateLimited, True),
    (429, 1304, KlingAccountError, False),
    (500, 5000, KlingServerError, True),
    (503, 5001, KlingServerError, True),
    (504, 5002, KlingServerError, True),
]


class Script:
    """A MockTransport handler answering from a list, then with success."""

    def __init__(self, answers: list):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if not self.answers:
            return httpx.Response(
                200,
                json={
                    "code": 0,
                    "message": "SUCCEED",
                    "request_id": "ok",
                    "data": {"task_id": "77", "task_status": "submitted"},
                },
            )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, code = answer
        return httpx.Response(
            status, json={"code": code, "message": "said Kling", "request_id": "req-1"}
        )


def client_with(script: Script) -> tuple[KlingClient, list[float]]:
    waits: list[float] = []
    client = KlingClient(
        AK,
        SK,
        "https://kling.test",
        transport=httpx.MockTransport(script),
        retry=FAST_RETRY,
        sleep=waits.append,
    )
    return client, waits


@pytest.mark.parametrize(("status", "code", "kind", "retried"), TABLE)
def test_each_code_maps_to_its_class_and_retry_rule(status, code, kind, retried):
    script = Script([(status, code)] * 10)
    client, waits = client_with(script)
    with pytest.raises(kind) as err:
        client.get_task("image2video", "123")
    assert isinstance(err.value, GenerationError)
    assert err.value.code == code and err.value.http_status == status
    assert err.value.retryable is retried
    assert script.calls == (FAST_RETRY.attempts if retried else 1)
    assert len(waits) == (FAST_RETRY.attempts - 1 if retried else 0)
    text = str(err.value)
    assert f"code {code}" in text and "req-1" in text and "said Kling" in text
    assert SK not in text


@pytest.mark.parametrize("code", [1302, 1303, 5000, 5001, 5002])
def test_retryable_codes_succeed_after_a_burst(code: int):
    script = Script([(429 if code < 2000 else 500, code)] * 2)
    client, waits = client_with(script)
    assert client.get_task("text2video", "77").task_id == "77"
    assert script.calls == 3 and len(waits) == 2


def test_backoff_grows_with_jitter_and_concurrency_waits_at_least_a_second():
    client, waits = client_with(Script([(429, 1302)] * 3))
    client.retry = type(FAST_RETRY)(attempts=4, base=1.0, cap=30.0)
    client.get_task("text2video", "77")
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0 and 2.0 <= waits[2] <= 4.0
    client, waits = client_with(Script([(429, 1303)]))
    client.retry = type(FAST_RETRY)(attempts=4, base=0.01, cap=1.0)
    client.get_task("text2video", "77")
    assert waits == [1.0]


def test_a_nonzero_code_on_http_200_is_an_error():
    client, _ = client_with(Script([(200, 1201)]))
    with pytest.raises(KlingRequestError):
        client.get_task("text2video", "1")


def test_an_answer_without_the_envelope_is_translated():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>bad gateway</html>")

    client = KlingClient(
        AK,
        SK,
        "https://kling.test",
        transport=httpx.MockTransport(handler),
        retry=FAST_RETRY,
        sleep=lambda s: None,
    )
    with pytest.raises(KlingServerError) as err:
        client.get_task("text2video", "1")
    assert "HTTP 502" in str(err.value) and "gave up after 4 attempts" in str(err.value)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")],
)
def test_network_failures_are_retried_then_reported_in_words(failure: Exception):
    script = Script([failure, failure])
    client, waits = client_with(script)
    assert client.get_task("text2video", "77").task_id == "77"
    client, waits = client_with(Script([failure] * 10))
    with pytest.raises(KlingNetworkError) as err:
        client.get_task("text2video", "77")
    assert "Kling" in str(err.value) and "Bearer" not in str(err.value)


def test_an_ambiguous_create_failure_without_an_id_is_not_resent():
    script = Script([(500, 5000)])
    client, _ = client_with(script)
    with pytest.raises(KlingServerError) as err:
        client.create_text2video({"prompt": "p"})
    assert script.calls == 1 and "not re-sent" in str(err.value)


def test_an_ambiguous_create_failure_looks_up_the_id_before_resending():
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.method == "POST":
            return httpx.Response(504, json={"code": 5002, "message": "t", "request_id": "r"})
        data = {
            "task_id": "5",
            "task_status": "processing",
            "task_info": {"external_task_id": "cmf-x"},
        }
        return httpx.Response(
            200, json={"code": 0, "message": "SUCCEED", "request_id": "r", "data": data}
        )

    client = KlingClient(
        AK,
        SK,
        "https://kling.test",
        transport=httpx.MockTransport(handler),
        retry=FAST_RETRY,
        sleep=lambda s: None,
    )
    task = client.create_text2video({"prompt": "p", "external_task_id": "cmf-x"})
    assert task.task_id == "5"
    assert seen == [("POST", "/v1/videos/text2video"), ("GET", "/v1/videos/text2video/cmf-x")]


def test_rate_limited_creates_are_resent_without_a_lookup():
    script = Script([(429, 1302), (429, 1303)])
    client, _ = client_with(script)
    assert client.create_text2video({"prompt": "p", "external_task_id": "cmf-y"}).task_id == "77"
    assert script.calls == 3
