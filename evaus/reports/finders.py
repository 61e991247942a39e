"""Finding e-mail addresses and phone numbers in text, in time linear in its length (the
public reports' personal-data scrub uses them; see ``privacy``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

# An e-mail address is ``local @ domain`` (``@`` also written ``(at)`` or ``[at]``), the
# local part ``[\w.+-]+`` and the domain ``[\w-]+(?:\.[\w-]+)+``, with optional spaces
# around the ``@``. One regex for all of it tries every position of a long word and scans to
# the word's end each time (quadratic: a 40 000-character word took 48 s), so the addresses
# are found from their ``@`` instead: the domain is matched forwards and the local part
# backwards (on the reversed text), each scan ending where the address ends.
EMAIL_AT_RE = re.compile(r"@|\(at\)|\[at\]", re.IGNORECASE)
_EMAIL_DOMAIN_RE = re.compile(r"\s*+[\w-]++(?:\.[\w-]++)++")
_EMAIL_LOCAL_REVERSED_RE = re.compile(r"\s*+[\w.+-]++")
# Bounded: each attempt starts only at "+" or "0" and its quantifiers have fixed limits.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d){5,10}(?!\d)")


def email_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of every e-mail address in the text, left to right, not overlapping;
    in time linear in the length of the text."""
    reversed_text: str | None = None
    end_of_last = 0
    for at in EMAIL_AT_RE.finditer(text):
        if at.start() < end_of_last:
            continue
        domain = _EMAIL_DOMAIN_RE.match(text, at.end())
        if domain is None:
            continue
        if reversed_text is None:
            reversed_text = text[::-1]
        size = len(text)
        local = _EMAIL_LOCAL_REVERSED_RE.match(reversed_text, size - at.start(), size - end_of_last)
        if local is not None:
            yield size - local.end(), domain.end()
            end_of_last = domain.end()


def scrub_emails(text: str, marker: str) -> str:
    """The text with every e-mail address replaced by the marker."""
    parts: list[str] = []
    kept_from = 0
    for start, end in email_spans(text):
        parts += (text[kept_from:start], marker)
        kept_from = end
    return "".join(parts) + text[kept_from:] if parts else text
