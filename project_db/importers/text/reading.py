"""Reading a plain-text source: decoding, lines and paragraphs, bullets and numbered
list items."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ... import validators as v
from ...errors import N_, ImportFailed

# --- message ids of reading a source ---------------------------------------------------------

MSG_NOT_TEXT = N_("The file is not a text file.")
MSG_EMPTY = N_("The file is empty.")

EXCERPT_LENGTH = 80

# --- decoding --------------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def decode(data: bytes) -> str:
    """Text from bytes: UTF-16 (with a BOM, or evidently so from its zero bytes), UTF-8 (with or
    without BOM), else Windows-1252.

    Raises ImportFailed for empty input and for binary data (NUL bytes, mostly unprintable).
    """
    if not data.strip():
        raise ImportFailed(MSG_EMPTY)
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace").removeprefix("\ufeff")
        if not text.strip():
            raise ImportFailed(MSG_EMPTY)
    elif b"\x00" in data:
        raise ImportFailed(MSG_NOT_TEXT)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if _unprintable_share(text) > 0.05:
        raise ImportFailed(MSG_NOT_TEXT)
    return text


_UTF16_SAMPLE = 4096


def _utf16_codec(data: bytes) -> str | None:
    """ "utf-16" for a UTF-16 byte-order mark; "utf-16-le"/"-be" when most bytes at odd (even)
    positions are zero and few at the others, as in Latin text written in UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def try_decode(data: bytes, limit: int = 65536) -> str | None:
    """The decoded start of the data, or None when it is not text (for ``detect``)."""
    try:
        return decode(data[: limit - limit % 2])
    except ImportFailed:
        return None


def _unprintable_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t")
    )
    return bad / len(text)


def to_lines(text: str) -> list[str]:
    """Cleaned lines: control characters removed, odd spaces made plain, right side trimmed."""
    cleaned = v.clean_text(text)
    cleaned = _ZERO_WIDTH.sub("", _SPACES.sub(" ", cleaned))
    return [line.rstrip() for line in cleaned.split("\n")]


def first_nonblank(lines: list[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text, spaces folded, at most ``length`` characters (only the start of a
    long text is read)."""
    folded = " ".join(text[: length * 8].split())
    return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"


def join_paragraphs(lines: Iterable[str]) -> str:
    """Lines as text: spaces folded, blank runs folded to one blank line, no blank lines at
    the ends, and no blank line between two items of a list."""
    out: list[str] = []
    for line in lines:
        folded = " ".join(line.split())
        between_items = len(out) >= 2 and not out[-1] and item_text(out[-2]) is not None
        if folded and between_items and item_text(folded) is not None:
            out.pop()
        if folded or (out and out[-1]):
            out.append(folded)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def paragraphs(lines: Iterable[str]) -> list[str]:
    """Paragraphs (blank-line separated), each with its lines joined by spaces."""
    result: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(" ".join(line.split()))
        elif current:
            result.append(" ".join(current))
            current = []
    return result


# --- bullets and list items -----------------------------------------------------------------

_BULLET = re.compile(r"^\s*[•‣◦▪●·–—*-]\s*(\S.*)$")
_BULLET_CHARS = "•‣◦▪●·–—*-"


def bullet_text(line: str) -> str | None:
    """The text of a bullet list item ("• x", "– x", "- x", "* x"), else None.

    A hyphen or asterisk needs a space after it, so "-periaatteet" is no bullet.
    """
    stripped = line.strip()
    if not stripped or stripped[0] not in _BULLET_CHARS:
        return None
    if stripped[0] in "*-" and (len(stripped) < 2 or not stripped[1].isspace()):
        return None
    match = _BULLET.match(stripped)
    return " ".join(match.group(1).split()) if match else None


_NUMBERED_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
# "1. x 2. y" within a paragraph: a number 1–99 with "." or ")" before a capital letter.
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+(?=[A-ZÄÖÅ\d\"“])")


def numbered_text(line: str) -> str | None:
    """The text of a numbered list item ("1. x", "2) x"), else None. A date ("1.9.2015")
    and a numbered heading without its dot ("1 Hanke") are no items."""
    match = _NUMBERED_ITEM.match(line)
    return " ".join(match.group(2).split()) if match else None


def item_text(line: str) -> str | None:
    """The text of a bullet or numbered list item, else None."""
    text = bullet_text(line)
    return text if text is not None else numbered_text(line)


def split_inline_numbers(paragraph: str, first: int = 1) -> list[str]:
    """ "1. Yksi. 2. Kaksi. 3. Kolme." → the items, when the numbers run 1, 2, 3 … in order
    (at least two); else the paragraph as it is. With ``first`` above 1 the paragraph is the
    text of item ``first - 1`` (its number already removed) and goes on from there."""
    starts: list[tuple[int, int]] = []
    expected = first
    for match in _INLINE_NUMBER.finditer(paragraph):
        if int(match.group(1)) == expected:
            starts.append((match.start(), match.end()))
            expected += 1
    lead = paragraph[: starts[0][0]].strip() if starts else ""
    if len(starts) + (1 if first > 1 else 0) < 2 or (lead and first == 1):
        return [paragraph]
    items = [lead] if first > 1 else []
    for i, (_start, text_start) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(paragraph)
        items.append(paragraph[text_start:end].strip())
    return [item for item in items if item]


def list_items(lines: Iterable[str]) -> list[str]:
    """Items of a list: a bullet or a number ("1.", "1)") starts an item, following lines
    continue it, a blank line ends it; a paragraph without a bullet is an item of its own,
    unless it runs "1. … 2. …" in one paragraph."""
    items: list[str] = []
    for item, number in _list_items(lines):
        items.extend(split_inline_numbers(item, number + 1 if number else 1))
    return items


def _list_items(lines: Iterable[str]) -> list[tuple[str, int | None]]:
    """(item text, its number or None)."""
    items: list[tuple[str, int | None]] = []
    current: list[str] = []
    number: int | None = None
    for line in [*lines, ""]:
        text = item_text(line)
        if text is not None:
            if current:
                items.append((" ".join(current), number))
            current = [text]
            numbered = _NUMBERED_ITEM.match(line) if bullet_text(line) is None else None
            number = int(numbered.group(1)) if numbered else None
        elif line.strip():
            current.append(" ".join(line.split()))
        elif current:
            items.append((" ".join(current), number))
            current = []
            number = None
    return [(item, n) for item, n in items if item]
