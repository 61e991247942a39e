"""The framework file: data in fi/sv/en, validated, refused with the line and the reason."""

from __future__ import annotations

import pytest

from evaus.assessment import (
    FrameworkInvalid,
    builtin_framework,
    builtin_framework_names,
    framework_text,
    parse_framework,
)
from evaus.assessment.locate import json_lines, line_for


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    position = -1
    for _ in range(nth + 1):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def test_the_default_framework_has_the_method() -> None:
    framework = builtin_framework("default")
    assert [p.number for p in framework.phases] == list(range(9))
    assert framework.phases[0].name.fi == "Tarveharkinta"
    assert len(framework.impact_areas) == 11
    on_people = [a.code for a in framework.impact_areas if a.on_people]
    assert len(on_people) == 6 and "children_families" in on_people
    assert {"older_people", "disabled", "low_income", "staff"} <= framework.group_codes
    assert [v.code for v in framework.scales.direction] == ["++", "+", "0", "-", "--", "+-", "?"]
    assert framework.symbol("--") == "\u2212\u2212" and framework.symbol("+-") == "±"
    assert framework.scale_label("time_span", "keskipitka", "sv") == "Medellång"
    assert framework.scales.time_span[1].definition is not None
    assert {c.indicates for c in framework.screening_criteria} == {"needed", "not_needed"}
    for phase in framework.phases:  # every text in the three languages
        assert phase.name.fi and phase.name.sv and phase.name.en


def test_a_second_framework_loads() -> None:
    assert builtin_framework_names() == ["default", "lava"]
    lava = builtin_framework("lava")
    assert lava.id == "lava"
    assert "child_participation" in lava.area_codes
    assert lava.area_codes != builtin_framework("default").area_codes


def test_a_json_syntax_error_names_its_line() -> None:
    text = framework_text("default")
    line = _line_of(text, '"version": 1')
    broken = text.replace('"version": 1,', '"version": 1', 1)
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(broken)
    problem = exc.value.problems[0]
    assert problem.line == line + 1  # the parser stops at the next member
    assert "line" in str(exc.value) and "delimiter" in problem.render()


def test_a_schema_error_names_its_line() -> None:
    text = framework_text("default")
    broken = text.replace('"number": 3,', '"number": "kolme",', 1)
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(broken)
    problem = exc.value.problems[0]
    assert problem.line == _line_of(text, '"number": 3,')
    assert problem.path == "phases.3.number"
    assert problem.render().startswith(f"line {problem.line}, phases.3.number: ")


def test_a_missing_translation_names_the_language_and_line() -> None:
    text = framework_text("default")
    broken = text.replace('"sv": "Behovsprövning",\n', "", 1)
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(broken)
    problem = exc.value.problems[0]
    assert problem.params == {"languages": "sv"}
    assert problem.line == _line_of(text, '"fi": "Tarveharkinta"') - 1  # '"name": {' of phase 0
    assert problem.path == "phases.0.name"


def test_wrong_scale_codes_and_duplicate_areas_are_refused() -> None:
    text = framework_text("default")
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(text.replace('"code": "varma"', '"code": "aivan_varma"', 1))
    assert exc.value.problems[0].path == "scales.certainty"
    assert exc.value.problems[0].line == _line_of(text, '"certainty": [')
    doubled = text.replace('"code": "economy"', '"code": "equality"', 1)
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(doubled)
    assert exc.value.problems[0].params == {"code": "equality"}


def test_every_problem_is_reported_with_its_own_line() -> None:
    text = framework_text("default")
    broken = text.replace('"on_people": true', '"on_people": "ehkä"', 2)
    with pytest.raises(FrameworkInvalid) as exc:
        parse_framework(broken)
    lines = [p.line for p in exc.value.problems]
    assert lines == [_line_of(text, '"on_people": true', 0), _line_of(text, '"on_people": true', 1)]


def test_the_locator_maps_paths_to_lines() -> None:
    text = '{\n  "a": [\n    1,\n    {"b": "x\\"y"},\n    []\n  ],\n  "c": {}\n}'
    lines = json_lines(text)
    assert lines[("a",)] == 2
    assert lines[("a", 0)] == 3
    assert lines[("a", 1, "b")] == 4
    assert lines[("a", 2)] == 5
    assert lines[("c",)] == 7
    assert line_for(lines, ("c", "missing", 3)) == 7
    assert line_for(lines, ("nothing",)) == 1
