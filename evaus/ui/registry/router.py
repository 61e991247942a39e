"""The registry's one router: each page module registers its pages on it when imported."""

from __future__ import annotations

from nicegui import APIRouter

router = APIRouter()
