"""The data registry is generated from the schema plus annotations, and no table with a person in it is left out."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from app.compliance import services


def test_every_table_that_links_to_a_person_is_annotated_in_the_registry():
    assert services.unannotated_tables() == {}


def test_every_annotation_is_complete_and_names_real_columns():
    found = services.registry()
    assert {"users", "enrollments", "guardian_links", "access_audit", "disclosures", "records_requests"} <= set(
        found.by_table()
    )
    assert "section_teachers" in found.exempt


def test_a_new_table_with_a_person_column_and_no_annotation_is_caught():
    linked = services.person_linked_tables()
    # Found by name (student_id) and by a foreign key to users (content_versions.author_id).
    assert "student_id" in linked["enrollments"]
    assert "author_id" in linked["content_versions"]
    with_new = {**linked, "homework_photos": ["student_id"]}
    assert services.unannotated_tables(with_new) == {"homework_photos": ["student_id"]}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {
                "link": "student_id",
                "category": "nope",
                "purpose": "p",
                "retention": "r",
                "export": "rows",
                "delete": "rows",
            },
            "category",
        ),
        (
            {"link": "pupil", "category": "work", "purpose": "p", "retention": "r", "export": "rows", "delete": "rows"},
            "lacks",
        ),
        (
            {
                "link": "student_id",
                "category": "work",
                "purpose": "p",
                "retention": "r",
                "export": "rows",
                "delete": "keep",
            },
            "reason",
        ),
        ({"link": "student_id", "category": "work", "export": "rows", "delete": "rows"}, "purpose"),
        ({}, "reason"),
    ],
)
def test_an_incomplete_annotation_is_refused(spec, message):
    table = Table(
        "submissions_x", MetaData(), Column("id", Integer), Column("student_id", Integer), info={"student_data": spec}
    )
    with pytest.raises(services.AnnotationError, match=message):
        services.entry_of(table)


def test_the_registry_page_lists_the_tables_for_records_staff_only(as_user):
    admin, _user = as_user("district_admin")
    page = admin.get("/compliance/registry")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "guardian_links" in body and "access_audit" in body
    teacher, _user = as_user("teacher")
    assert teacher.get("/compliance/registry").status_code == 404


def test_a_where_names_the_student_as_equal_to_so_it_can_run_for_many_at_once():
    spec = {
        "where": "student_id in (:student_id)",
        "category": "work",
        "purpose": "p",
        "retention": "r",
        "export": "rows",
        "delete": "rows",
    }
    table = Table("t_x", MetaData(), Column("id", Integer), Column("student_id", Integer), info={"student_data": spec})
    with pytest.raises(services.AnnotationError, match="= :student_id"):
        services.entry_of(table)
    events = services.registry().by_table()["events"]
    assert events.batch_condition.count("= any(:student_ids)") == 2
    assert services.registry().by_table()["mail_messages"].batch_condition is None
