"""The public pages' guards: a limit of requests per address, and the anonymous feedback form's
signed token and its own, much lower, limit per address.

The form carries a token signed with the server's secret and the moment it was made; a post
without a valid, recent token is refused (another site cannot post in a visitor's name
without first loading the form itself). Each address may send a few messages in a window;
the counts live in this process (one instance is enough to stop a flood from one address).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque

from ..settings import get_settings

TOKEN_AGE = 4 * 3600  # seconds a form stays valid
LIMIT = 5  # messages per address …
WINDOW = 15 * 60  # … in this many seconds
_PURPOSE = b"evaus-public-feedback:"


def _signature(secret: str, issued: str) -> str:
    key = hashlib.sha256(secret.encode("utf-8")).digest()
    return hmac.new(key, _PURPOSE + issued.encode("ascii"), hashlib.sha256).hexdigest()


def make_token(secret: str, now: float | None = None) -> str:
    issued = str(int(now if now is not None else time.time()))
    return f"{issued}.{_signature(secret, issued)}"


def token_is_valid(secret: str, token: str, now: float | None = None) -> bool:
    issued, _sep, signature = (token or "").partition(".")
    if not issued.isdigit() or len(issued) > 12:
        return False
    if not hmac.compare_digest(signature, _signature(secret, issued)):
        return False
    age = (now if now is not None else time.time()) - int(issued)
    return -60 <= age <= TOKEN_AGE


class RateLimit:
    """At most ``limit`` events per key in ``window`` seconds."""

    def __init__(self, limit: int = LIMIT, window: float = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        moment = now if now is not None else time.monotonic()
        with self._lock:
            if len(self._events) > 10_000:  # forget idle addresses rather than grow forever
                self._events = {
                    k: q for k, q in self._events.items() if q and q[-1] > moment - self.window
                }
            events = self._events.setdefault(key, deque())
            while events and events[0] <= moment - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(moment)
            return True

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Whole seconds until ``key`` may make its next request (at least 1)."""
        moment = now if now is not None else time.monotonic()
        with self._lock:
            events = self._events.get(key)
            if not events or len(events) < self.limit:
                return 1
            return max(1, math.ceil(events[0] + self.window - moment))


feedback_limit = RateLimit()
PAGE_WINDOW = 60.0  # the public pages' limit is EVAUS_PUBLIC_RATE_LIMIT requests in a minute
_page_limit: RateLimit | None = None


def page_limit() -> RateLimit:
    """The limit of the public pages and open data per address (made on first use)."""
    global _page_limit  # noqa: PLW0603
    if _page_limit is None:
        _page_limit = RateLimit(get_settings().public_rate_limit, PAGE_WINDOW)
    return _page_limit


def reset_page_limit(limit: RateLimit | None = None) -> None:
    """Start counting afresh (with ``limit``, else the settings' on next use)."""
    global _page_limit  # noqa: PLW0603
    _page_limit = limit
