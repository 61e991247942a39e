"""Where in a JSON text a value is: maps a path such as ``("phases", 2, "name", "sv")`` to a line.

``json`` reports lines only for syntax errors; pydantic reports paths. This small scanner
walks a text that ``json.loads`` already accepted and records the line of every member
(the line of its key) and every list item, so a schema error can name its line too.
"""

from __future__ import annotations

import bisect
import re
from json import decoder

PathPart = str | int
Path = tuple[PathPart, ...]


def scanstring(text: str, end: int) -> tuple[str, int]:
    """The JSON string that starts after the quote at ``end - 1``, and the offset after it."""
    value, after = decoder.scanstring(text, end)  # type: ignore[attr-defined]
    return str(value), int(after)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos)

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, path: Path) -> int:
        pos = self.skip(pos)
        self.lines.setdefault(path, self.line_of(pos))
        char = self.text[pos]
        if char == "{":
            return self.members(pos + 1, path)
        if char == "[":
            return self.items(pos + 1, path)
        if char == '"':
            return scanstring(self.text, pos + 1)[1]
        match = _SCALAR.match(self.text, pos)
        if match is None:
            raise ValueError(f"not JSON at offset {pos}")
        return match.end()

    def members(self, pos: int, path: Path) -> int:
        pos = self.skip(pos)
        if self.text[pos] == "}":
            return pos + 1
        while True:
            pos = self.skip(pos)
            key_line = self.line_of(pos)
            key, pos = scanstring(self.text, pos + 1)
            self.lines[(*path, key)] = key_line
            pos = self.skip(pos) + 1  # the colon
            pos = self.skip(self.value(pos, (*path, key)))
            if self.text[pos] == "}":
                return pos + 1
            pos += 1  # the comma

    def items(self, pos: int, path: Path) -> int:
        pos = self.skip(pos)
        if self.text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            pos = self.skip(self.value(pos, (*path, index)))
            if self.text[pos] == "]":
                return pos + 1
            pos += 1
            index += 1


def json_lines(text: str) -> dict[Path, int]:
    """The 1-based line of every path in a valid JSON text (the root is ``()``)."""
    scanner = _Scanner(text)
    scanner.value(0, ())
    return scanner.lines


def line_for(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest ancestor that exists (a missing member)."""
    for end in range(len(path), -1, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return 1
