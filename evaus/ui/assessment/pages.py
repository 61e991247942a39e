"""Importing this module registers the impact-assessment pages on ``router``."""

from __future__ import annotations

from . import expost, listing, matrix, summary, wizard
from .router import router

__all__ = ["expost", "listing", "matrix", "router", "summary", "wizard"]
