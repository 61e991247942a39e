"""E-mail: settings (``EVAUS_SMTP_URL``), messages built from the outbox, the delivery pass and
the one-runner guard for scheduled passes. What to send is queued in ``project_db.outbox``."""

from __future__ import annotations

from .delivery import MAIL_ACTOR, DeliveryReport, deliver_pending
from .message import build_message
from .runner import single_runner
from .settings import MailSettingsError, SmtpSettings, mail_enabled, parse_smtp_url, smtp_settings

__all__ = [
    "MAIL_ACTOR",
    "DeliveryReport",
    "MailSettingsError",
    "SmtpSettings",
    "build_message",
    "deliver_pending",
    "mail_enabled",
    "parse_smtp_url",
    "single_runner",
    "smtp_settings",
]
