"""Rendering a DOCX template with a context: docxtpl, autoescape, StrictUndefined, Babel filters.

- Every ``{{ … }}`` that comes out empty (None or blank text) shows "Ei tietoa" ("Uppgift saknas",
  "No information"): a missing value is never a silent blank. Dates and numbers that a template
  prints without a filter still come out in the Finnish format.
- User text is cleaned of characters XML cannot hold; a blank line starts a new paragraph, a
  single line break stays a line break — except in a paragraph of more than
  ``MAX_LINES_PER_PARAGRAPH`` lines, whose lines become paragraphs of their own: LibreOffice
  lays out the lines of one paragraph in quadratic time (a pasted 200 000-character text of
  2 000 lines took ~100 s to convert to PDF as one paragraph, 3 s as paragraphs).
- ``ChartSpec`` and ``HeatmapSpec`` values are drawn with matplotlib and put in as images.
- A report made for a kind (``render_plain``) carries its own document properties: the title a
  reader sees ("ESR-seurantaraportti – <hanke>"), a subject, the language ("fi-FI", "sv-FI"),
  EVAUS as author and the moment it was made, whatever the template had; the document's
  default language is the report's too (LibreOffice takes the PDF's /Lang from it).

Speed (tests/bench/bench_reports.py): the subclass ``_Template`` gives docxtpl's document byte
for byte, without the work docxtpl repeats for every report: the template's XML is patched and
compiled once per template text; the listing pass (tabs, line and paragraph breaks in user
text) touches only the paragraphs holding such characters; the table-grid fix and the drawing
ids take one walk over the document instead of one per table; the rendered body is parsed in
place instead of being parsed apart and moved into the document (lxml would re-check the
namespaces of every element). Context rows are dicts whose keys are attributes too (Jinja
reads ``i.name`` without raising an AttributeError per cell), charts are drawn only when the
template prints them, and the DOCX is zipped at level 3.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from html import escape
from typing import Any

from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import element_class_lookup
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError
from lxml import etree
from markupsafe import Markup

from project_db.errors import N_

from .. import i18n
from .contexts import CONTEXT_MODELS, ChartSpec, HeatmapSpec, _ReportContext

NO_INFORMATION = N_("No information")

# Characters XML 1.0 cannot hold (tab, line feed and carriage return are fine) and lone surrogates.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
MAX_LINES_PER_PARAGRAPH = 50
CHART_WIDTH_MM = 160


def clean_text(text: str) -> str:
    """Safe for a DOCX run: no invalid characters; a blank line becomes a paragraph break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANK_LINES.sub("\a", _INVALID_XML.sub("", text).strip("\n"))
    if text.count("\n") < MAX_LINES_PER_PARAGRAPH:
        return text
    return "\a".join(
        paragraph.replace("\n", "\a")
        if paragraph.count("\n") >= MAX_LINES_PER_PARAGRAPH
        else paragraph
        for paragraph in text.split("\a")
    )


# Text that clean_text() would change: a character XML cannot hold, a carriage return or any
# line break (blank lines become paragraph breaks, breaks at the ends are stripped).
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff\r\n]")


