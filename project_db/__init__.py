"""The EVAUS data layer: models, schemas, migrations, import and export (no UI)."""
