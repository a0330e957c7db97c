"""Downloading a result through an injected transport: no token to the CDN, verification."""

from __future__ import annotations

import httpx
import pytest
from kling_helpers import FAST_RETRY

from cmforge.generate.kling import KlingClient, KlingDownloadError, KlingResultExpired
from cmforge.generate.kling.download import download_clip, verify_clip
from cmforge.generate.kling.sim.media import ClipMaker

URL = "https://cdn.kwimgs.test/result/abc.mp4?sign=xyz"


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory) -> bytes:
    return ClipMaker(tmp_path_factory.mktemp("clips")).clip(5, "16:9").read_bytes()


def cdn_client(answers: list, seen: list[httpx.Request]) -> KlingClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, body = answers.pop(0)
        return httpx.Response(status, content=body)

    return KlingClient(
        "ak",
        "sk-0123456789abcdefghijklmnopqrstuv",
        "https://api.test",
        transport=httpx.MockTransport(handler),
        retry=FAST_RETRY,
        sleep=lambda s: None,
    )


def test_download_sends_no_token_and_replaces_atomically(tmp_path, clip_bytes):
    seen: list[httpx.Request] = []
    dest = tmp_path / "out" / "clip.mp4"
    info = download_clip(cdn_client([(503, b""), (200, clip_bytes)], seen), URL, dest, 5)
    assert info.duration == 5.0 and dest.read_bytes() == clip_bytes
    assert len(seen) == 2 and all("authorization" not in r.headers for r in seen)
    assert [p.name for p in dest.parent.iterdir()] == ["clip.mp4"]


@pytest.mark.parametrize("status", [403, 404, 410])
def test_a_dead_link_is_an_expired_result(tmp_path, status):
    seen: list[httpx.Request] = []
    with pytest.raises(KlingResultExpired):
        download_clip(cdn_client([(status, b"gone")], seen), URL, tmp_path / "c.mp4", 5)
    assert len(seen) == 1 and not (tmp_path / "c.mp4").exists()


def test_truncated_and_wrong_length_and_garbage_are_rejected(tmp_path, clip_bytes):
    for body, words in [
        (clip_bytes[: len(clip_bytes) // 2], "truncated"),
        (b"<html>hotlink protection</html>", "unreadable"),
    ]:
        dest = tmp_path / "c.mp4"
        with pytest.raises(KlingDownloadError, match=words):
            download_clip(cdn_client([(200, body)], []), URL, dest, 5)
        assert not dest.exists() and list(tmp_path.iterdir()) == []
    good = tmp_path / "good.mp4"
    good.write_bytes(clip_bytes)
    with pytest.raises(KlingDownloadError, match="10 s were asked for"):
        verify_clip(good, 10)
