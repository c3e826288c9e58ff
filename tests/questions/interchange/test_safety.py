"""Hostile uploads are refused whole with one clear problem: entities, outside references, paths out of the zip,
links, bombs, size; encodings are read as they are."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from app.questions.interchange import parse_upload
from app.questions.interchange.safety import MAX_UPLOAD_BYTES, Refused, decode_text, read_xml, read_zip
from tests.questions.interchange.files import make_zip

HOSTILE_XML = {
    "external entity": b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<questestinterop>&x;</questestinterop>",
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b"<questestinterop>&d;</questestinterop>",
    "parameter entity": b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'
    b"<questestinterop/>",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_XML))
def test_hostile_xml_is_refused_with_one_fatal_problem_and_no_questions(kind):
    bank = parse_upload("quiz.xml", HOSTILE_XML[kind])
    assert bank.questions == []
    (problem,) = bank.problems
    assert (problem.code, problem.fatal, problem.source_id) == ("hostile_xml", True, "quiz.xml")
    assert "refused" in problem.message


def test_hostile_xml_inside_a_zip_refuses_the_whole_upload():
    good = b'<questestinterop><objectbank ident="b"/></questestinterop>'
    data = make_zip({"a/good.xml": good, "b/bad.xml": HOSTILE_XML["billion laughs"]})
    bank = parse_upload("export.zip", data)
    assert bank.questions == [] and [p.code for p in bank.problems] == ["hostile_xml"]


def test_a_doctype_naming_the_qti_dtd_is_read_without_fetching_it():
    root, guessed = read_xml(b'<?xml version="1.0"?><!DOCTYPE questestinterop SYSTEM "ims_qtiasiv1p2p1.dtd"><x/>')
    assert (root.tag, guessed) == ("x", False)


def test_xml_that_is_not_well_formed_names_the_fault():
    bank = parse_upload("quiz.xml", b"<questestinterop><item></questestinterop>")
    assert [p.code for p in bank.problems] == ["not_xml"]
    assert "line 1" in bank.problems[0].message


def _zip_with(name: str, body: bytes = b"x", mode: int | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize("name", ["../evil.xml", "a/../../evil.xml", "/etc/passwd", "C:/boot.ini", "a\\..\\b.xml"])
def test_a_zip_member_whose_path_leaves_the_archive_refuses_the_upload_and_is_named(name):
    bank = parse_upload("export.zip", _zip_with(name))
    (problem,) = bank.problems
    assert (problem.code, problem.fatal) == ("zip_path", True)
    assert name in problem.message


def test_links_in_a_zip_are_refused():
    with pytest.raises(Refused) as refused:
        read_zip(_zip_with("web_resources/link.png", b"/etc/passwd", mode=stat.S_IFLNK | 0o777))
    assert refused.value.code == "zip_link"


def test_a_zip_bomb_is_refused_before_it_is_inflated_far():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"\0" * (60 * 1024 * 1024))
    bank = parse_upload("bomb.zip", out.getvalue())
    assert [p.code for p in bank.problems] == ["zip_bomb"]


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr("app.questions.interchange.safety.MAX_MEMBERS", 3)
    bank = parse_upload("many.zip", make_zip({f"f{n}.txt": "x" for n in range(4)}))
    assert [p.code for p in bank.problems] == ["zip_too_many"]


def test_an_upload_over_30_mb_is_refused_by_its_size():
    bank = parse_upload("huge.xml", b"<" + b" " * MAX_UPLOAD_BYTES)
    (problem,) = bank.problems
    assert (problem.code, problem.fatal) == ("too_large", True)
    assert "30 MB" in problem.message


def test_a_damaged_zip_and_an_unknown_format_say_so():
    assert [p.code for p in parse_upload("x.zip", b"PK\x03\x04garbage").problems] == ["bad_zip"]
    assert [p.code for p in parse_upload("x.xml", b"<html><body/></html>").problems] == ["unknown_format"]
    assert [p.code for p in parse_upload("x.zip", make_zip({"readme.md": "hi"})).problems] == ["unknown_format"]


@pytest.mark.parametrize(
    ("data", "text", "guessed"),
    [
        ("Café".encode(), "Café", False),
        (b"\xef\xbb\xbfCaf\xc3\xa9", "Café", False),
        ("Café".encode("utf-16"), "Café", False),
        (b"Caf\xe9 \x93quoted\x94", "Café \u201cquoted\u201d", True),
    ],
)
def test_text_is_decoded_from_boms_utf8_or_windows_1252(data, text, guessed):
    assert decode_text(data) == (text, guessed)


def test_xml_declared_latin1_is_read_as_windows_1252_and_an_undeclared_one_is_guessed():
    declared, guessed = read_xml(b'<?xml version="1.0" encoding="ISO-8859-1"?><t>na\xefve \x96 d\xe9j\xe0</t>')
    assert (declared.text, guessed) == ("naïve \u2013 déjà", False)
    undeclared, guessed = read_xml(b"<t>cr\xe8me</t>")
    assert (undeclared.text, guessed) == ("crème", True)


def test_an_unknown_declared_encoding_is_refused():
    with pytest.raises(Refused) as refused:
        read_xml(b'<?xml version="1.0" encoding="x-klingon"?><t/>')
    assert refused.value.code == "unknown_encoding"
