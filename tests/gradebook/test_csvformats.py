"""Gradebook CSV files as Canvas and spreadsheets write them, every variant of issue 20 item 7, and round trips."""

from __future__ import annotations

import codecs
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.gradebook.csvformats import (
    CsvColumn,
    CsvStudent,
    parse_cell,
    parse_gradebook_csv,
    write_canvas_csv,
    write_plain_csv,
)

# A Canvas export as Canvas writes it: custom column, SIS columns, a manual-posting row, the indented Points
# Possible row, computed columns whose names repeat (two assignment groups called "Assignments"), N/A, EX and
# blanks, and the test student last.
CANVAS = """Student,ID,SIS User ID,SIS Login ID,Section,Notes,Quiz 1 (101),Essay: Part 2 (102),Lab (103),\
Assignments Current Points,Assignments Final Points,Assignments Current Score,Assignments Unposted Current Score,\
Assignments Current Score,Current Points,Final Points,Current Score,Unposted Current Score,Final Score,\
Unposted Final Score,Current Grade,Unposted Current Grade,Final Grade,Unposted Final Grade
,,,,,,,Manual Posting,,,,,,,,,,,,,,,,
    Points Possible,,,,,(read only),10.00,25.00,5.00,(read only),(read only),(read only),(read only),(read only),\
(read only),(read only),(read only),(read only),(read only),(read only),(read only),(read only),(read only),(read only)
"Rivera, Ana",4401,S-1001,ana.rivera,Period 1,likes labs,9.50,EX,,14.5,14.5,96.67,96.67,96.67,14.5,14.5,96.67,96.67,\
36.25,36.25,A,A,F,F
"Okafor, Chidi",4402,S-1002,chidi.okafor,Period 1 and Period 2,,N/A,20,5,25,25,83.33,83.33,83.33,25,25,83.33,83.33,\
62.5,62.5,B,B,D,D
"Student, Test",4499,,8a7c6b5d4e,Period 1,,,,,,,,,,,,,,,,,,,
"""


def test_a_canvas_export_is_read_with_its_identity_assignment_and_computed_columns():
    parsed = parse_gradebook_csv(CANVAS.encode())
    assert parsed.layout == "canvas"
    assert [(c.title, c.external_id, c.points_possible) for c in parsed.columns] == [
        ("Quiz 1", "101", D(10)),
        ("Essay: Part 2", "102", D(25)),
        ("Lab", "103", D(5)),
    ]
    assert [p[1] for p in parsed.problems] == ["custom_column"]
    ana, chidi, test = parsed.students
    assert (ana.line, ana.name, ana.canvas_id, ana.sis_user_id, ana.sis_login_id, ana.section) == (
        4,
        "Rivera, Ana",
        "4401",
        "S-1001",
        "ana.rivera",
        "Period 1",
    )
    quiz, essay, lab = (c.index for c in parsed.columns)
    assert [parse_cell(ana.cells[i]).kind for i in (quiz, essay, lab)] == ["score", "excused", "blank"]
    assert parse_cell(ana.cells[quiz]).value == D("9.5")
    assert [parse_cell(chidi.cells[i]).kind for i in (quiz, essay, lab)] == ["not_assigned", "score", "score"]
    assert chidi.section == "Period 1 and Period 2"
    assert test.is_test_student and not ana.is_test_student
    assert not parsed.from_chalkline and not parsed.decimal_comma


def test_canvas_first_and_last_name_columns_integration_id_and_root_account():
    data = (
        b"LastName,FirstName,ID,SIS User ID,SIS Login ID,Integration ID,Root Account,Section,"
        b"Quiz 1 (101),Current Score\n"
        b"Points Possible,,,,,,,,10,(read only)\n"
        b"Rivera,Ana,4401,S-1001,ana.rivera,int-9,school.instructure.com,P1,8,80\n"
        b"Student,Test,4499,,x,,,P1,,\n"
    )
    parsed = parse_gradebook_csv(data)
    assert parsed.layout == "canvas"
    assert [(c.title, c.points_possible) for c in parsed.columns] == [("Quiz 1", D(10))]
    ana, test = parsed.students
    assert (ana.name, ana.sis_user_id, ana.sis_login_id, ana.section) == ("Rivera, Ana", "S-1001", "ana.rivera", "P1")
    assert test.is_test_student


def test_an_export_without_sis_user_ids_still_reads_the_login():
    data = b"Student,ID,SIS Login ID,Section,Quiz 1 (7)\n    Points Possible,,,,4\nAna Rivera,1,ana@school.org,P1,3\n"
    parsed = parse_gradebook_csv(data)
    (ana,) = parsed.students
    assert (ana.name, ana.sis_user_id, ana.sis_login_id) == ("Ana Rivera", "", "ana@school.org")


