"""Importing this module registers the impact-assessment pages on ``router``."""

from __future__ import annotations

from . import expost, facilitator, listing, matrix, summary, wizard
from .router import router

__all__ = ["expost", "facilitator", "listing", "matrix", "router", "summary", "wizard"]
