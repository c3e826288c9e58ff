"""Small OneRoster 1.1 sets built by the tests: rows as dicts, written as CSV files, a directory or a ZIP."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile

import pytest

HEADERS = {
    "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
    "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,"
    "subjectCodes",
    "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
    "beginDate,endDate",
    "demographics": "sourcedId,status,dateLastModified,birthDate,sex",
}


def sample(students: int = 3, emails: bool = True) -> dict:
    """A district with two schools, a year with two terms (one with a grading period), two classes and people."""
    tag = uuid.uuid4().hex[:6]

    def mail(name):
        return f"{name}-{tag}@sis.example.test" if emails else ""

    data = {
        "manifest": {"manifest.version": "1.0", "oneroster.version": "1.1"},
        "orgs": [
            {"sourcedId": "d1", "name": "Sample District", "type": "district"},
            {"sourcedId": "sch1", "name": "North High", "type": "school", "identifier": "NH", "parentSourcedId": "d1"},
            {
                "sourcedId": "sch2",
                "name": "South Middle",
                "type": "school",
                "identifier": "SM",
                "parentSourcedId": "d1",
            },
        ],
        "academicSessions": [
            {
                "sourcedId": "y1",
                "title": "2026-27",
                "type": "schoolYear",
                "startDate": "2026-08-15",
                "endDate": "2027-06-15",
                "schoolYear": "2027",
            },
            {
                "sourcedId": "t1",
                "title": "Fall",
                "type": "term",
                "startDate": "2026-08-15",
                "endDate": "2026-12-20",
                "parentSourcedId": "y1",
                "schoolYear": "2027",
            },
            {
                "sourcedId": "t2",
                "title": "Spring",
                "type": "semester",
                "startDate": "2027-01-05",
                "endDate": "2027-06-15",
                "parentSourcedId": "y1",
                "schoolYear": "2027",
            },
            {
                "sourcedId": "gp1",
                "title": "Q1",
                "type": "gradingPeriod",
                "startDate": "2026-08-15",
                "endDate": "2026-10-15",
                "parentSourcedId": "t1",
                "schoolYear": "2027",
            },
        ],
        "courses": [
            {
                "sourcedId": "c1",
                "schoolYearSourcedId": "y1",
                "title": "Algebra I",
                "courseCode": "ALG1",
                "grades": "09,10",
                "orgSourcedId": "sch1",
                "subjects": "Math",
            },
            {
                "sourcedId": "c2",
                "schoolYearSourcedId": "y1",
                "title": "Biology",
                "courseCode": "BIO",
                "grades": "10",
                "orgSourcedId": "sch1",
                "subjects": "Science",
            },
        ],
        "classes": [
            {
                "sourcedId": "k1",
                "title": "Algebra I - P1",
                "courseSourcedId": "c1",
                "classType": "scheduled",
                "location": "101",
                "schoolSourcedId": "sch1",
                "termSourcedIds": "t1",
                "periods": "1",
            },
            {
                "sourcedId": "k2",
                "title": "Biology - P2",
                "courseSourcedId": "c2",
                "classType": "scheduled",
                "location": "Lab",
                "schoolSourcedId": "sch1",
                "termSourcedIds": "gp1",
                "periods": "2",
            },
        ],
        "users": [
            {
                "sourcedId": "adm1",
                "enabledUser": "true",
                "orgSourcedIds": "d1",
                "role": "administrator",
                "username": "adm1",
                "givenName": "Ada",
                "familyName": "Admin",
                "email": mail("ada"),
            },
            {
                "sourcedId": "tch1",
                "enabledUser": "true",
                "orgSourcedIds": "sch1",
                "role": "teacher",
                "username": "tch1",
                "givenName": "Tom",
                "familyName": "Teacher",
                "email": mail("tom"),
            },
            {
                "sourcedId": "g1",
                "enabledUser": "true",
                "orgSourcedIds": "d1",
                "role": "parent",
                "username": "g1",
                "givenName": "Gail",
                "familyName": "Parent",
                "email": mail("gail"),
                "agentSourcedIds": "stu1",
            },
        ],
        "enrollments": [
            {
                "sourcedId": "e-t1",
                "classSourcedId": "k1",
                "schoolSourcedId": "sch1",
                "userSourcedId": "tch1",
                "role": "teacher",
                "primary": "true",
            },
        ],
        "demographics": [{"sourcedId": "stu1", "birthDate": "2011-03-04"}],
    }
    for n in range(1, students + 1):
        data["users"].append(
            {
                "sourcedId": f"stu{n}",
                "enabledUser": "true",
                "orgSourcedIds": "sch1",
                "role": "student",
                "username": f"stu{n}",
                "givenName": f"Sam{n}",
                "familyName": "Student",
                "identifier": f"S{n:04d}",
                "grades": "09",
                "agentSourcedIds": "g1" if n == 1 else "",
            }
        )
        data["enrollments"].append(
            {
                "sourcedId": f"e-s{n}",
                "classSourcedId": "k1",
                "schoolSourcedId": "sch1",
                "userSourcedId": f"stu{n}",
                "role": "student",
                "primary": "false",
                "beginDate": "2026-08-20",
            }
        )
    return data


def csv_bytes(name: str, rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if name == "manifest":
        writer.writerow(["propertyName", "value"])
        writer.writerows(rows.items())
    else:
        header = HEADERS[name].split(",")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode()


def files_of(data: dict) -> dict[str, bytes]:
    """The set's files; a manifest that names no file gets `file.<name>,bulk` for each file present."""
    manifest = data.get("manifest")
    if manifest is not None and not any(k.startswith("file.") for k in manifest):
        data = data | {"manifest": manifest | {f"file.{name}": "bulk" for name in data if name != "manifest"}}
    return {f"{name}.csv": csv_bytes(name, rows) for name, rows in data.items()}


