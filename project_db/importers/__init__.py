"""Importers, one module per format, behind one registry with auto-detection."""

from __future__ import annotations

from ..errors import N_, ImportFailed
from .base import Importer, ImportWarning, ParsedProject

__all__ = [
    "ImportWarning",
    "Importer",
    "ParsedProject",
    "available_formats",
    "detect_format",
    "parse_source",
]

_FORMATS: dict[str, Importer] = {}


def available_formats() -> dict[str, Importer]:
    """Every known format by its name (the ``--format`` value)."""
    if not _FORMATS:
        from . import (
            esr_card,
            eura2014,
            innokyla,
            json_format,
            oulu_card,
            sokra_evaluation,
            tabular,
        )

        for module in (
            json_format,
            tabular,
            oulu_card,
            esr_card,
            eura2014,
            innokyla,
            sokra_evaluation,
        ):
            for importer in module.IMPORTERS:
                _FORMATS[importer.name] = importer
    return _FORMATS


def _check_readable(data: bytes) -> None:
    if not data.strip():
        raise ImportFailed(N_("The file is empty."))


def detect_format(data: bytes, filename: str | None = None) -> Importer:
    """The format that recognises the source best; ImportFailed when none does."""
    _check_readable(data)
    formats = available_formats()
    best_score, best_name = max((imp.detect(data, filename), name) for name, imp in formats.items())
    if best_score <= 0.2:
        raise ImportFailed(
            N_("The format of the file was not recognised. Known formats: {formats}."),
            formats=", ".join(sorted(formats)),
        )
    return formats[best_name]


def parse_source(
    data: bytes, filename: str | None = None, format_name: str | None = None
) -> tuple[Importer, list[ParsedProject]]:
    """Parse a source in the given format, or in the detected one."""
    if format_name is None:
        importer = detect_format(data, filename)
    else:
        formats = available_formats()
        if format_name not in formats:
            raise ImportFailed(
                N_("Unknown format {name}. Known formats: {formats}."),
                name=format_name,
                formats=", ".join(sorted(formats)),
            )
        _check_readable(data)
        importer = formats[format_name]
    return importer, importer.parse(data, filename)