class _Row(dict[str, Any]):
    """A dict whose keys are also attributes. Jinja reads ``{{ i.name }}`` with getattr() first
    and only then with ``[]``: on a plain dict every such read raises and catches an
    AttributeError, the largest cost of rendering a table of a thousand rows. The result is
    the same: dict attributes (``items``, ``values`` …) still win, as on a plain dict."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _clean(value: Any) -> Any:
    """``clean_text`` on every string of a ``model_dump()``: most strings need nothing, so
    only those with a character clean_text would touch are rewritten."""
    kind = type(value)
    if kind is str:
        return clean_text(value) if _NEEDS_CLEANING.search(value) else value
    if kind is dict:
        return _Row({k: _clean(v) for k, v in value.items()})
    if kind is list:
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return _Row({k: _clean(v) for k, v in value.items()})
    return value


def missing_text(lang: str) -> str:
    return i18n._(NO_INFORMATION, lang)


# --- the Jinja environment ------------------------------------------------------------------


# Babel is thorough but not fast: a large report formats the same dates and numbers many times.
_pvm = lru_cache(maxsize=8192)(i18n.pvm)
_number = lru_cache(maxsize=8192)(i18n.number)


@cache
def jinja_env(lang: str) -> Environment:
    """StrictUndefined, autoescape, Finnish/Swedish/English formatters as filters."""
    lang = i18n.normalise_language(lang)
    missing = missing_text(lang)

    def finalize(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return missing
        if isinstance(value, bool):
            return value
        if isinstance(value, date):
            return _pvm(value, lang)
        if isinstance(value, float):
            return _number(Decimal(str(value)), lang)
        if isinstance(value, Decimal):
            return _number(value, lang)
        return value

    def pvm(value: date | None) -> str:
        return _pvm(value, lang) if value else missing

    def daterange(start: date | None, end: date | None = None) -> str:
        if start is None and end is None:
            return missing
        return f"{_pvm(start, lang) if start else ''}–{_pvm(end, lang) if end else ''}"

    def eur(value: Decimal | int | None, cents: bool = False) -> str:
        if value is None:
            return missing
        # In a document "1 000 000 €" must not break before the €: a non-breaking space.
        return i18n.eur(value, lang, cents=cents).replace(" ", "\u00a0")

    def num(value: Decimal | int | None, unit: str | None = None) -> str:
        if value is None:
            return missing
        text = _number(value, lang)
        return f"{text}\u00a0{unit}" if unit else text

    def pct(value: Decimal | int | None) -> str:
        return f"{_number(value, lang)}\u00a0%" if value is not None else missing

    def or_dash(value: Any) -> Any:
        return "–" if value is None or (isinstance(value, str) and not value.strip()) else value

    env = Environment(undefined=StrictUndefined, autoescape=True, finalize=finalize)
    env.filters.update(pvm=pvm, daterange=daterange, eur=eur, num=num, pct=pct, or_dash=or_dash)
    env.globals["no_information"] = Markup.escape(missing)
    return env


# --- docxtpl, without the work that repeats from report to report -----------------------------

_LISTING_CHARACTERS = "\t\a\n\f"  # what docxtpl's resolve_listing turns into XML
_LISTING = re.compile(f"[{_LISTING_CHARACTERS}]")
_PATCHER = DocxTemplate(io.BytesIO())  # patch_xml() is pure text work: no document needed


@lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    """docxtpl's ``patch_xml`` (a long series of regular expressions over the whole part),
    once per template part instead of once per report."""
    return str(DocxTemplate.patch_xml(_PATCHER, src_xml))


@lru_cache(maxsize=64)
def _part_source(src_xml: str) -> str:
    """The patched part as docxtpl hands it to Jinja: each paragraph on a line of its own."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)


@lru_cache(maxsize=256)
def _compiled(env: Environment, autoescape: bool, source: str) -> Template:
    """A Jinja template compiled once per text, environment and escaping (autoescape is
    fixed at compile time, so it is part of the key)."""
    return env.from_string(source)