def zip_of(data: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files_of(data).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def run_import(actor, apply: bool = False, *, path) -> tuple[list[dict], dict]:
    """The CLI's path through the pipeline: (the import's errors, its preview)."""
    from app.oneroster import services

    record = services.import_path(actor, path, apply=apply)
    return record.errors or [], record.preview or {}


@pytest.fixture
def write_set(tmp_path):
    """write_set(data) -> a directory of CSVs; write_set(data, zipped=True) -> a ZIP file path."""
    counter = {"n": 0}

    def _write(data: dict, zipped: bool = False):
        counter["n"] += 1
        if zipped:
            path = tmp_path / f"set{counter['n']}.zip"
            path.write_bytes(zip_of(data))
            return path
        folder = tmp_path / f"set{counter['n']}"
        folder.mkdir()
        for name, content in files_of(data).items():
            (folder / name).write_bytes(content)
        return folder

    return _write


def table(header: str, rows: list[dict], *, bom: bool = False, newline: str = "\r\n") -> bytes:
    """A CSV file with exactly this header (comma separated), each row's cells by column name."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    columns = header.split(",")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def manifest(version: str = "1.2", **modes: str) -> bytes:
    """manifest.csv: oneroster.version and `file.<name>` = mode for each keyword given."""
    rows = [
        {"propertyName": "manifest.version", "value": "1.0"},
        {"propertyName": "oneroster.version", "value": version},
    ]
    rows += [{"propertyName": f"file.{name}", "value": mode} for name, mode in modes.items()]
    rows.append({"propertyName": "source.systemName", "value": "Test SIS"})
    return table("propertyName,value", rows)


@pytest.fixture
def write_files(tmp_path):
    """write_files({"users.csv": b"..."}) -> a directory holding exactly these files."""
    counter = {"n": 0}

    def _write(files: dict[str, bytes]):
        counter["n"] += 1
        folder = tmp_path / f"files{counter['n']}"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content)
        return folder

    return _write
