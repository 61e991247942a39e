"""The registry of report kinds: one module per kind in this package (see ``base``).

Adding a funder report: a module ``evaus/reports/kinds/<name>.py`` with ``KIND = <a
ReportKind>`` and a template ``evaus/reports/templates/<name>_fi.docx``. The CLI, the services,
the web pages and the archive all ask this registry; nothing else names a kind.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from project_db.errors import N_

from ..errors import ReportFailed
from .base import ReportInput, ReportKind, ReportScope, Scope

UNKNOWN_KIND = N_("Unknown report kind {kind}.")

_NOT_KINDS = {"base"}
# Kinds made of a selection of projects, not of one project (``portfolio``): ``get`` finds
# them, but they are never among one project's reports (``all_kinds``, ``names``).
_COLLECTION_KINDS = frozenset({"portfolio"})

__all__ = [
    "UNKNOWN_KIND",
    "ReportInput",
    "ReportKind",
    "ReportScope",
    "Scope",
    "all_kinds",
    "every_kind",
    "get",
    "names",
]


@cache
def _module_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            info.name
            for info in pkgutil.iter_modules(__path__)
            if not info.name.startswith("_")
            and info.name not in _NOT_KINDS
            and info.name not in _COLLECTION_KINDS
        )
    )


@cache
def _load(module_name: str) -> ReportKind:
    module = importlib.import_module(f"{__name__}.{module_name}")
    kind = module.KIND
    if not isinstance(kind, ReportKind) or kind.name != module_name.replace("_", "-"):
        raise TypeError(f"{module.__name__}.KIND must be the ReportKind named after the module")
    return kind


def get(name: str) -> ReportKind:
    """The kind called ``name``; ``ReportFailed`` when there is none."""
    module_name = name.replace("-", "_")
    if "_" in name or (module_name not in _module_names() and module_name not in _COLLECTION_KINDS):
        raise ReportFailed(UNKNOWN_KIND, kind=name)
    return _load(module_name)


def all_kinds() -> list[ReportKind]:
    """Every kind, in the order they are offered."""
    return sorted((_load(m) for m in _module_names()), key=lambda k: (k.order, k.name))


def every_kind() -> list[ReportKind]:
    """Every kind, those made of a selection of projects too (context models, templates)."""
    return [*all_kinds(), *(_load(m) for m in sorted(_COLLECTION_KINDS))]


def names() -> tuple[str, ...]:
    """The kinds' names without importing them (the command line's choices)."""
    return tuple(m.replace("_", "-") for m in _module_names())
