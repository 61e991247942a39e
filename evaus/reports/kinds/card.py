"""Hankekortti: the registry entry as a short document, for any project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from .. import build
from ..contexts import CardContext
from ._project import Missing, ProjectKind, project_of
from .base import ReportInput


class Card(ProjectKind):
    name = "card"
    label = N_("Project card")
    scope = "project"
    funders = None
    context_model = CardContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "hankekortti", "sv": "projektkort"}
    order = 10

    def build(self, source: ReportInput) -> CardContext:
        return build.build_card(project_of(source), source.labels, source.lang, source.today)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        check.basics(lead=True, funding=False)
        check.indicators(None)
        return check.problems


KIND = Card()