def test_semicolons_decimal_commas_and_windows_1252():
    text = (
        "Student;ID;SIS User ID;SIS Login ID;Section;Dictée (55);Current Score\n"
        "    Points Possible;;;;;12,5;(read only)\n"
        "Muñoz, José;9;S-9;jose;Groupe B;10,25;82\n"
    )
    parsed = parse_gradebook_csv(text.encode("cp1252"))
    assert parsed.decimal_comma
    (column,) = parsed.columns
    assert (column.title, column.points_possible) == ("Dictée", D("12.5"))
    (jose,) = parsed.students
    assert jose.name == "Muñoz, José"
    assert parse_cell(jose.cells[column.index], parsed.decimal_comma).value == D("10.25")


def test_decimal_commas_in_a_comma_separated_file_are_quoted_and_still_understood():
    data = b'Student,ID,Section,Quiz (1)\n    Points Possible,,,"10,0"\n"Rivera, Ana",1,P1,"7,5"\n'
    parsed = parse_gradebook_csv(data)
    assert parsed.decimal_comma
    assert parsed.columns[0].points_possible == D(10)
    assert parse_cell(parsed.students[0].cells[3], True).value == D("7.5")


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, b""])
def test_utf8_with_and_without_a_bom(bom):
    parsed = parse_gradebook_csv(bom + 'Student,ID,Section,Ensayo (3)\n"Núñez, Zoë",1,P1,4\n'.encode())
    assert parsed.layout == "canvas"
    assert parsed.students[0].name == "Núñez, Zoë"
    assert parsed.columns[0].title == "Ensayo"


def test_utf16_with_a_bom_as_excel_saves_unicode_text():
    text = "Student\tSIS User ID\tQuiz 1\nZoë\tS-1\t4\n"
    parsed = parse_gradebook_csv(text.encode("utf-16"))
    assert parsed.layout == "plain"
    assert (parsed.students[0].name, parsed.columns[0].title) == ("Zoë", "Quiz 1")


def test_a_plain_spreadsheet_with_first_and_last_names_and_email():
    data = (
        b"First Name,Last Name,Email,Quiz 1,Essay,Total\n"
        b"Ana,Rivera,ana@school.org,9,MI,90\n"
        b"Chidi,Okafor,chidi@school.org,,12.5,80\n"
        b",,,,,\n"
    )
    parsed = parse_gradebook_csv(data)
    assert parsed.layout == "plain"
    assert [c.title for c in parsed.columns] == ["Quiz 1", "Essay"]
    assert all(c.points_possible is None and c.external_id == "" for c in parsed.columns)
    ana, chidi = parsed.students
    assert (ana.name, ana.email, chidi.line) == ("Rivera, Ana", "ana@school.org", 3)
    assert parse_cell(ana.cells[4]).kind == "missing"
    assert parsed.problems == []


def test_a_plain_file_without_a_student_column_or_assignments_says_so():
    parsed = parse_gradebook_csv(b"Colour,Shape\nred,round\n")
    assert "no_student_column" in [p[1] for p in parsed.problems]
    parsed = parse_gradebook_csv(b"Email,Total\nana@school.org,4\n")
    assert [p[1] for p in parsed.problems] == ["no_assignment_columns"]


def test_rows_naming_no_student_and_repeated_assignment_titles_are_reported_with_their_lines():
    data = b'Name,Email,Quiz,Quiz\n"Ana\nRivera",ana@x.org,1,2\n,,3,4\nChidi,c@x.org,5,6\n'
    parsed = parse_gradebook_csv(data)
    assert [(line, code) for line, code, _ in parsed.problems] == [(1, "duplicate_title"), (4, "no_student")]
    assert [s.line for s in parsed.students] == [2, 5]  # a quoted cell spanning lines 2-3 starts at line 2


@pytest.mark.parametrize("data", [b"", b"\n\n , ,\n", b"\x00\x01\x02garbage\xff\xfe", b'"unterminated,\x00'])
def test_unreadable_or_empty_files_give_problems_not_errors(data):
    parsed = parse_gradebook_csv(data)
    assert parsed.problems
    assert parsed.students == [] or parsed.columns == []


