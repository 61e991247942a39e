"""An outbox row as an e-mail: UTF-8 plain text with an HTML alternative."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from project_db.outbox import MailMessage


def _one_line(value: str) -> str:
    return " ".join(value.split())


def build_message(message: MailMessage, sender: str, *, now: datetime) -> EmailMessage:
    """Raises ValueError for a header the mail format cannot carry (e.g. a broken address)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = _one_line(message.recipient)
    mail["Subject"] = _one_line(message.subject)
    mail["Date"] = format_datetime(now)
    # The same for every try: a copy that went out twice (a crash between the server's "250"
    # and marking the row sent) has the same Message-ID, and mail programs show it once.
    digest = hashlib.sha256(message.dedup_key.encode("utf-8")).hexdigest()[:20]
    mail["Message-ID"] = f"<evaus.{message.id}.{digest}@{sender.rpartition('@')[2]}>"
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    mail.set_content(message.body_text, charset="utf-8")
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html", charset="utf-8")
    mail["Content-Language"] = message.language  # after the parts: setting them clears Content-*
    return mail
