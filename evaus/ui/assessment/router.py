"""The router every impact-assessment page is registered on."""

from __future__ import annotations

from nicegui import APIRouter

router = APIRouter()
