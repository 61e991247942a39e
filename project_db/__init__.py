"""The EVAUS data layer: models, schemas, migrations, import and export (no UI)."""

from . import (
    deadlines,  # noqa: F401  (registers the reporting calendar tables)
    outbox,  # noqa: F401  (registers the mail outbox table)
)
