"""The public project catalogue: server-rendered pages anyone may read, without signing in."""

from __future__ import annotations

from .routes import router

__all__ = ["router"]