def test_bad_points_possible_are_reported():
    parsed = parse_gradebook_csv(b"Student,ID,Section,Quiz (1)\n    Points Possible,,,ten\nAna,1,P1,4\n")
    assert [p[1] for p in parsed.problems] == ["bad_points"]
    assert parsed.columns[0].points_possible is None


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "kind", "value", "code"),
    [
        ("9.5", False, "score", D("9.5"), ""),
        (" 10 ", False, "score", D(10), ""),
        (".5", False, "score", D("0.5"), ""),
        ("9,5", True, "score", D("9.5"), ""),
        ("", False, "blank", None, ""),
        ("   ", False, "blank", None, ""),
        ("-", False, "blank", None, ""),
        ("N/A", False, "not_assigned", None, ""),
        ("n/a", False, "not_assigned", None, ""),
        ("EX", False, "excused", None, ""),
        ("ex", False, "excused", None, ""),
        ("MI", False, "missing", None, ""),
        ("Missing", False, "missing", None, ""),
        ("B+", False, "letter", None, ""),
        ("complete", False, "letter", None, ""),
        ("-3", False, "invalid", D(-3), "negative"),
        ("85%", False, "invalid", None, "percent"),
        ("9,5", False, "invalid", None, "decimal_comma"),
        ("nine", False, "invalid", None, "not_a_number"),
        ("1e3", False, "invalid", None, "not_a_number"),
        ("NaN", False, "invalid", None, "not_a_number"),
        ("1.2.3", False, "invalid", None, "not_a_number"),
    ],
)
def test_each_kind_of_cell(raw, decimal_comma, kind, value, code):
    cell = parse_cell(raw, decimal_comma)
    assert (cell.kind, cell.value, cell.code, cell.raw) == (kind, value, code, raw)
    assert bool(cell.message) == (kind == "invalid")


def _sample():
    columns = [
        CsvColumn(0, "Quiz 1", "11", D(10)),
        CsvColumn(1, "Essay, draft", "12", D("12.5")),
        CsvColumn(2, "=HYPERLINK(evil)", "13", D(5)),
        CsvColumn(3, "Current Score", read_only=True),
    ]
    students = [
        CsvStudent(0, "Rivera, Ana", "", "S-1", "ana", "ana@x.org", "P1", {0: "9", 1: "EX", 2: "", 3: "90"}),
        CsvStudent(0, '-Okafor "Chidi"', "", "S-2", "chidi", "", "P2", {0: "N/A", 1: "12.5", 2: "5", 3: "85"}),
    ]
    return columns, students


@pytest.mark.parametrize(("writer", "layout"), [(write_canvas_csv, "canvas"), (write_plain_csv, "plain")])
def test_what_chalkline_writes_it_reads_back_exactly(writer, layout):
    columns, students = _sample()
    data = writer(columns, students)
    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n'=HYPERLINK" not in data and b",'=HYPERLINK(evil) (13)" in data  # formulas are neutralised
    parsed = parse_gradebook_csv(data)
    assert (parsed.layout, parsed.from_chalkline, parsed.problems) == (layout, True, [])
    assert [(c.title, c.external_id, c.points_possible) for c in parsed.columns] == [
        (c.title, c.external_id, c.points_possible) for c in columns[:3]
    ]
    for original, read in zip(students, parsed.students, strict=True):
        assert (read.name, read.sis_user_id, read.sis_login_id, read.section) == (
            original.name,
            original.sis_user_id,
            original.sis_login_id,
            original.section,
        )
        assert [read.cells[c.index] for c in parsed.columns] == [original.cells[i] for i in range(3)]
    assert parsed.students[0].email == ("ana@x.org" if layout == "plain" else "")


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20).filter(
    lambda t: t.strip() == t and t.strip()
)
titles = names.map(lambda t: " ".join(t.split())).filter(lambda t: t and not t.lower().startswith("points possible"))
cells = st.sampled_from(["", "EX", "N/A", "MI", "B+"]) | st.decimals(0, 500, places=2).map(str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(titles, min_size=1, max_size=6, unique_by=str.lower),
    st.lists(st.tuples(names, st.text("ABC123-", min_size=1, max_size=8)), min_size=1, max_size=5),
    st.data(),
    st.sampled_from([write_canvas_csv, write_plain_csv]),
)
def test_round_trip_of_generated_gradebooks(column_titles, people, data, writer):
    from app.gradebook.csvformats import _COMPUTED, _IDENTITY

    column_titles = [t for t in column_titles if not _COMPUTED.search(t) and t.lower() not in _IDENTITY]
    columns = [CsvColumn(i, t, str(100 + i), D(i + 1)) for i, t in enumerate(column_titles)]
    students = [
        CsvStudent(0, name, "", sis, "", "", "P1", {c.index: data.draw(cells) for c in columns}) for name, sis in people
    ]
    parsed = parse_gradebook_csv(writer(columns, students))
    assert [(c.title, c.external_id, c.points_possible) for c in parsed.columns] == [
        (c.title, c.external_id, c.points_possible) for c in columns
    ]
    assert [(s.name, s.sis_user_id) for s in parsed.students] == people
    assert [[s.cells[c.index] for c in parsed.columns] for s in parsed.students] == [
        [s.cells[c.index] for c in columns] for s in students
    ]
