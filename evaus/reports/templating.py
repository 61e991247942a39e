"""The shipped templates and checking a template against its context model.

A check parses the Jinja text of every paragraph (body, tables, headers, footers) in document
order, then walks the syntax tree: every variable and every attribute path (``project.nmae``)
must exist in the context model, loop variables take the type of the list's items. Each problem
names the place as an excerpt of the paragraph it is in.
"""

from __future__ import annotations

import hashlib
import io
import re
import types
import typing
import zipfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Union

from jinja2 import Environment, TemplateSyntaxError, nodes
from lxml import etree
from pydantic import BaseModel

from project_db.errors import N_

from .contexts import CONTEXT_MODELS
from .errors import ReportFailed, TemplateProblem, TemplateRejected
from .render import jinja_env

# Package data (``evaus/reports/templates/<kind>_<lang>.docx``), read as bytes wherever installed.
TEMPLATES_DIR: Traversable = resources.files(__package__).joinpath("templates")

NO_TEMPLATE = N_("There is no template for the report kind {kind} in the language {lang}.")
NOT_A_DOCX = N_("The file is not a Word document (.docx).")
UNKNOWN_VARIABLE = N_("unknown variable {name}")
SYNTAX_ERROR = N_("template syntax error: {detail}")
WHERE_PARAGRAPH = N_("paragraph {number}: “{excerpt}”")
WHERE_TABLE = N_("table {number}: “{excerpt}”")
WHERE_PART = N_("{part}: “{excerpt}”")
PART_NAMES = {"document": N_("document"), "header": N_("header"), "footer": N_("footer")}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PREFIX = re.compile(r"^(\{[{%])\s*-?\s*(?:tr|tc|p|r)\s+")


def shipped_templates() -> list[tuple[str, str]]:
    """(kind, language) of every shipped template, sorted."""
    found = []
    for entry in TEMPLATES_DIR.iterdir():
        kind, underscore, lang = entry.name.removesuffix(".docx").rpartition("_")
        if entry.name.endswith(".docx") and underscore:
            found.append((kind, lang))
    return sorted(found)


def shipped_template(kind: str, lang: str) -> bytes:
    template = TEMPLATES_DIR.joinpath(f"{kind}_{lang}.docx")
    if not template.is_file():
        raise ReportFailed(NO_TEMPLATE, kind=kind, lang=lang)
    return template.read_bytes()


def shipped_languages(kind: str) -> list[str]:
    return [lang for k, lang in shipped_templates() if k == kind]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading the Jinja text out of a DOCX ----------------------------------------------------


@dataclass
class _Piece:
    tags: list[str]
    where: str
    params: dict[str, Any]


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _pieces(xml: bytes, part: str) -> list[_Piece]:
    root = etree.fromstring(xml)
    pieces = []
    body_number = table_number = 0
    for p in root.iter(f"{W}p"):
        text = _paragraph_text(p)
        in_table = any(a.tag == f"{W}tbl" for a in p.iterancestors())
        if in_table:
            table = next(a for a in p.iterancestors() if a.tag == f"{W}tbl")
            if table.get("_n") is None:
                table_number += 1
                table.set("_n", str(table_number))
        else:
            body_number += 1
        tags = _TAG.findall(text)
        if not tags:
            continue
        excerpt = text if len(text) <= 80 else text[:77] + "…"
        params: dict[str, Any]
        if part != "document":
            where, params = WHERE_PART, {"part": PART_NAMES[part], "excerpt": excerpt}
        elif in_table:
            where, params = WHERE_TABLE, {"number": int(table.get("_n", "0")), "excerpt": excerpt}
        else:
            where, params = WHERE_PARAGRAPH, {"number": body_number, "excerpt": excerpt}
        pieces.append(_Piece(tags, where, params))
    return pieces


def _parts(template: bytes) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise ReportFailed(NOT_A_DOCX)
            parts = [("document", archive.read("word/document.xml"))]
            for name in sorted(names):
                match = re.fullmatch(r"word/(header|footer)\d*\.xml", name)
                if match:
                    parts.append((match.group(1), archive.read(name)))
            return parts
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ReportFailed(NOT_A_DOCX) from None