def _docx_context(exc: TemplateError, source: str) -> None:
    """What docxtpl attaches to a template error: the lines around it, without the XML."""
    lineno = getattr(exc, "lineno", None)
    if lineno is not None:
        start = max(lineno - 4, 0)
        exc.docx_context = [  # type: ignore[attr-defined]
            re.sub(r"<[^>]+>", "", line) for line in source.splitlines()[start : start + 7]
        ]


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl's DocxTemplate giving the same bytes with less repeated work (see the module's
    docstring). Everything not overridden here is docxtpl's own."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def render_xml_part(
        self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Environment | None = None
    ) -> str:
        if jinja_env is None:
            return str(super().render_xml_part(src_xml, part, context, jinja_env))
        self.current_rendering_part = part
        source = _part_source(src_xml)
        try:
            dst_xml = _compiled(jinja_env, bool(jinja_env.autoescape), source).render(context)
        except TemplateError as exc:
            _docx_context(exc, source)
            raise
        dst_xml = dst_xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        dst_xml = (
            dst_xml.replace("{_{", "{{")
            .replace("}_}", "}}")
            .replace("{_%", "{%")
            .replace("%_}", "%}")
        )
        return self.resolve_listing(dst_xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's pass, run only on the paragraphs holding a tab, line break, paragraph break
        or page break: every other paragraph it leaves as it is anyway. docxtpl takes each
        paragraph as ``<w:p …>`` up to the first ``</w:p>``, scanning from the start; the same
        paragraphs are found here with ``str.find`` instead of a lazy regular expression."""
        specials = _special_positions(xml)
        if not specials:
            return xml
        resolve = super().resolve_listing
        out: list[str] = []
        done = 0
        for start, end in _listing_paragraphs(xml, specials):
            out += [xml[done:start], str(resolve(xml[start:end]))]
            done = end
        out.append(xml[done:])
        return "".join(out)

    def render_properties(
        self, context: dict[str, Any], jinja_env: Environment | None = None
    ) -> None:
        """The core properties as docxtpl renders them, compiled once per text."""
        if jinja_env is None:
            super().render_properties(context, jinja_env)
            return
        core = self.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            template = _compiled(jinja_env, bool(jinja_env.autoescape), getattr(core, name))
            setattr(core, name, template.render(context))

    def fix_tables(self, xml: str) -> Any:
        """docxtpl's grid fix (a ``{%tc %}`` loop can change a row's cell count), with the same
        result: docxtpl walks each table's whole subtree once per table; here one walk over the
        document finds every table, row and drawing (for ``fix_docpr_ids``)."""
        tree = self._parse_body(xml)
        ns = "{" + tree.nsmap["w"] + "}"
        tbl, tr, tc = ns + "tbl", ns + "tr", ns + "tc"
        # lxml answers at once when no element has the tag: the usual case, no merged cells.
        merged = next(tree.iter(ns + "gridSpan"), None) is not None
        tables: dict[Any, list[int]] = {}  # table → [most cells in a row, widest row in columns]
        drawings = []
        for element in tree.iter(tbl, tr, _DOCPR):
            if element.tag == tbl:
                tables[element] = [0, 0]
                continue
            if element.tag == _DOCPR:
                drawings.append(element)
                continue
            if merged:
                cells = list(element.iterchildren(tc))
                count, span = len(cells), sum(_columns(cell, ns) for cell in cells)
            else:
                count = span = sum(1 for _ in element.iterchildren(tc))
            # docxtpl counts a row in every table it is in (table.iter(tr)), nested ones too.
            ancestor = element.getparent()
            while ancestor is not None:
                if ancestor.tag == tbl:
                    counts = tables[ancestor]
                    counts[0] = max(counts[0], count)
                    counts[1] = max(counts[1], span)
                ancestor = ancestor.getparent()
        for table, (most_cells, widest) in tables.items():
            _fix_grid(table, ns, most_cells, widest)
        self._drawings = (tree, drawings)
        return tree

    def _parse_body(self, xml: str) -> Any:
        """The rendered body as docxtpl parses it (recovering from broken XML), but parsed
        inside a copy of the document around it, so that ``map_tree`` need not move a hundred
        thousand elements from one lxml document into another (lxml then fixes up the
        namespaces of every one). Falls back to docxtpl's way for an unusual document."""
        around = _document_around_body(self.docx._element, xml)
        if around is None:
            return etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        parser = etree.XMLParser(recover=True)
        parser.set_element_class_lookup(element_class_lookup)  # python-docx's element classes
        root = etree.fromstring(around, parser=parser)
        return root.find(_BODY)

    def map_tree(self, tree: Any) -> None:
        root = tree.getparent()
        if root is None:
            super().map_tree(tree)
            return
        # The parsed document takes the place of the template's: the same element tree
        # docxtpl would have made by replacing the body.
        self.docx._element = root
        self.docx.part._element = root

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's renumbering of the drawings' ids, in document order (found by fix_tables)."""
        found, drawings = getattr(self, "_drawings", (None, []))
        for element in drawings if found is tree else list(tree.iter(_DOCPR)):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)


_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_P_OPEN = re.compile(r"<w:p(?: [^>]*)?>")  # the start of docxtpl's paragraph pattern
_P_CLOSE = "</w:p>"


def _special_positions(xml: str) -> list[int]:
    """Where the characters docxtpl's listing pass rewrites are (str.find: far faster than a
    regular expression over a large part)."""
    positions = []
    for character in _LISTING_CHARACTERS:
        at = xml.find(character)
        while at >= 0:
            positions.append(at)
            at = xml.find(character, at + 1)
    return sorted(positions)


def _listing_paragraphs(xml: str, specials: list[int]) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph, as docxtpl's resolve_listing delimits them, that holds
    a character the listing pass rewrites (``specials``: their positions, in order)."""
    if "txbxContent" in xml:
        # Paragraphs inside text boxes nest (the only place WordprocessingML nests them):
        # follow docxtpl's left-to-right scan exactly.
        pos = 0
        while (found := _P_OPEN.search(xml, pos)) is not None:
            close = xml.find(_P_CLOSE, found.end())
            if close < 0:
                return
            end = close + len(_P_CLOSE)
            if _LISTING.search(xml, found.start(), end):
                yield found.start(), end
            pos = end
        return
    # No nesting: every paragraph runs from its start tag to the next </w:p>, so only the
    # paragraph around each special character needs finding.
    low = 0
    for at in specials:
        if at < low:
            continue
        start = _last_paragraph_start(xml, low, at)
        if start is None:
            low = at
            continue
        close = xml.find(_P_CLOSE, _P_OPEN.match(xml, start).end())  # type: ignore[union-attr]
        if close < 0 or at >= close + len(_P_CLOSE):
            low = at  # between paragraphs: docxtpl leaves it alone
            continue
        low = close + len(_P_CLOSE)
        yield start, low


