"""Configuration from the environment (EVAUS_*), with working defaults for one computer."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "evaus"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVAUS_", extra="ignore")

    data_dir: Path = _default_data_dir()
    database_url: str | None = None  # default: SQLite file in data_dir
    lang: str = "fi"
    storage_secret: str | None = None  # default: generated once and kept in data_dir
    host: str = "127.0.0.1"
    port: int = 8080
    secure_cookies: bool = False  # set true when the app is served over HTTPS
    session_hours: int = 12
    max_attachment_bytes: int = 20 * 1024 * 1024
    max_import_bytes: int = 50 * 1024 * 1024  # larger files are refused before they are read
    import_time_limit: float = 300.0  # seconds a web import may run before it is stopped
    base_url: str | None = None  # the public address in e-mail links (default: host and port)
    reminders: str = "on"  # "off": `evaus serve` runs no daily reminder pass
    # When `evaus serve` runs the pass: seconds after start-up, then every this many seconds.
    reminder_first_delay: float = Field(default=60.0, ge=0, allow_inf_nan=False)
    reminder_interval: float = Field(default=24 * 3600.0, gt=0, allow_inf_nan=False)
    # How often `evaus serve` sends the queued e-mails (review notices, @mentions) between passes.
    mail_interval: float = Field(default=60.0, gt=0, allow_inf_nan=False)
    # The accessibility statement's supervisory authority (law 306/2019): its name, e-mail and
    # telephone as the authority itself publishes them (blank: only its web pages are linked).
    accessibility_authority: str = ""
    accessibility_authority_email: str = ""
    accessibility_authority_phone: str = ""
    # The open data of the public catalogue (/public/api/…): the licence it is published under.
    open_data_licence: str = "CC BY 4.0"
    open_data_licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    # The IATI export (/public/api/iati.xml) names the publishing organisation: its IATI
    # organisation identifier (e.g. FI-PRO-1234567-8), name and IATI organisation type code
    # (10 government, 15 other public sector, 22 national NGO …). Without the identifier the
    # export is not published (an activity's identifier is the identifier + the project's key).
    iati_reporting_org_ref: str = ""
    iati_reporting_org_name: str = ""
    iati_reporting_org_type: str = "15"
    # Requests per minute one address may make to the public pages and the open data.
    public_rate_limit: int = Field(default=120, ge=1, le=1_000_000)

    @property
    def effective_database_url(self) -> str:
        from project_db.engine import sqlite_url  # SQLAlchemy only when the database is opened

        return self.database_url or sqlite_url(self.data_dir)

    @property
    def public_url(self) -> str:
        """The registry's public address without a trailing slash (EVAUS_BASE_URL)."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    def secret(self) -> str:
        """The storage secret: from the environment, else generated on first run and kept."""
        if self.storage_secret:
            return self.storage_secret
        path = self.data_dir / "storage_secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
