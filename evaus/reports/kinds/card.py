"""Hankekortti: the registry entry as a short document, for any project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_

from .. import build
from ..contexts import CardContext
from ._project import ProjectKind


class Card(ProjectKind):
    name = "card"
    label = N_("Project card")
    scope = "project"
    context_model = CardContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "hankekortti", "sv": "projektkort"}
    order = 10
    builder = build.build_card
    needs_funding = False
    needs_y_tunnus = False


KIND = Card()
