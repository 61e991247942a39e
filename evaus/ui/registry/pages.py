"""Importing this module registers the registry's pages on ``router``."""

from __future__ import annotations

from . import dashboard, project_edit, project_list, project_view
from .router import router

__all__ = ["dashboard", "project_edit", "project_list", "project_view", "router"]
