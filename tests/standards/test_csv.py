"""The CSV parser: the tree it builds from parent codes, lenient headers, and errors with the CSV line."""

from __future__ import annotations

from app.standards.services.csvfile import framework_identifier, parse_csv

SHEET = (
    "Code,Statement,Grade Levels,Subject,Parent Code\n"
    "ELA.3,Grade 3 English,3,ELA,\n"
    "ELA.3.R,Reading,3,ELA,ELA.3\n"
    "ELA.3.R.2,Recount stories,3,ELA,ELA.3.R\n"
    "ELA.3.R.1,Ask and answer questions,3,ELA,ELA.3.R\n"
    "ELA.3.W,Writing,3-4,ELA,ELA.3\n"
)


def _order(parsed) -> list[tuple[int, str]]:
    return [(i.depth, i.human_code) for i in sorted(parsed.items.values(), key=lambda i: i.position)]


def test_parent_codes_build_the_tree_in_the_sheets_order():
    parsed = parse_csv(SHEET.encode(), "Local ELA")
    assert parsed.problems.error_count == 0 and parsed.problems.warning_count == 0
    assert _order(parsed) == [(0, "ELA.3"), (1, "ELA.3.R"), (2, "ELA.3.R.2"), (2, "ELA.3.R.1"), (1, "ELA.3.W")]
    codes = {i.human_code: i for i in parsed.items.values()}
    assert codes["ELA.3.W"].education_levels == ["03", "04"]
    assert not codes["ELA.3.R"].is_leaf and codes["ELA.3.R.1"].is_leaf
    assert parsed.subject == "ELA" and parsed.title == "Local ELA"


def test_identifiers_are_stable_for_the_same_framework_name_and_code():
    first, second = parse_csv(SHEET.encode(), "Local ELA"), parse_csv(SHEET.encode(), "  local   ela ")
    assert first.identifier == second.identifier == framework_identifier("Local ELA")
    assert set(first.items) == set(second.items)
    assert parse_csv(SHEET.encode(), "Another").identifier != first.identifier


def test_other_header_names_are_understood_with_a_warning():
    parsed = parse_csv(b"Standard,Description,Grades,Parent\nA,First,K,\nA.1,Second,KG,A\n", "Local")
    assert parsed.problems.error_count == 0
    assert {w["value"] for w in parsed.problems.warnings} == {"Standard", "Description", "Grades", "Parent"}
    assert _order(parsed) == [(0, "A"), (1, "A.1")]


def test_a_parent_code_that_points_to_nothing_is_an_error_with_its_line():
    parsed = parse_csv(SHEET.encode() + b"ELA.3.X,Orphan,3,ELA,ELA.9\n", "Local ELA")
    assert [(e["code"], e["line"], e["value"]) for e in parsed.problems.errors] == [("csv_unknown_parent", 7, "ELA.9")]


def test_a_code_twice_a_missing_code_and_a_cycle_are_errors_with_their_lines():
    sheet = b"code,statement,parent code\nA,One,B\nB,Two,A\nA,Again,\n,No code,\n"
    codes = [(e["code"], e["line"]) for e in parse_csv(sheet, "Loop").problems.errors]
    assert ("csv_duplicate_code", 4) in codes and ("csv_no_code", 5) in codes
    assert any(code == "cycle" for code, _line in codes)


def test_missing_columns_and_binary_files_are_refused():
    assert parse_csv(b"code,grades\nA,3\n", "X").problems.codes() == {"missing_column"}
    assert parse_csv(b"\x00\x01\x02binary", "X").problems.codes() == {"not_csv"}
    assert parse_csv(b"code,statement\n" + b"\xff\xfe", "X").problems.codes() == {"not_csv"}
