"""Use cases: plain functions that take a Session and return pydantic models or ORM rows.

Pages, the CLI and the JSON API call these; none of them builds SQL itself.
"""