def _last_paragraph_start(xml: str, low: int, at: int) -> int | None:
    """The last paragraph start tag that begins in xml[low:at], if any."""
    end = at
    while (start := xml.rfind("<w:p", low, end)) >= 0:
        if _P_OPEN.match(xml, start):
            return start
        end = start
    return None


_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
_TAG_NAME = re.compile(r"<([\w.-]+(?::[\w.-]+)?)")
_NAMESPACE = re.compile(r'\s+xmlns(?::([\w.-]+))?="([^"]*)"')


def _document_around_body(root: Any, body_xml: str) -> str | None:
    """The document's XML with ``body_xml`` as its body, as lxml serialises it after docxtpl's
    ``map_tree``. Moving the parsed body in, lxml drops every namespace declaration in it whose
    URI is already declared above: the body's own copies of the root's declarations and,
    say, those a python-docx picture brings. The same declarations are dropped here from the
    text. None when the document is not the usual simple case (then docxtpl's way)."""
    body = root.find(_BODY)
    if body is None or body.getparent() is not root or not body_xml.startswith("<w:body"):
        return None
    if len(set(root.nsmap.values())) != len(root.nsmap):
        return None
    stripped = _strip_redundant_declarations(body_xml, dict(root.nsmap))
    if stripped is None:
        return None
    placeholder = etree.SubElement(root, _BODY)  # serialise the root without the old body
    root.replace(body, placeholder)
    try:
        around = str(etree.tostring(root, encoding="unicode"))
    finally:
        root.replace(placeholder, body)
    empty = around.find("<w:body/>")
    if empty < 0 or around.find("<w:body", empty + 1) >= 0:
        return None
    return around[:empty] + stripped + around[empty + len("<w:body/>") :]


