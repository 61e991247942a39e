"""The EVAUS data layer: models, schemas, migrations, import and export (no UI)."""

from . import outbox  # noqa: F401  (registers the mail outbox table)
