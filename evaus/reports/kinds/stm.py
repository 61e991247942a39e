"""STM selvitys valtionavustuksen käytöstä: the use of a state grant of the ministry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from project_db.errors import N_

from .. import build
from ..contexts import StmContext
from ._project import Missing, ProjectKind
from .base import ReportInput

MISSING_STM_GRANT = N_("The project has no STM funding entered")


class Stm(ProjectKind):
    name = "stm"
    label = N_("STM report on the use of a state grant")
    scope = "project"
    funders = frozenset({"STM"})
    context_model = StmContext
    file_words: ClassVar[Mapping[str, str]] = {"fi": "stm-selvitys", "sv": "stm-redovisning"}
    order = 60
    builder = build.build_stm
    budget_scheme = "stm"
    texts = ((*build.EMBEDDING, "vinkit"),)

    def check_data(self, check: Missing, source: ReportInput) -> None:
        if not any(f.funder_code == "STM" for f in check.doc.funding):
            check.add("funding", MISSING_STM_GRANT)
        check.indicators(None)


KIND = Stm()