def _strip_redundant_declarations(xml: str, declared: dict[str | None, str]) -> str | None:
    """``xml`` without the namespace declarations lxml finds redundant when it moves the
    element into a document whose root declares ``declared``: a declaration goes when its URI
    is already declared in scope above it (lxml's _stripRedundantNamespaceDeclarations). Only
    the few start tags holding ``xmlns`` are looked at; None when one cannot be read with
    certainty or lxml would also rename a prefix."""
    edits: list[tuple[int, int, str]] = []
    scopes: list[tuple[int, list[tuple[str | None, str]]]] = []  # (end, kept declarations)
    position = xml.find("xmlns")
    while position >= 0:
        start = xml.rfind("<", 0, position)
        close = xml.find(">", start)
        if start < 0 or close < position:
            position = xml.find("xmlns", position + 5)  # in text, not in a tag
            continue
        tag = xml[start : close + 1]
        name = _TAG_NAME.match(tag)
        if name is None or "<" in tag[1:]:
            return None
        end = _element_end(xml, name.group(1), start, close)
        if end is None:
            return None
        while scopes and scopes[-1][0] <= start:
            scopes.pop()
        kept: list[tuple[str | None, str]] = []

        renamed = False

        def drop(match: re.Match[str], kept: list[tuple[str | None, str]] = kept) -> str:
            nonlocal renamed
            prefix, uri = match.group(1), match.group(2)
            found, found_prefix = _nearest_prefix(uri, scopes, declared)
            if not found:
                kept.append((prefix, uri))
                return match.group(0)
            renamed = renamed or found_prefix != prefix
            return ""

        new_tag = _NAMESPACE.sub(drop, tag)
        if renamed or "xmlns" in _NAMESPACE.sub("", new_tag):
            # lxml would rename this element's prefix, or a declaration this pattern does not
            # read: docxtpl's way
            return None
        if new_tag != tag:
            edits.append((start, close + 1, new_tag))
        scopes.append((end, kept))
        position = xml.find("xmlns", close)
    if not edits:
        return xml
    out: list[str] = []
    done = 0
    for start, end, text in edits:
        out += [xml[done:start], text]
        done = end
    out.append(xml[done:])
    return "".join(out)


def _nearest_prefix(
    uri: str,
    scopes: list[tuple[int, list[tuple[str | None, str]]]],
    declared: dict[str | None, str],
) -> tuple[bool, str | None]:
    """(found, prefix) of the declaration of ``uri`` libxml2's xmlSearchNsByHref finds from
    the parent: the nearest one whose prefix no nearer declaration redefines."""
    levels = [list(declared.items())] + [declarations for _end, declarations in scopes]
    for level in range(len(levels) - 1, -1, -1):
        for prefix, declared_uri in levels[level]:
            if declared_uri != uri:
                continue
            nearer = (p for above in levels[level + 1 :] for p, _uri in above)
            if prefix not in nearer:
                return True, prefix
    return False, None


def _element_end(xml: str, name: str, start: int, close: int) -> int | None:
    """Where the element whose start tag is ``xml[start:close + 1]`` ends."""
    if xml[close - 1] == "/":
        return close + 1
    depth, position = 1, close + 1
    opening, closing = "<" + name, "</" + name + ">"
    while depth:
        next_close = xml.find(closing, position)
        if next_close < 0:
            return None
        next_open = xml.find(opening, position, next_close)
        while next_open >= 0 and xml[next_open + len(opening)] not in " \t\n\r/>":
            next_open = xml.find(opening, next_open + 1, next_close)
        if next_open >= 0:
            tag_end = xml.find(">", next_open)
            if xml[tag_end - 1] != "/":
                depth += 1
            position = tag_end + 1
        else:
            depth -= 1
            position = next_close + len(closing)
    return position


def _columns(cell: Any, ns: str) -> int:
    """How many grid columns a cell takes (its gridSpan)."""
    properties = cell.find(ns + "tcPr")
    grid_span = None if properties is None else properties.find(ns + "gridSpan")
    return 1 if grid_span is None else int(grid_span.get(ns + "val"))