# --- types of the context model ----------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → X."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return annotation


def _item_type(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return _unwrap(item)
    return Any


def _attr_type(owner: Any, name: str) -> tuple[bool, Any]:
    """(known, type) of ``owner.name``; anything not a model is not checked."""
    owner = _unwrap(owner)
    if isinstance(owner, type) and issubclass(owner, BaseModel):
        field = owner.model_fields.get(name)
        if field is None:
            return False, Any
        return True, _unwrap(field.annotation)
    return True, Any


class _Checker:
    def __init__(self, model: type[BaseModel], env: Environment) -> None:
        self.model = model
        self.env = env
        self.problems: list[tuple[int, str, dict[str, Any]]] = []

    def _type_of(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            known, typ = _attr_type(self.model, node.name)
            if not known and node.name not in self.env.globals:
                self.problems.append((node.lineno, UNKNOWN_VARIABLE, {"name": node.name}))
            return typ
        if isinstance(node, nodes.Getattr):
            owner = self._type_of(node.node, scope)
            known, typ = _attr_type(owner, node.attr)
            if not known:
                self.problems.append((node.lineno, UNKNOWN_VARIABLE, {"name": _dotted(node)}))
            return typ
        self.visit(node, scope)
        return Any

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr):
            if not (isinstance(node, nodes.Name) and node.ctx == "store"):
                self._type_of(node, scope)
            return
        if isinstance(node, nodes.For):
            iterable = self._type_of(node.iter, scope)
            inner = dict(scope)
            inner["loop"] = Any
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = _item_type(iterable)
            else:
                for target in node.target.find_all(nodes.Name):
                    inner[target.name] = Any
            for child in [*node.body]:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            targets = [node.target] if isinstance(node.target, nodes.Name) else []
            for target in targets or node.target.find_all(nodes.Name):
                scope[target.name] = Any
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Name):
        return node.name
    return "…"


def _normalise(tag: str) -> str:
    """docxtpl's {%tr …%}, {%p …%}, {{r …}} → plain Jinja."""
    return _PREFIX.sub(r"\1 ", tag)


def check_template(template: bytes, kind: str, lang: str = "fi") -> list[TemplateProblem]:
    """Syntax errors and unknown variables, each with where it is; [] when the template is fine."""
    model = CONTEXT_MODELS.get(kind)
    if model is None:
        raise ReportFailed(N_("Unknown report kind {kind}."), kind=kind)
    env = jinja_env(lang)
    problems: list[TemplateProblem] = []
    for part, xml in _parts(template):
        pieces = _pieces(xml, part)
        lines: list[int] = []  # line number of the skeleton → index of the piece
        text_lines: list[str] = []
        for index, piece in enumerate(pieces):
            for tag in piece.tags:
                for line in _normalise(tag).split("\n"):
                    text_lines.append(line)
                    lines.append(index)
        source = "\n".join(text_lines)
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            found = pieces[lines[min(max(exc.lineno - 1, 0), len(lines) - 1)]] if lines else None
            where, where_params = (found.where, found.params) if found else (PART_NAMES[part], {})
            problems.append(
                TemplateProblem(where, where_params, SYNTAX_ERROR, {"detail": exc.message or ""})
            )
            continue
        checker = _Checker(model, env)
        checker.visit(tree, {})
        seen: set[tuple[str, str]] = set()
        for lineno, message, params in checker.problems:
            piece = pieces[lines[min(max(lineno - 1, 0), len(lines) - 1)]]
            key = (str(piece.params), params["name"])
            if key in seen:
                continue
            seen.add(key)
            problems.append(TemplateProblem(piece.where, piece.params, message, params))
    return problems


def validate_template(template: bytes, kind: str, lang: str = "fi") -> None:
    problems = check_template(template, kind, lang)
    if problems:
        raise TemplateRejected(problems)
