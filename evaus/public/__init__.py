"""The public project catalogue: server-rendered pages anyone may read, without signing in, and
the same projects as open data (JSON, CSV, IATI XML)."""

from __future__ import annotations

from fastapi import APIRouter

from .routes import open_data_router
from .routes import router as pages_router

router = APIRouter()
router.include_router(open_data_router)  # before the pages' catch-all /public/{rest}
router.include_router(pages_router)

__all__ = ["open_data_router", "router"]
