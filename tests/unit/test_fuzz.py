"""Fuzzing: importers and schemas fail only with the errors they promise, never crash.

Every importer (``available_formats()``) gets random bytes, random text, JSON-ish structures and
broken ZIPs; it may parse them or refuse them with ImportFailed/ValidationFailed, nothing else.
``ProjectDoc`` from random dicts raises only pydantic's ValidationError.

The default budget keeps CI around 30 s; ``make fuzz`` sets EVAUS_FUZZ_EXAMPLES=5000.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from project_db.errors import ImportFailed, ValidationFailed
from project_db.importers import available_formats, detect_format, parse_source
from project_db.schemas import ProjectDoc, RegistryDoc

EXAMPLES = int(os.environ.get("EVAUS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 60,  # CI: the same examples every run; `make fuzz` explores
)
FORMATS = sorted(available_formats())
EXPECTED = (ImportFailed, ValidationFailed)

# Words the importers look for, so that random text reaches their deeper branches.
WORDS = [
    "Hankkeen nimi",
    "Tiivistelmä",
    "Hankekoodi:",
    "EURA-tunnus",
    "Projektitiimi",
    "Tulokset",
    "1 Hanke",
    "2 Hakijan perustiedot",
    "Arvio toimintamallista",
    "Toimintamalli",
    "Yhteyshenkilö",
    "Budjetti",
    "1.11.2020",
    "31.2.2020",
    "vähintään 200 henkilöä",
    "0201256-6",
    "(at)",
    "€",
    ";",
    ",",
    "\n",
    "\t",
    ":",
    "name",
    "Hankkeen nimi;Tila",
    "=1+1",
    "<script>",
    "\x00",
    "\ud800",
]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=40)), max_size=40).map("".join)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(["2020-11-01", "1.11.2020", "12,5", "-1", "", "collected", "g1"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(
                st.sampled_from(sorted(ProjectDoc.model_fields)),
                st.sampled_from(["projects", "assessments", "format", "format_version"]),
                st.text(max_size=10),
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=25,
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


zips = st.dictionaries(
    st.sampled_from(
        ["projects.csv", "goals.csv", "indicators.csv", "xl/workbook.xml", "x.txt", "../evil.csv"]
    ),
    texts.map(_encode),
    max_size=4,
).map(_zip)

sources = st.one_of(
    st.binary(max_size=2000),
    texts.map(_encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    zips,
)


def _try(data: bytes, fmt: str | None, filename: str | None) -> None:
    with contextlib.suppress(EXPECTED):
        parse_source(data, filename, fmt)


@FUZZ
@given(data=sources, fmt=st.sampled_from(FORMATS))
def test_every_importer_fails_only_cleanly(data: bytes, fmt: str) -> None:
    _try(data, fmt, None)


@FUZZ
@given(
    data=sources,
    filename=st.sampled_from([None, "x.json", "x.csv", "x.xlsx", "x.zip", "kortti.txt"]),
)
def test_detection_fails_only_cleanly(data: bytes, filename: str | None) -> None:
    with contextlib.suppress(ImportFailed):
        detect_format(data, filename)
    _try(data, None, filename)


@FUZZ
@given(raw=json_values)
def test_project_doc_raises_only_validation_error(raw: Any) -> None:
    for model in (ProjectDoc, RegistryDoc):
        with contextlib.suppress(ValidationError):
            model.model_validate(raw)


project_like = st.fixed_dictionaries(
    {"name": st.text(max_size=20)},
    optional={field: json_values for field in sorted(ProjectDoc.model_fields) if field != "name"},
)


@FUZZ
@given(raw=project_like)
def test_project_like_dicts_raise_only_validation_error(raw: dict[str, Any]) -> None:
    with contextlib.suppress(ValidationError):
        ProjectDoc.model_validate(raw)
    _try(json.dumps({"projects": [raw]}).encode(), "json", None)
