"""Our own JSON interchange format (lossless): a registry file or a single project."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ..assessment_schemas import AssessmentDoc, assessment_problems
from ..errors import N_, ImportFailed, ValidationFailed
from ..schemas import ProjectDoc, RegistryDoc
from .base import ParsedProject


class JsonImporter:
    name = "json"
    label = N_("EVAUS registry file (JSON)")

    def detect(self, data: bytes, filename: str | None) -> float:
        head = data.lstrip()[:200]
        if not head.startswith((b"{", b"\xef\xbb\xbf{")):
            return 0.0
        if b'"evaus-registry"' in data[:2000] or b'"projects"' in data[:2000]:
            return 1.0
        return 0.6 if (filename or "").lower().endswith(".json") else 0.4

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        try:
            raw: Any = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportFailed(N_("The file is not a text file.")) from None
        except json.JSONDecodeError as exc:
            raise ImportFailed(
                N_("The JSON file is broken at line {line}, column {column}: {reason}."),
                line=exc.lineno,
                column=exc.colno,
                reason=exc.msg,
            ) from None
        try:
            if isinstance(raw, dict) and ("projects" in raw or "assessments" in raw):
                registry = RegistryDoc.model_validate(raw)
            elif isinstance(raw, dict):
                registry = RegistryDoc(projects=[ProjectDoc.model_validate(raw)])
            else:
                raise ImportFailed(N_("The JSON file holds no project or registry object."))
        except ValidationError as exc:
            prefix = "" if "projects" in raw or "assessments" in raw else "projects.0"
            raise ValidationFailed(assessment_problems(exc, prefix)) from None
        if not registry.projects and not registry.assessments:
            raise ImportFailed(N_("The file has no projects."))
        return [ParsedProject(doc=doc) for doc in registry.projects]

    def parse_assessments(self, data: bytes) -> list[AssessmentDoc]:
        """The assessments of a registry file (``parse`` has already accepted it)."""
        raw: Any = json.loads(data.decode("utf-8-sig"))
        if not isinstance(raw, dict) or "assessments" not in raw:
            return []
        try:
            return RegistryDoc.model_validate(raw).assessments
        except ValidationError as exc:
            raise ValidationFailed(assessment_problems(exc)) from None


IMPORTERS = [JsonImporter()]
