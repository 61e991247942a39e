"""The report pages: a project's reports, the batch ZIP and the report templates. ``pages``
registers them."""
