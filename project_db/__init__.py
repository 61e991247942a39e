"""The EVAUS data layer: models, schemas, migrations, import and export (no UI).

Importing the package is light (``project_db.errors`` and ``project_db.validators`` need no
SQLAlchemy): the modules that declare tables load with the database. ``load_models`` imports
all of them — whatever opens an engine calls it (``project_db.engine.make_engine``,
``evaus.db``), so every table is in ``Base.metadata`` and every mapping (the backrefs onto
``Project``, the cascades) is configured before the first session. ``project_db.comments``
and the like also work as attributes of the package (PEP 562).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import (
        assessment_models,
        comments,
        deadlines,
        indicator_catalogue,
        models,
        notifications,
        outbox,
        period_review,
    )

# Every module that declares tables or mappings, in an order that imports each one's own needs
# first.
TABLE_MODULES = (
    "models",
    "assessment_models",
    "comments",
    "deadlines",
    "indicator_catalogue",
    "notifications",
    "outbox",
    "period_review",
)

__all__ = [
    "TABLE_MODULES",
    "assessment_models",
    "comments",
    "deadlines",
    "indicator_catalogue",
    "load_models",
    "models",
    "notifications",
    "outbox",
    "period_review",
]


def load_models() -> None:
    """Import every module that declares tables (once; later calls cost a dictionary look-up)."""
    for name in TABLE_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> ModuleType:
    if name in TABLE_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
