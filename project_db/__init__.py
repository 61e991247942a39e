"""The EVAUS data layer: models, schemas, migrations, import and export (no UI)."""

# The registry schemas import the assessment schemas half-way (they share field types):
# importing them here first makes every import order work.
from . import schemas  # noqa: F401
