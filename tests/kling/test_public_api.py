"""The kling package's public names, and wiring from the environment."""

from __future__ import annotations

import pytest

import cmforge.generate.kling as kling
from cmforge.generate.kling import (
    DEFAULT_BASE_URL,
    KlingAuthError,
    KlingClient,
    KlingProvider,
    has_credentials,
    journal_path,
    provider_from_env,
)

EXPECTED = {
    "DEFAULT_BASE_URL", "Journal", "Kling", "KlingAccountError", "KlingAuthError",
    "KlingBalanceError", "KlingSettings",
    "KlingClient", "KlingContentRejected", "KlingDownloadError", "KlingError", "KlingImageError",
    "KlingNetworkError", "KlingNotFound", "KlingProvider", "KlingRateLimited",
    "KlingRequestError", "KlingResultExpired", "KlingRetryableError", "KlingServerError",
    "KlingStillRunning", "KlingTaskFailed", "PollPolicy", "Price", "PriceTable", "ResourcePack",
    "RetryPolicy", "Simulator", "TaskRecord", "TokenMinter", "has_credentials", "journal_path",
    "mint_token", "provider_from_env",
}  # fmt: skip


def test_public_names_are_exactly_all():
    assert set(kling.__all__) == EXPECTED and kling.__all__ == sorted(kling.__all__)
    for name in kling.__all__:
        assert getattr(kling, name) is not None
    errors = [getattr(kling, n) for n in kling.__all__ if n.startswith("Kling") and "Error" in n]
    assert all(issubclass(e, kling.KlingError) for e in errors)


def test_provider_from_env(tmp_path):
    assert provider_from_env(tmp_path, {}) is None
    assert not has_credentials({"KLING_ACCESS_KEY": "a"})
    env = {"KLING_ACCESS_KEY": "ak", "KLING_SECRET_KEY": "sk-0123456789abcdefghijklmnopqrstu"}
    provider = provider_from_env(tmp_path, env)
    assert isinstance(provider, KlingProvider) and provider.client.base_url == DEFAULT_BASE_URL
    assert provider.journal.path == journal_path(tmp_path)
    provider = provider_from_env(tmp_path, {**env, "KLING_API_BASE": "http://127.0.0.1:9/"})
    assert provider is not None and provider.client.base_url == "http://127.0.0.1:9"


def test_client_from_env_needs_both_keys():
    with pytest.raises(KlingAuthError, match="KLING_SECRET_KEY"):
        KlingClient.from_env({"KLING_ACCESS_KEY": "ak"})
