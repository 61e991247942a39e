"""The workshop's settings (EVAUS_WORKSHOP_*), read from the environment."""

from __future__ import annotations

import os

from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL = ("local", "off", "none")


class WorkshopSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVAUS_WORKSHOP_", extra="ignore")

    redis_url: str | None = None  # default: NICEGUI_REDIS_URL; "local": in-process only
    key_prefix: str | None = None  # default: NICEGUI_REDIS_KEY_PREFIX (or "evaus:") + "workshop:"
    presence_seconds: float = 30.0  # a participant without a heartbeat disappears after this
    lock_seconds: float = 120.0  # a soft lock without activity ends after this
    sweep_seconds: float = 5.0  # how often expired participants and locks are announced

    @property
    def effective_redis_url(self) -> str | None:
        """The Redis the instances share, or None for the in-process workshop."""
        url = self.redis_url if self.redis_url is not None else os.environ.get("NICEGUI_REDIS_URL")
        if not url or url.strip().lower() in LOCAL:
            return None
        return url.strip()

    @property
    def effective_key_prefix(self) -> str:
        if self.key_prefix:
            return self.key_prefix
        return (os.environ.get("NICEGUI_REDIS_KEY_PREFIX") or "evaus:") + "workshop:"