def _fix_grid(table: Any, ns: str, most_cells: int, widest: int) -> None:
    """One table of docxtpl's ``fix_tables``: add grid columns when a row has more cells than
    the grid, remove them when no row fills the grid; the table keeps its width."""
    grid = table.find(ns + "tblGrid")
    columns = grid.findall(ns + "gridCol")
    width_attr = ns + "w"
    to_add = most_cells - len(columns)
    if to_add > 0:
        width = sum(float(c.get(width_attr)) for c in columns if c.get(width_attr) is not None)
        if width > 0:
            old_average = width / len(columns)
            new_average = width / (len(columns) + to_add)
            for column in columns:
                column.set(
                    width_attr, str(int(float(column.get(width_attr)) * new_average / old_average))
                )
            for _ in range(to_add):
                etree.SubElement(grid, ns + "gridCol", {width_attr: str(int(new_average))})
    columns = grid.findall(ns + "gridCol")
    to_remove = len(columns) - widest
    if to_remove > 0:
        removed = 0.0
        for column in columns[-to_remove:]:
            removed += float(column.get(width_attr))
            grid.remove(column)
        left = grid.findall(ns + "gridCol")
        extra = int(removed / len(left)) if left else 0
        for column in left:
            column.set(width_attr, str(int(float(column.get(width_attr)) + extra)))


class _Chart(InlineImage):  # type: ignore[misc]
    """A chart put in as an image, drawn only when the template prints it (a template that
    leaves a chart out, or shows it only under a condition, costs no drawing)."""

    def __init__(self, tpl: DocxTemplate, spec: ChartSpec | HeatmapSpec) -> None:
        super().__init__(tpl, None, width=Mm(CHART_WIDTH_MM))
        self.spec = spec
        self.drawn: io.BytesIO | None = None

    def _insert_image(self) -> str:
        # Pillow, and matplotlib for a heatmap, only when a chart is drawn
        from .charts import describe_chart, draw_chart, draw_heatmap

        if self.drawn is None:
            spec = self.spec
            png = draw_chart(spec) if isinstance(spec, ChartSpec) else draw_heatmap(spec)
            self.drawn = self.image_descriptor = io.BytesIO(png)
        return with_alt_text(str(super()._insert_image()), describe_chart(self.spec))


def with_alt_text(drawing: str, text: str) -> str:
    """``drawing`` (a picture's XML) with ``text`` as its description: Word's alt text, and
    a tagged PDF's, when LibreOffice writes one."""
    text = escape(_INVALID_XML.sub("", text), quote=True)
    return drawing.replace("<wp:docPr ", f'<wp:docPr descr="{text}" ', 1)


# --- document properties ---------------------------------------------------------------------

DOCUMENT_LANGUAGES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
AUTHOR = "EVAUS"
TITLE_LIMIT = 255  # characters a core property may hold (python-docx refuses more)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class DocumentProperties:
    """What a report's DOCX says of itself (File → Properties; a PDF's title and language)."""

    title: str
    subject: str
    language: str  # "fi-FI"


def _one_line(text: str, limit: int = TITLE_LIMIT) -> str:
    text = " ".join(_INVALID_XML.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_properties(kind: str, context: _ReportContext) -> DocumentProperties:
    """The title ("<the kind's label> – <project or assessment>") and subject (the label and
    the period or year the report covers) in the report's own language."""
    from . import kinds  # the kind modules import the builders: only when a report is made
    from .kinds.base import PERIOD_WORDS

    lang = i18n.normalise_language(context.lang)
    label = i18n._(kinds.get(kind).label, lang)
    assessment = getattr(context, "assessment", None)
    project = getattr(context, "project", None)
    name = getattr(assessment, "title", None) or getattr(project, "name", None)
    title = f"{label} – {name}" if name and str(name).strip() else label
    if getattr(assessment, "draft", False):  # a draft says so wherever its title is shown
        title += f" ({i18n._('draft', lang)})"
    subject = label
    period: Any = getattr(context, "period", None)
    year = getattr(context, "year", None)
    if isinstance(getattr(period, "number", None), int) and not getattr(context, "whole_term", 0):
        dates = f"{_pvm(period.start_date, lang)}–{_pvm(period.end_date, lang)}"
        subject = f"{label}, {PERIOD_WORDS.get(lang, 'jakso')} {period.number} ({dates})"
    elif isinstance(year, int):
        subject = f"{label} {year}"
    return DocumentProperties(
        title=_one_line(title),
        subject=_one_line(subject),
        language=DOCUMENT_LANGUAGES.get(lang, "fi-FI"),
    )


def _set_properties(document: Any, properties: DocumentProperties) -> None:
    """The core properties of ``properties`` (the template's own are replaced, also what it
    left in comments or keywords) and the default language of the text."""
    core = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)  # written as …Z
    core.title = properties.title
    core.subject = properties.subject
    core.language = properties.language
    core.author = core.last_modified_by = AUTHOR
    for name in ("comments", "keywords", "category", "content_status", "identifier", "version"):
        if getattr(core, name):
            setattr(core, name, "")  # the template's words, not the report's
    core.created = core.modified = now
    core.revision = 1
    _set_default_language(document.styles.element, properties.language)


