"""(being built)"""

from __future__ import annotations

from nicegui import APIRouter

router = APIRouter()
