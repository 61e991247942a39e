"""``EVAUS_SMTP_URL`` and ``EVAUS_MAIL_FROM``: which connection each form gives; unset is off."""

from __future__ import annotations

import pytest

from evaus.mail import MailSettingsError, mail_enabled, parse_smtp_url, smtp_settings


def test_credentials_on_smtp_mean_starttls() -> None:
    s = parse_smtp_url("smtp://evaus%40kunta.fi:p%C3%A4%40ss@mail.kunta.fi:587")
    assert (s.security, s.host, s.port) == ("starttls", "mail.kunta.fi", 587)
    assert (s.username, s.password) == ("evaus@kunta.fi", "pä@ss")
    assert s.sender == "evaus@kunta.fi"  # the login is an address: it is the sender too
    assert "pä@ss" not in s.describe()


def test_smtps_is_tls_from_the_start_on_465() -> None:
    s = parse_smtp_url("smtps://user:secret@mail.example.fi", "rekisteri@example.fi")
    assert (s.security, s.port, s.sender) == ("tls", 465, "rekisteri@example.fi")


def test_a_relay_without_credentials_is_plain_on_25() -> None:
    s = parse_smtp_url("smtp://relay.local")
    assert (s.security, s.port, s.username, s.password) == ("plain", 25, None, None)
    assert s.sender == "evaus@relay.local"


@pytest.mark.parametrize(
    "url",
    ["http://mail.example.fi", "smtp://", "smtp://user@mail.example.fi", "smtp://h:notaport"],
)
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(MailSettingsError):
        parse_smtp_url(url)


def test_a_sender_must_be_one_address() -> None:
    with pytest.raises(MailSettingsError):
        parse_smtp_url("smtp://relay.local", "evaus@x.fi\r\nBcc: all@x.fi")


def test_unset_or_empty_means_mail_is_off() -> None:
    assert smtp_settings({}) is None and not mail_enabled({})
    assert not mail_enabled({"EVAUS_SMTP_URL": "  ", "EVAUS_MAIL_FROM": "evaus@x.fi"})
    on = {"EVAUS_SMTP_URL": "smtp://relay.local", "EVAUS_MAIL_FROM": "evaus@x.fi"}
    assert mail_enabled(on)
    settings = smtp_settings(on)
    assert settings is not None and settings.sender == "evaus@x.fi"