def _set_default_language(styles: Any, language: str) -> None:
    """``language`` in the document defaults and the Normal style (python-docx's blank document
    says en-US in its defaults, and LibreOffice gives the PDF that language)."""
    defaults = styles.find(_W + "docDefaults")
    if defaults is None:
        defaults = etree.Element(_W + "docDefaults")
        styles.insert(0, defaults)
    places = [_child(_child(defaults, "rPrDefault", first=True), "rPr")]
    for style in styles.iterfind(_W + "style"):
        if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
            places.append(_child(style, "rPr"))
    for rpr in places:
        lang = rpr.find(_W + "lang")
        if lang is None:
            lang = etree.SubElement(rpr, _W + "lang")  # w:lang is last in w:rPr
        lang.set(_W + "val", language)


def _child(parent: Any, name: str, *, first: bool = False) -> Any:
    found = parent.find(_W + name)
    if found is None:
        found = etree.Element(_W + name)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def render_docx(
    template: bytes, context: _ReportContext, properties: DocumentProperties | None = None
) -> bytes:
    """Render ``template`` (DOCX bytes) with ``context``; the result is DOCX bytes. With
    ``properties`` the document's own properties and default language are set (a report
    made for a kind: ``render_plain``); without, the template's stay as docxtpl leaves them."""
    lang = i18n.normalise_language(context.lang)
    doc = _Template(io.BytesIO(template))
    data: dict[str, Any] = _clean(context.model_dump())
    for name in type(context).model_fields:
        spec = getattr(context, name)
        if isinstance(spec, ChartSpec | HeatmapSpec):
            data[name] = _Chart(doc, spec)
    doc.render(data, jinja_env=jinja_env(lang), autoescape=True)
    if properties is not None:
        _set_properties(doc.docx, properties)
    out = io.BytesIO()
    _save(doc.docx.part.package, out)
    return out.getvalue()


ZIP_LEVEL = 3  # zlib level of the DOCX: half the time of python-docx's default 6, ~8 % larger


class _ZipWriter:
    """python-docx's zip writer with a chosen compression level."""

    def __init__(self, stream: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self._zip.writestr(pack_uri.membername, blob)

    def close(self) -> None:
        self._zip.close()


def _save(package: Any, stream: io.BytesIO) -> None:
    """What ``Document.save`` does (python-docx's OpcPackage.save), into a faster zip."""
    for part in package.parts:
        part.before_marshal()
    writer = _ZipWriter(stream)
    steps: Any = PackageWriter  # python-docx's own steps, with this writer
    steps._write_content_types_stream(writer, package.parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, package.parts)
    writer.close()


def render_plain(kind: str, context_data: dict[str, Any], template: bytes) -> bytes:
    """Worker-process entry: plain data in (a JSON-able dict and bytes), DOCX bytes out."""
    context = CONTEXT_MODELS[kind].model_validate(context_data)
    return render_docx(template, context, document_properties(kind, context))


# --- batch worker processes ------------------------------------------------------------------

_BATCH: dict[str, bytes] = {}  # in a batch worker process: the batch's template


def start_batch_worker(template: bytes) -> None:
    """A batch worker process, once at its start: keep the template (sent once, not with every
    report) and open the charts' fonts while the first contexts are still being built."""
    from .charts import load_fonts

    _BATCH["template"] = template
    load_fonts()


def render_in_batch_worker(kind: str, context_data: dict[str, Any]) -> bytes:
    return render_plain(kind, context_data, _BATCH["template"])
