"""The HS256 token of kling-api.md section 2, minted from the access key and secret key.

The token is cached and minted again once 80 % of its lifetime has passed (or on demand
after a 1004 "token expired"). Neither the keys nor the token ever appear in a repr, a
log line or an exception message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import jwt

LIFETIME = 1800  # seconds, as in the official sample
SKEW = 5  # nbf = now - 5 s tolerates a slightly fast server clock
RENEW_AT = 0.8  # fraction of the lifetime after which a new token is minted


def mint_token(access_key: str, secret_key: str, now: float, lifetime: int = LIFETIME) -> str:
    """One token: header {alg: HS256, typ: JWT}, claims {iss, exp, nbf} in Unix seconds."""
    claims = {"iss": access_key, "exp": int(now) + lifetime, "nbf": int(now) - SKEW}
    return jwt.encode(claims, secret_key, algorithm="HS256", headers={"typ": "JWT"})


class TokenMinter:
    """Hands out a valid bearer token, minting a new one before the old one runs out."""

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        *,
        lifetime: int = LIFETIME,
        clock: Callable[[], float] = time.time,
    ):
        if not access_key or not secret_key:
            raise ValueError("both the Kling access key and secret key are needed")
        self._access_key = access_key
        self._secret_key = secret_key
        self.lifetime = lifetime
        self.clock = clock
        self._token = ""
        self._minted_at = 0.0
        self._lock = threading.Lock()
        self.minted = 0  # how many tokens were made (tests watch the renewal)

    def __repr__(self) -> str:
        return f"TokenMinter(lifetime={self.lifetime})"

    @property
    def access_key(self) -> str:
        return self._access_key

    def token(self) -> str:
        """The cached token, or a fresh one once 80 % of its lifetime has passed."""
        with self._lock:
            now = self.clock()
            if not self._token or now - self._minted_at >= RENEW_AT * self.lifetime:
                self._mint(now)
            return self._token

    def renew(self, stale: str | None = None) -> str:
        """A new token; with ``stale``, only if no other thread already replaced that one."""
        with self._lock:
            if stale is None or self._token == stale:
                self._mint(self.clock())
            return self._token

    def authorization(self) -> str:
        """The header value: exactly ``Bearer <token>``."""
        return f"Bearer {self.token()}"

    def _mint(self, now: float) -> None:
        self._token = mint_token(self._access_key, self._secret_key, now, self.lifetime)
        self._minted_at = now
        self.minted += 1
