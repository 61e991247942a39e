"""Mail settings from the environment: ``EVAUS_SMTP_URL`` and ``EVAUS_MAIL_FROM``.

``smtp://user:pass@host:587``  STARTTLS (required: a password never travels in clear)
``smtps://user:pass@host:465`` TLS from the first byte
``smtp://host:25``             plain, without credentials (a relay on the local network)
unset or empty                 mail is off: nothing is sent, messages wait in the outbox

The port defaults to 587 with credentials, 25 without and 465 for ``smtps``. User name and
password are URL-encoded (``%40`` for an ``@`` in a user name). Certificates are checked
against the system's trusted authorities (``SSL_CERT_FILE`` adds another).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

Security = Literal["starttls", "tls", "plain"]


class MailSettingsError(ValueError):
    """``EVAUS_SMTP_URL`` or ``EVAUS_MAIL_FROM`` cannot be used."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    username: str | None
    password: str | None
    sender: str
    timeout: float = 30.0

    def describe(self) -> str:
        """For logs and the admin page: where mail goes, without the password."""
        who = f"{self.username}@" if self.username else ""
        return f"{self.security} {who}{self.host}:{self.port} from {self.sender}"


def parse_smtp_url(url: str, sender: str | None = None) -> SmtpSettings:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise MailSettingsError(f"EVAUS_SMTP_URL must start with smtp:// or smtps://, not {url!r}")
    if not parts.hostname:
        raise MailSettingsError("EVAUS_SMTP_URL has no host name")
    try:
        port = parts.port
    except ValueError as error:
        raise MailSettingsError(f"EVAUS_SMTP_URL has a bad port: {error}") from error
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if (username is None) != (password is None):
        raise MailSettingsError("EVAUS_SMTP_URL needs both a user name and a password, or neither")
    security: Security
    if scheme == "smtps":
        security, default_port = "tls", 465
    elif username is not None:
        security, default_port = "starttls", 587
    else:
        security, default_port = "plain", 25
    sender = (sender or "").strip()
    if not sender:
        sender = username if username and "@" in username else f"evaus@{parts.hostname}"
    if "@" not in sender or any(c in sender for c in "\r\n"):
        raise MailSettingsError(f"EVAUS_MAIL_FROM is not an e-mail address: {sender!r}")
    return SmtpSettings(
        host=parts.hostname,
        port=port or default_port,
        security=security,
        username=username,
        password=password,
        sender=sender,
    )


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The configured server, or None when ``EVAUS_SMTP_URL`` is unset (mail is off)."""
    env = os.environ if environ is None else environ
    url = env.get("EVAUS_SMTP_URL", "").strip()
    if not url:
        return None
    return parse_smtp_url(url, env.get("EVAUS_MAIL_FROM"))


def mail_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether mail goes out at all (the admin page says so when it does not)."""
    return smtp_settings(environ) is not None
