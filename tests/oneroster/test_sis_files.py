"""OneRoster sets as student information systems write them: 1.2 with roles and user profiles, 1.1 with loose
values, partial sets, deltas, nested sessions, departments, misspelled headers. Each fixture is written here."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app import db
from app.accounts.models import GuardianLink, Membership, User
from app.identity.data import SystemActor
from app.oneroster import services
from app.org.models import AcademicYear, Course, School, Term
from app.rosters.models import Enrollment, Section
from tests.oneroster.conftest import manifest, run_import, sample, table

ORGS = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
SESSIONS = "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear"
COURSES = "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects"
CLASSES = "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,"
CLASSES += "termSourcedIds,subjects,subjectCodes,periods"
USERS_12 = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,"
USERS_12 += (
    "email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,"
)
USERS_12 += "preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
ROLES = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId"
)
PROFILES = "sourcedId,status,dateLastModified,userSourcedId,profileType,vendorId,applicationId,description,"
PROFILES += "credentialType,username,password"
ENROLLMENTS = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,"
ENROLLMENTS += "endDate"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _codes(preview: dict, level: str = "warning") -> dict[str, int]:
    found: dict[str, int] = {}
    for group in preview.get("problems", []):
        if group["level"] == level:
            found[group["code"]] = found.get(group["code"], 0) + group["count"]
    return found


def _unchanged(preview: dict) -> bool:
    return all(c["create"] + c["update"] + c["deactivate"] == 0 for e, c in preview.items() if e in services.ENTITIES)


def set_12() -> dict[str, bytes]:
    """A OneRoster 1.2 bulk set as ClassLink-style exports write it: roles.csv, userProfiles.csv, the 1.2 user
    fields, two schools (one with a department), a year with two semesters, and people of every kind."""
    orgs = [
        {"sourcedId": "dist", "name": "Lake District", "type": "district"},
        {"sourcedId": "hs", "name": "Lake High", "type": "school", "identifier": "LH", "parentSourcedId": "dist"},
        {"sourcedId": "ms", "name": "Lake Middle", "type": "school", "identifier": "LM", "parentSourcedId": "dist"},
        {"sourcedId": "hs-sci", "name": "Science Dept", "type": "department", "parentSourcedId": "hs"},
    ]
    sessions = [
        {"sourcedId": "y27", "title": "2026-27", "type": "schoolYear", "startDate": "2026-08-10",
         "endDate": "2027-06-10", "schoolYear": "2027"},
        {"sourcedId": "s1", "title": "Semester 1", "type": "semester", "startDate": "2026-08-10",
         "endDate": "2026-12-18", "parentSourcedId": "y27", "schoolYear": "2027"},
        {"sourcedId": "s2", "title": "Semester 2", "type": "semester", "startDate": "2027-01-04",
         "endDate": "2027-06-10", "parentSourcedId": "y27", "schoolYear": "2027"},
    ]  # fmt: skip
    courses = [
        {"sourcedId": "chem", "title": "Chemistry", "courseCode": "CHEM", "grades": "10,11", "orgSourcedId": "hs-sci",
         "schoolYearSourcedId": "y27", "subjects": "Science"},
    ]  # fmt: skip
    classes = [
        {"sourcedId": "chem-1", "title": "Chemistry P1", "courseSourcedId": "chem", "classType": "scheduled",
         "schoolSourcedId": "hs-sci", "termSourcedIds": "s1", "periods": "1", "location": "Lab 2"},
    ]  # fmt: skip
    users = [
        {"sourcedId": "u-stu", "enabledUser": "true", "username": "ava", "userIds": "{LDAP:12},{LTI:15}",
         "givenName": "Avaline", "familyName": "Okafor", "preferredGivenName": "Ava", "pronouns": "she/her",
         "userMasterIdentifier": "STATE-0042", "grades": "10", "agentSourcedIds": "u-mom", "primaryOrgSourcedId": "hs"},
        {"sourcedId": "u-mom", "enabledUser": "true", "username": "mom", "givenName": "Grace", "familyName": "Okafor",
         "email": "grace@lake.example.test", "agentSourcedIds": "u-stu"},
        {"sourcedId": "u-tch", "enabledUser": "true", "username": "tch", "givenName": "Theo", "familyName": "Brandt",
         "email": "theo@lake.example.test", "preferredFamilyName": "Brandt-Lee"},
        {"sourcedId": "u-aide", "enabledUser": "true", "username": "aide", "givenName": "Ines", "familyName": "Ruiz",
         "email": "ines@lake.example.test"},
        {"sourcedId": "u-head", "enabledUser": "true", "username": "head", "givenName": "Pat", "familyName": "Kim",
         "email": "pat@lake.example.test"},
        {"sourcedId": "u-sup", "enabledUser": "true", "username": "sup", "givenName": "Lou", "familyName": "Diaz",
         "email": "lou@lake.example.test"},
        {"sourcedId": "u-cou", "enabledUser": "true", "username": "cou", "givenName": "Max", "familyName": "Ode",
         "email": "max@lake.example.test"},
    ]  # fmt: skip
    roles = [
        {"sourcedId": "r1", "userSourcedId": "u-stu", "roleType": "primary", "role": "student", "orgSourcedId": "hs"},
        {"sourcedId": "r2", "userSourcedId": "u-mom", "roleType": "primary", "role": "parent", "orgSourcedId": "dist"},
        {"sourcedId": "r3", "userSourcedId": "u-tch", "roleType": "primary", "role": "teacher", "orgSourcedId": "hs",
         "userProfileSourcedId": "p-tch"},
        {"sourcedId": "r4", "userSourcedId": "u-tch", "roleType": "secondary", "role": "teacher", "orgSourcedId": "ms"},
        {"sourcedId": "r5", "userSourcedId": "u-aide", "roleType": "primary", "role": "aide", "orgSourcedId": "hs-sci"},
        {"sourcedId": "r6", "userSourcedId": "u-head", "roleType": "primary", "role": "siteAdministrator",
         "orgSourcedId": "ms"},
        {"sourcedId": "r7", "userSourcedId": "u-sup", "roleType": "primary", "role": "districtAdministrator",
         "orgSourcedId": "dist"},
        {"sourcedId": "r8", "userSourcedId": "u-cou", "roleType": "primary", "role": "counselor", "orgSourcedId": "hs"},
    ]  # fmt: skip
    profiles = [
        {"sourcedId": "p-tch", "userSourcedId": "u-tch", "profileType": "lms", "vendorId": "acme",
         "credentialType": "password", "username": "theo.b", "password": "hunter2"},
    ]  # fmt: skip
    enrollments = [
        {"sourcedId": "en-1", "classSourcedId": "chem-1", "schoolSourcedId": "hs", "userSourcedId": "u-stu",
         "role": "student", "beginDate": "2026-08-12"},
        {"sourcedId": "en-2", "classSourcedId": "chem-1", "schoolSourcedId": "hs", "userSourcedId": "u-tch",
         "role": "teacher", "primary": "true"},
        {"sourcedId": "en-3", "classSourcedId": "chem-1", "schoolSourcedId": "hs-sci", "userSourcedId": "u-aide",
         "role": "aide", "primary": "false"},
    ]  # fmt: skip
    files = dict(orgs=orgs, academicSessions=sessions, courses=courses, classes=classes, users=users, roles=roles)
    files |= dict(userProfiles=profiles, enrollments=enrollments)
    headers = {"orgs": ORGS, "academicSessions": SESSIONS, "courses": COURSES, "classes": CLASSES, "users": USERS_12}
    headers |= {"roles": ROLES, "userProfiles": PROFILES, "enrollments": ENROLLMENTS}
    result = {f"{name}.csv": table(headers[name], rows) for name, rows in files.items()}
    return result | {"manifest.csv": manifest("1.2", **{name: "bulk" for name in files}, demographics="absent")}


def _roles_of(sid: str) -> set[tuple]:
    rows = db.session.execute(
        select(Membership.role, School.sourced_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(School, School.id == Membership.school_id)
        .where(User.sourced_id == sid)
    )
    return set(rows.all())


def test_a_1_2_bulk_set_with_roles_and_user_profiles_imports_its_people_and_roles(district, write_files):
    actor = SystemActor(district.id)
    errors, preview = run_import(actor, apply=True, path=write_files(set_12()))
    assert errors == []
    assert preview["set"]["version"] == "1.2" and preview["set"]["system"] == "Test SIS"
    student = db.session.scalar(select(User).where(User.sourced_id == "u-stu"))
    assert (student.display_name, student.given_name, student.preferred_given_name) == ("Ava Okafor", "Avaline", "Ava")
    assert (student.pronouns, student.master_identifier, student.grade_level) == ("she/her", "STATE-0042", 10)
    hs = db.session.scalar(select(School).where(School.sourced_id == "hs"))
    assert student.primary_school_id == hs.id
    teacher = db.session.scalar(select(User).where(User.sourced_id == "u-tch"))
    assert teacher.display_name == "Theo Brandt-Lee" and teacher.primary_school_id == hs.id  # its primary role
    assert _roles_of("u-stu") == {("student", "hs")}
    assert _roles_of("u-mom") == {("guardian", None)}
    assert _roles_of("u-tch") == {("teacher", "hs"), ("teacher", "ms")}
    assert _roles_of("u-aide") == {("teacher", "hs")}  # an aide teaches; the department is its school's
    assert _roles_of("u-head") == {("school_admin", "ms")}
    assert _roles_of("u-sup") == {("district_admin", None)}
    assert _roles_of("u-cou") == set()  # a counselor has no Chalkline role: imported without one
    link = db.session.scalar(select(GuardianLink))
    assert (link.guardian_id, link.student_id, link.relationship) == (
        db.session.scalar(select(User.id).where(User.sourced_id == "u-mom")),
        student.id,
        "parent",
    )
    assert db.session.scalar(select(Section.school_id).where(Section.sourced_id == "chem-1")) == hs.id
    assert db.session.scalar(select(User.password_hash).where(User.sourced_id == "u-tch")) is None
    mapping = {(r["source"], r["chalkline"]): r["count"] for r in preview["roles"]}
    assert mapping[("districtAdministrator", "district_admin")] == 1
    assert mapping[("siteAdministrator", "school_admin")] == 1
    assert mapping[("counselor", "")] == 1 and mapping[("teacher", "teacher")] == 2
    warnings = _codes(preview)
    assert warnings["no_role"] == 1 and warnings["profiles_not_imported"] == 1 and warnings["org_placed"] == 1
    assert preview["sign_in"] == {"email": 6, "none": 1}


def test_reimporting_the_same_1_2_files_changes_nothing(district, write_files):
    actor = SystemActor(district.id)
    path = write_files(set_12())
    run_import(actor, apply=True, path=path)
    errors, preview = run_import(actor, path=path)
    assert errors == [] and _unchanged(preview)


def test_a_1_1_set_with_true_and_inactive_is_read_with_warnings(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=3)
    data["users"][3]["enabledUser"] = "TRUE"
    data["users"][4]["enabledUser"] = "False"
    data["users"][5]["status"] = "inactive"
    data["users"][1]["role"] = "Teacher"
    data["academicSessions"][2]["status"] = "Active"
    data["enrollments"][1]["primary"] = "FALSE"
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == []
    warnings = _codes(preview)
    assert warnings["case"] == 5 and warnings["inactive"] == 1
    active = dict(db.session.execute(select(User.sourced_id, User.is_active).where(User.sourced_id.like("stu%"))).all())
    assert active == {"stu1": True, "stu2": False, "stu3": False}  # enabledUser False, and inactive
    assert _roles_of("tch1") == {("teacher", "sch1")}
    assert _count(User) == 6 and _count(Enrollment) == 3  # an inactive record is kept, switched off


def test_inactive_later_deactivates_without_deleting(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=2)
    run_import(actor, apply=True, path=write_set(data))
    data["users"][-1]["status"] = "INACTIVE"
    data["enrollments"][-1]["status"] = "inactive"
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == [] and preview["users"]["deactivate"] == 1 and preview["enrollments"]["deactivate"] == 1
    assert db.session.scalar(select(User.is_active).where(User.sourced_id == "stu2")) is False
    assert db.session.scalar(select(Enrollment.dropped_on).where(Enrollment.sourced_id == "e-s2")) is not None


def test_courses_marked_absent_are_made_from_the_classes_in_the_terms_year(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=2)
    del data["courses"]
    data["manifest"] |= {f"file.{name}": "bulk" for name in data if name != "manifest"} | {"file.courses": "absent"}
    data["classes"][0]["grades"] = '"09, 10"'
    data["classes"][0]["subjects"] = "Math"
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == []
    assert _codes(preview)["course_from_class"] == 2
    year = db.session.scalar(select(AcademicYear.id).where(AcademicYear.sourced_id == "y1"))
    algebra = db.session.scalar(select(Course).where(Course.sourced_id == "c1"))
    assert (algebra.name, algebra.code, algebra.academic_year_id) == ("Algebra I - P1", "c1", year)
    assert (algebra.subject, algebra.grade_low, algebra.grade_high) == ("Math", 9, 10)
    assert _count(Section) == 2
    errors, preview = run_import(actor, path=write_set(data))
    assert errors == [] and _unchanged(preview)


def test_with_courses_absent_a_class_matches_a_course_chalkline_already_has(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=1)
    run_import(actor, apply=True, path=write_set(data))
    del data["courses"]
    data["manifest"] |= {"file.courses": "absent", "file.classes": "bulk", "file.orgs": "bulk"}
    data["manifest"] |= {"file.academicSessions": "bulk", "file.users": "bulk", "file.enrollments": "bulk"}
    errors, preview = run_import(actor, path=write_set(data))
    assert errors == [] and preview["courses"]["create"] == 0 and "course_from_class" not in _codes(preview)


def _delta(**files) -> dict:
    return {"manifest": {"manifest.version": "1.0", "oneroster.version": "1.1"} | {f"file.{f}": "delta" for f in files}}


def test_a_delta_set_ends_an_enrollment_and_deactivates_a_user_and_leaves_the_rest(district, write_set):
    actor = SystemActor(district.id)
    run_import(actor, apply=True, path=write_set(sample(students=3)))
    delta = _delta(users=1, enrollments=1)
    delta["users"] = [{"sourcedId": "stu3", "status": "tobedeleted"}]
    delta["enrollments"] = [{"sourcedId": "e-s1", "status": "tobedeleted"}]
    errors, preview = run_import(actor, apply=True, path=write_set(delta))
    assert errors == []
    assert preview["users"]["deactivate"] == 1 and preview["enrollments"]["deactivate"] == 1
    assert sum(c["deactivate"] for e, c in preview.items() if e in services.ENTITIES) == 2
    active = dict(db.session.execute(select(User.sourced_id, User.is_active).where(User.sourced_id.like("stu%"))).all())
    assert active == {"stu1": True, "stu2": True, "stu3": False}
    dropped = dict(db.session.execute(select(Enrollment.sourced_id, Enrollment.dropped_on)).all())
    assert dropped["e-s1"] == date.today() and dropped["e-s2"] is None and dropped["e-s3"] is None
    assert _count(Enrollment) == 3 and _count(User) == 6  # history kept, nothing deleted
    assert _roles_of("stu3") == {("student", "sch1")}  # a deactivated person keeps their roles


def test_a_delta_adds_and_changes_only_what_it_lists(district, write_set):
    actor = SystemActor(district.id)
    full = sample(students=2)
    run_import(actor, apply=True, path=write_set(full))
    delta = _delta(users=1, enrollments=1)
    changed = dict(full["users"][3], givenName="Samantha")
    added = dict(full["users"][3], sourcedId="stu9", givenName="Nia", identifier="S0009", agentSourcedIds="g1")
    delta["users"] = [changed | {"status": "active"}, added | {"status": "active"}]
    delta["enrollments"] = [
        {"sourcedId": "e-s9", "status": "active", "classSourcedId": "k1", "schoolSourcedId": "sch1",
         "userSourcedId": "stu9", "role": "student"}
    ]  # fmt: skip
    errors, preview = run_import(actor, apply=True, path=write_set(delta))
    assert errors == []
    assert (preview["users"]["create"], preview["users"]["update"], preview["users"]["deactivate"]) == (1, 1, 0)
    assert (preview["enrollments"]["create"], preview["enrollments"]["deactivate"]) == (1, 0)
    assert preview["guardian_links"]["create"] == 1 and preview["guardian_links"]["deactivate"] == 0
    assert db.session.scalar(select(func.count()).select_from(Enrollment).where(Enrollment.dropped_on.is_(None))) == 3


def test_nested_sessions_are_not_overlaps(district, write_set):
    """A semester and its quarters, all children of the year (as many SIS write them), and grading periods
    that share a boundary day inside a term: the larger session is the term, the others nest in it."""
    actor = SystemActor(district.id)
    data = sample(students=1)
    year = {"parentSourcedId": "y1", "schoolYear": "2027"}
    data["academicSessions"] = [
        data["academicSessions"][0],
        {"sourcedId": "t1", "title": "Fall", "type": "semester", "startDate": "2026-08-15", "endDate": "2026-12-20"}
        | year,
        {"sourcedId": "t2", "title": "Spring", "type": "semester", "startDate": "2027-01-05", "endDate": "2027-06-15"}
        | year,
        {"sourcedId": "q1", "title": "Q1", "type": "term", "startDate": "2026-08-15", "endDate": "2026-10-16"} | year,
        {"sourcedId": "q2", "title": "Q2", "type": "term", "startDate": "2026-10-16", "endDate": "2026-12-20"} | year,
        {"sourcedId": "gp1", "title": "GP1", "type": "gradingPeriod", "startDate": "2027-01-05",
         "endDate": "2027-03-31", "parentSourcedId": "t2"},
        {"sourcedId": "gp2", "title": "GP2", "type": "gradingPeriod", "startDate": "2027-03-31",
         "endDate": "2027-06-15", "parentSourcedId": "t2"},
    ]  # fmt: skip
    data["classes"][0]["termSourcedIds"] = "q2"
    data["classes"][1]["termSourcedIds"] = "gp2"
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == [], errors
    assert sorted(db.session.scalars(select(Term.sourced_id)).all()) == ["t1", "t2"]
    terms = dict(
        db.session.execute(select(Section.sourced_id, Term.sourced_id).join(Term, Term.id == Section.term_id)).all()
    )
    assert terms == {"k1": "t1", "k2": "t2"}
    assert _codes(preview)["session_nested"] == 2  # the quarters; grading periods name their term themselves
    assert _unchanged(run_import(actor, path=write_set(data))[1])


def test_partial_overlaps_of_terms_are_still_errors(district, write_set):
    data = sample()
    data["academicSessions"][2]["startDate"] = "2026-12-01"  # Spring starts before Fall ends
    lines = [services.error_line(e) for e in run_import(SystemActor(district.id), path=write_set(data))[0]]
    assert 'academicSessions.csv:4: The session "t2" overlaps "t1".' in lines


def test_sessions_whose_school_year_is_absent_are_placed_by_schoolyear_or_dates(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=1)
    data["academicSessions"] = [s for s in data["academicSessions"] if s["type"] != "schoolYear"]
    for session in data["academicSessions"]:
        if session["parentSourcedId"] == "y1":
            session["parentSourcedId"] = "y-missing"
    data["courses"] = [dict(c, schoolYearSourcedId="") for c in data["courses"]]
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == [], errors
    made = db.session.scalar(select(AcademicYear).where(AcademicYear.sourced_id == "y-missing"))
    assert (made.name, made.starts_on, made.ends_on) == ("2026-27", date(2026, 8, 15), date(2027, 6, 15))
    assert _codes(preview)["year_made"] == 2
    # Next year's file without its year: placed in the one Chalkline now has, by schoolYear and dates.
    errors, preview = run_import(actor, path=write_set(data))
    assert errors == [] and _unchanged(preview) and "year_made" not in _codes(preview)


def test_a_department_with_no_school_above_it_is_taken_as_a_school_with_a_warning(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=1)
    data["orgs"].append({"sourcedId": "annex", "name": "Annex Campus", "type": "department", "parentSourcedId": "d1"})
    data["classes"][1]["schoolSourcedId"] = "annex"
    data["users"][1]["orgSourcedIds"] = "annex"
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == []
    warning = next(w for w in preview["problems"] if w["code"] == "org_as_school")
    assert (warning["file"], warning["count"]) == ("orgs.csv", 1)
    record = services.import_path(actor, write_set(data))
    assert record.errors == [] and _unchanged(record.preview)
    named = [services.error_line(w) for w in record.warnings if w["code"] == "org_as_school"]
    assert named == [
        "orgs.csv:5: The org Annex Campus (annex) (type department) is not a school, and no school above it is in "
        "the files; it was taken as a school."
    ]
    assert db.session.scalar(select(School.name).where(School.sourced_id == "annex")) == "Annex Campus"
    assert _roles_of("tch1") == {("teacher", "annex")}


def test_misspelled_headers_and_trailing_empty_columns_are_warnings(district, write_files):
    users = "sourcedId,status,dataLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName,"
    users += "prefferedGivenName,email,,,"
    rows = [
        {"sourcedId": "p1", "enabledUser": "true", "orgSourcedIds": "s1", "role": "teacher", "username": "p1",
         "givenName": "Robert", "familyName": "Lane", "prefferedGivenName": "Bob", "email": "bob@x.example.test"},
    ]  # fmt: skip
    files = {
        "orgs.csv": table(ORGS, [{"sourcedId": "s1", "name": "One School", "type": "school", "identifier": "ONE"}]),
        "users.csv": table(users, rows),
        "manifest.csv": manifest("1.1", orgs="bulk", users="bulk"),
    }
    errors, preview = run_import(SystemActor(district.id), apply=True, path=write_files(files))
    assert errors == []
    warnings = _codes(preview)
    assert warnings["header_renamed"] == 2 and warnings["empty_columns"] == 1
    assert db.session.scalar(select(User.display_name).where(User.sourced_id == "p1")) == "Bob Lane"


def test_bom_crlf_dates_with_times_quoted_grades_and_unquoted_user_ids_are_read(district, write_files):
    header = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    header += "identifier,email,grades"
    body = (
        "\ufeff" + header + "\r\n"
        + "k1,active,2026-07-01T10:15:00.000Z,True,s1,student,k1,{LDAP:12},{LTI:15},Kai,Lo,K1,,\"KG\"\r\n"
        + "k2,,,true,s1,student,k2,\"{LDAP:13},{LTI:16}\",Mia,Lo,K2,,\"01, 02\"\r\n"
    )  # fmt: skip
    sessions = table(
        SESSIONS,
        [{"sourcedId": "y", "title": "2026-27", "type": "schoolYear", "startDate": "2026-08-01T00:00:00Z",
          "endDate": "2027-06-30 00:00:00", "schoolYear": "2027"}],
        bom=True,
    )  # fmt: skip
    files = {
        "orgs.csv": table(ORGS, [{"sourcedId": "s1", "name": "Elementary", "type": "school"}], newline="\n"),
        "academicSessions.csv": sessions,
        "users.csv": body.encode(),
        "manifest.csv": manifest("1.1", orgs="bulk", users="bulk", academicSessions="bulk"),
    }
    errors, preview = run_import(SystemActor(district.id), apply=True, path=write_files(files))
    assert errors == []
    grades = dict(db.session.execute(select(User.sourced_id, User.grade_level).where(User.sourced_id.like("k%"))).all())
    assert grades == {"k1": 0, "k2": 1}
    year = db.session.scalar(select(AcademicYear).where(AcademicYear.sourced_id == "y"))
    assert (year.starts_on, year.ends_on) == (date(2026, 8, 1), date(2027, 6, 30))
    assert _codes(preview)["user_ids_joined"] == 1 and preview["sign_in"] == {"email": 0, "none": 2}


def test_an_unknown_role_is_a_warning_and_gives_no_role(district, write_set):
    data = sample(students=1)
    data["users"][1]["role"] = "librarian"
    errors, preview = run_import(SystemActor(district.id), apply=True, path=write_set(data))
    assert errors == [] and _codes(preview)["unknown_role"] == 1
    assert _roles_of("tch1") == set() and db.session.scalar(select(User.id).where(User.sourced_id == "tch1"))


def test_an_email_that_is_not_an_address_is_dropped_with_a_warning(district, write_set):
    data = sample(students=1)
    data["users"][1]["email"] = "n/a"
    errors, preview = run_import(SystemActor(district.id), apply=True, path=write_set(data))
    assert errors == [] and _codes(preview)["email_unusable"] == 1
    assert db.session.scalar(select(User.email).where(User.sourced_id == "tch1")) is None


def test_a_1_2_export_imports_back_as_a_no_op_and_into_a_fresh_district_as_the_same_data(
    district, make_district, write_files, tmp_path
):
    import csv

    actor = SystemActor(district.id)
    data = set_12()
    data["users.csv"] = data["users.csv"].replace(b"@lake.", b"@one.")
    run_import(actor, apply=True, path=write_files(data))
    first = tmp_path / "first"
    services.export_roster(actor, first, "1.2")
    assert (first / "roles.csv").exists() and "oneroster.version,1.2" in (first / "manifest.csv").read_text()
    errors, preview = run_import(actor, path=first)
    print(
        {e: c for e, c in preview.items() if e in services.ENTITIES and (c["create"] or c["update"] or c["deactivate"])}
    )
    assert errors == [] and _unchanged(preview)
    fresh = make_district()
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in first.iterdir():  # addresses are unique platform-wide: the copy's people get new ones
        (moved / path.name).write_bytes(path.read_bytes().replace(b"@one.", b"@two."))
    fresh_actor = SystemActor(fresh.id)
    errors, _preview = run_import(fresh_actor, apply=True, path=moved)
    assert errors == []
    second = tmp_path / "second"
    services.export_roster(fresh_actor, second, "1.2")

    def rows(folder, name):
        with (folder / name).open(encoding="utf-8") as handle:
            return sorted(
                tuple(v.replace("@two.", "@one.") for k, v in r.items() if k != "dateLastModified")
                for r in csv.DictReader(handle)
            )

    for name in ("academicSessions.csv", "courses.csv", "classes.csv", "users.csv", "roles.csv", "enrollments.csv"):
        assert rows(first, name) == rows(second, name), name


def test_a_school_year_and_terms_made_in_chalkline_are_taken_over_not_refused(district, write_set, tenant):
    """A district that set up its year before its first import: the SIS's year (same name or dates) and its
    terms of the same names take over Chalkline's, so sections and history made there stay where they are."""
    actor = SystemActor(district.id)
    tenant(district)
    year = AcademicYear(district_id=district.id, name="2026-27", starts_on=date(2026, 8, 1), ends_on=date(2027, 6, 30))
    db.session.add(year)
    db.session.flush()
    fall = Term(district_id=district.id, academic_year_id=year.id, name="Fall", starts_on=date(2026, 8, 1),
                ends_on=date(2026, 12, 20))  # fmt: skip
    spring = Term(district_id=district.id, academic_year_id=year.id, name="Spring 2027", starts_on=date(2027, 1, 4),
                  ends_on=date(2027, 6, 30))  # fmt: skip
    db.session.add_all([fall, spring])
    db.session.commit()
    errors, preview = run_import(actor, apply=True, path=write_set(sample(students=1)))
    assert errors == [], errors
    assert (preview["years"]["update"], preview["years"]["create"]) == (1, 0)
    assert (preview["terms"]["update"], preview["terms"]["create"]) == (2, 0)  # by name, then by dates
    assert db.session.scalar(select(func.count()).select_from(AcademicYear)) == 1
    db.session.expire_all()
    taken = db.session.get(AcademicYear, year.id)
    assert (taken.sourced_id, taken.starts_on) == ("y1", date(2026, 8, 15))
    assert db.session.get(Term, fall.id).sourced_id == "t1"
    assert (db.session.get(Term, spring.id).sourced_id, db.session.get(Term, spring.id).name) == ("t2", "Spring")


