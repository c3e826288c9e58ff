"""Hostile uploads: a ZIP that expands past the budget, millions of bad rows, more rows than an import may hold."""

from __future__ import annotations

import io
import zipfile

from app.identity.data import SystemActor
from app.oneroster import services
from app.oneroster.services.problems import KEEP
from tests.oneroster.conftest import manifest, table

USERS = "sourcedId,orgSourcedIds,role,givenName,familyName"


def _zip(path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_that_expands_past_the_budget_is_refused_before_it_is_read(district, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)  # a budget of 4 x 64 KiB
    bomb = _zip(tmp_path / "bomb.zip", {"users.csv": b"sourcedId\r\n" + b"x" * (300 * 1024)}, zipfile.ZIP_LZMA)
    assert bomb.stat().st_size < 2048
    record = services.import_path(SystemActor(district.id), bomb)
    assert record.status == "invalid"
    assert [services.error_line(e) for e in record.errors] == [
        "upload: The files expand to more than 0 MB when unzipped, more than one import may hold."
    ]


def test_a_zip_that_expands_past_the_budget_while_being_read_stops_there(district, app, monkeypatch, tmp_path):
    """Members within the budget each, past it together: the count of bytes read stops the check."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    from app.oneroster.services import source

    monkeypatch.setattr(source, "EXPANSION", 1)
    name = "A" * 200
    rows = "".join(f"u{n},s1,student,{name},B\r\n" for n in range(3000)).encode()
    members = {"users.csv": USERS.encode() + b"\r\n" + rows, "manifest.csv": manifest("1.1", users="bulk")}
    members["orgs.csv"] = table("sourcedId,name,type", [{"sourcedId": "s1", "name": "S", "type": "school"}])
    path = _zip(tmp_path / "big.zip", members)
    original = source.Source.__init__

    def lying(self, data, limit):  # as if the archive declared smaller sizes than it holds
        original(self, data, limit * 4)
        self.budget = limit

    monkeypatch.setattr(source.Source, "__init__", lying)
    record = services.import_path(SystemActor(district.id), path)
    assert record.status == "invalid" and [e["code"] for e in record.errors] == ["too_large"]


def test_past_the_cap_problems_are_counted_not_kept(district, tmp_path):
    rows = [
        {"sourcedId": f"u{n}", "orgSourcedIds": "nowhere", "role": "student", "givenName": "A"} for n in range(1500)
    ]
    members = {"users.csv": table(USERS, rows), "manifest.csv": manifest("1.1", users="bulk")}
    record = services.import_path(SystemActor(district.id), _zip(tmp_path / "bad.zip", members))
    assert record.status == "invalid"
    assert len(record.errors) == KEEP == 1000
    assert record.preview["error_count"] == 3000  # each row: familyName empty, orgSourcedIds unknown
    groups = {(g["code"], g["field"]): g["count"] for g in record.preview["problems"] if g["level"] == "error"}
    assert groups == {("empty", "familyName"): 1500, ("unknown_ref", "orgSourcedIds"): 1500}


def test_more_rows_than_an_import_may_hold_are_refused_with_a_way_out(district, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 20_000)  # 2,000 row units; a user costs 8
    row = {"orgSourcedIds": "s1", "role": "student", "givenName": "A", "familyName": "B"}
    rows = [row | {"sourcedId": f"u{n}"} for n in range(300)]
    members = {"users.csv": table(USERS, rows), "manifest.csv": manifest("1.1", users="bulk", orgs="bulk")}
    members["orgs.csv"] = table("sourcedId,name,type", [{"sourcedId": "s1", "name": "S", "type": "school"}])
    record = services.import_path(SystemActor(district.id), _zip(tmp_path / "rows.zip", members))
    assert [services.error_line(e) for e in record.errors] == [
        "upload: The files hold more rows than one import can check. Import them in parts (for example users "
        "first, then enrollments, as delta files), or ask for a higher upload limit."
    ]


def test_a_zip_with_too_many_members_is_refused(district, tmp_path):
    members = {f"extra{n}.csv": b"a,b\r\n" for n in range(120)}
    record = services.import_path(SystemActor(district.id), _zip(tmp_path / "many.zip", members))
    assert [e["code"] for e in record.errors] == ["too_many_files"]


def test_a_broken_zip_is_refused_not_raised(district, tmp_path):
    path = tmp_path / "broken.zip"
    buffer = io.BytesIO()
    _zip(buffer, {"users.csv": b"sourcedId\r\n" + b"u1\r\n" * 1000})
    path.write_bytes(buffer.getvalue()[:200] + b"\x00" * 50 + buffer.getvalue()[250:])
    record = services.import_path(SystemActor(district.id), path)
    assert record.status == "invalid" and record.errors[0]["code"] in ("bad_zip", "not_csv")
