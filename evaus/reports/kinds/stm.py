"""STM selvitys valtionavustuksen käytöstä: the use of a state grant of the ministry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_, Problem

from .. import build
from ..contexts import StmContext
from ._project import Missing, ProjectKind, project_of
from .base import ReportInput


class Stm(ProjectKind):
    name = "stm"
    label = N_("STM report on the use of a state grant")
    scope = "project"
    funders = frozenset({"STM"})
    context_model = StmContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "stm-selvitys", "sv": "stm-redovisning"}
    order = 60

    def build(self, source: ReportInput) -> StmContext:
        return build.build_stm(project_of(source), source.labels, source.lang, source.today)

    def missing(self, source: ReportInput) -> list[Problem]:
        check = Missing(source)
        check.basics(lead=True, funding=True)
        check.lead_y_tunnus()
        if not any(f.funder_code == "STM" for f in check.doc.funding):
            check.add("funding", build.MISSING_STM_GRANT)
        check.indicators(None)
        check.budget("stm")
        check.section_group(*build.EMBEDDING, "vinkit")
        return check.problems


KIND = Stm()
