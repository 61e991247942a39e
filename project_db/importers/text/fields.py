""" "Label: value" field lines: labels as written, matched to a card's table of labels."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache

# --- "Label: value" field lines ------------------------------------------------------------


def label_key(label: str) -> str:
    """A heading or label for lookup: case-folded, spaces folded, trailing ':' and '*' removed."""
    folded = " ".join(label.replace("*", " ").split()).casefold()
    return folded.rstrip(" :").strip()


def match_label(
    line: str, labels: Mapping[str, str], *, loose: bool = False
) -> tuple[str, str] | None:
    """(field, value) when the line starts with one of the known ``labels`` (label key → field).

    The label ends with ':' or two or more spaces (or a tab) or the end of the line; with
    ``loose`` a single space is enough (for formats whose labels are fixed and known). A label
    written with a typo ("Yhteyshenkilön sähköpostisoite") is recognised by its similarity to
    a known one when it is followed by ':' or a wide gap.
    """
    stripped = line.strip()
    folded = stripped.casefold()
    for label in _labels_longest_first(labels):
        if not folded.startswith(label):
            continue
        rest = stripped[len(label) :]
        if not rest or rest.startswith(":"):
            return labels[label], rest[1:].strip() if rest else ""
        if rest.startswith(("  ", "\t")) or (loose and rest.startswith(" ")):
            return labels[label], rest.strip()
    written = _written_label(stripped)
    if written is None:
        return None
    similar = similar_label(label_key(written[0]), labels)
    return (labels[similar], written[1]) if similar else None


_LABEL_GAP = re.compile(r"\s*:\s*|\s{2,}|\t")
MAX_LABEL_CHARS = 60
LABEL_SIMILARITY = 0.9
MIN_FUZZY_LABEL = 8


def _written_label(line: str) -> tuple[str, str] | None:
    """(label, value) of a line "Label: value" or "Label   value" (label at most 60 chars)."""
    gap = _LABEL_GAP.search(line, 0, MAX_LABEL_CHARS + 3)
    if gap is None or gap.start() == 0:
        return None
    return line[: gap.start()], line[gap.end() :].strip()


_LABEL_ORDER: dict[int, tuple[Mapping[str, str], tuple[str, ...]]] = {}


def _labels_longest_first(labels: Mapping[str, str]) -> tuple[str, ...]:
    cached = _LABEL_ORDER.get(id(labels))
    if cached is None or cached[0] is not labels or len(cached[1]) != len(labels):
        cached = (labels, tuple(sorted(labels, key=len, reverse=True)))
        _LABEL_ORDER[id(labels)] = cached
    return cached[1]


def similar_label(key: str, labels: Mapping[str, str]) -> str | None:
    """The known label most like ``key`` (difflib ratio at least 0.9), else None. Short keys
    must match exactly: one letter changes the meaning of a short word."""
    if key in labels:
        return key
    if len(key) < MIN_FUZZY_LABEL or len(key) > MAX_LABEL_CHARS:
        return None
    return _closest(key, _labels_longest_first(labels))


@lru_cache(maxsize=4096)
def _closest(key: str, candidates: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=LABEL_SIMILARITY)
    return close[0] if close else None


_FIELD_SPACED = re.compile(r"^([A-ZÄÖÅ][^:\t]{0,60}?)(?:\s{3,}|\t+)(\S.*)$")
_FIELD_COLON = re.compile(r"^([A-ZÄÖÅ][^:\t]{0,60}?)\s*:\s+(\S.*)$")


def field_line(line: str, *, colon: bool = True) -> tuple[str, str] | None:
    """(label, value) for "Label: value" (when ``colon``) or "Label   value" (3+ spaces/tab)."""
    stripped = line.strip()
    match = _FIELD_SPACED.match(stripped)
    if not match and colon:
        match = _FIELD_COLON.match(stripped)
    if not match:
        return None
    return match.group(1).strip(), match.group(2).strip()
