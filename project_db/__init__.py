"""The EVAUS data layer: models, schemas, migrations, import and export (no UI)."""

from . import (
    comments,  # noqa: F401  (registers the comment table)
    deadlines,  # noqa: F401  (registers the reporting calendar tables)
    indicator_catalogue,  # noqa: F401  (registers the indicator catalogue table)
    notifications,  # noqa: F401  (registers the notification preference and notice tables)
    outbox,  # noqa: F401  (registers the mail outbox table)
    period_review,  # noqa: F401  (registers the period review tables)
)