def test_a_term_made_in_chalkline_that_overlaps_the_files_terms_is_an_error(district, write_set, tenant):
    """Each of Chalkline's terms is taken over by at most one of the files' (the one it shares most days with,
    and that shares most with it); one left over that overlaps a term of the files cannot stay."""
    tenant(district)
    year = AcademicYear(district_id=district.id, name="2026-27", starts_on=date(2026, 8, 1), ends_on=date(2027, 6, 30))
    db.session.add(year)
    db.session.flush()
    for name, start, end in (
        ("Autumn", date(2026, 8, 1), date(2026, 12, 31)),
        ("Spring 2027", date(2027, 1, 4), date(2027, 5, 31)),
        ("Summer school", date(2027, 6, 1), date(2027, 6, 30)),
    ):
        db.session.add(Term(district_id=district.id, academic_year_id=year.id, name=name, starts_on=start, ends_on=end))
    db.session.commit()
    errors, _preview = run_import(SystemActor(district.id), path=write_set(sample()))
    assert [services.error_line(e) for e in errors] == [
        'academicSessions.csv:4: The session "t2" overlaps "Summer school (y1)".'
    ]


def test_terms_taken_over_with_new_dates_are_moved_without_overlapping_on_the_way(district, write_set, tenant):
    """Chalkline's Fall ends in January and its Spring starts after; the files' Spring starts in early January."""
    actor = SystemActor(district.id)
    tenant(district)
    year = AcademicYear(district_id=district.id, name="2026-27", starts_on=date(2026, 8, 10), ends_on=date(2027, 6, 30))
    db.session.add(year)
    db.session.flush()
    db.session.add_all(
        [
            Term(district_id=district.id, academic_year_id=year.id, name="Fall 2026", starts_on=date(2026, 8, 17),
                 ends_on=date(2027, 1, 15)),
            Term(district_id=district.id, academic_year_id=year.id, name="Spring 2027", starts_on=date(2027, 1, 19),
                 ends_on=date(2027, 6, 11)),
        ]
    )  # fmt: skip
    db.session.commit()
    errors, preview = run_import(actor, apply=True, path=write_set(sample(students=1)))
    assert errors == [] and (preview["terms"]["update"], preview["terms"]["create"]) == (2, 0)
    db.session.expire_all()
    terms = db.session.execute(
        select(Term.sourced_id, Term.name, Term.starts_on, Term.ends_on).order_by(Term.starts_on)
    )
    assert terms.all() == [
        ("t1", "Fall", date(2026, 8, 15), date(2026, 12, 20)),
        ("t2", "Spring", date(2027, 1, 5), date(2027, 6, 15)),
    ]
