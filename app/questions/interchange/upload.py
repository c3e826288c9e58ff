"""`parse_upload`: which format a teacher's file is in, read safely, handed to that format's parser."""

from __future__ import annotations

import logging
import posixpath
import re
from xml.etree.ElementTree import Element

from app.questions.data import ParsedBank
from app.questions.interchange import gift, moodle, qti12, qti21
from app.questions.interchange.safety import Refused, check_size, decode_text, read_xml, read_zip
from app.questions.interchange.values import problem

XML_SUFFIXES = (".xml", ".qti")
# Only files whose root is one of these are read: a course export also holds pages, settings and the teacher's own
# files (web_resources/), which are not questions and must not decide whether the upload can be read.
_QUESTION_ROOT = re.compile(rb"<(?:[\w.-]+:)?(questestinterop|assessmentItem|assessmentTest|quiz|manifest)[\s>/]")
log = logging.getLogger(__name__)


def parse_upload(filename: str, data: bytes) -> ParsedBank:
    """The questions and problems of an uploaded file: QTI 1.2 (or a Canvas export zip), QTI 2.1 (item, test or
    zip), Moodle XML or GIFT. A file that cannot be read at all gives no questions and one fatal problem."""
    try:
        check_size(data)
        if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".zip", ".imscc")):
            return _from_zip(read_zip(data))
        return _from_file(filename, data)
    except Refused as refused:
        return ParsedBank(format="unknown", problems=[problem(filename or "upload", refused.code, refused.message)])
    except Exception:  # a file no rule foresaw must give the teacher a message, not a server error
        log.exception("question import: %s could not be read", filename)
        message = "The file could not be read; nothing was imported."
        return ParsedBank(format="unknown", problems=[problem(filename or "upload", "parse_failed", message)])


def _looks_like_xml(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return head.startswith(b"<")


def _from_file(filename: str, data: bytes) -> ParsedBank:
    if not _looks_like_xml(data):
        text, guessed = decode_text(data)
        if "{" not in text:
            raise Refused("unknown_format", "This is not a QTI, Moodle XML or GIFT file.")
        return gift.parse(text, guessed)
    root, guessed = read_xml(data)
    if root.tag == "questestinterop":
        return qti12.parse([(filename, root)], {})
    if root.tag in ("assessmentItem", "assessmentTest"):
        return qti21.parse([(posixpath.basename(filename or "item.xml"), root)], {}, None)
    if root.tag == "quiz":
        return moodle.parse(root, guessed)
    raise Refused("unknown_format", f"The XML is a <{root.tag}>, not QTI or Moodle XML.")


def _from_zip(files: dict[str, bytes]) -> ParsedBank:
    qti12_docs: list[tuple[str, Element]] = []
    qti21_docs: list[tuple[str, Element]] = []
    moodle_docs: list[tuple[Element, bool]] = []
    manifest = None
    nested = [name for name in files if name.lower().endswith(".zip")]
    for name in sorted(files):
        if not name.lower().endswith(XML_SUFFIXES) or posixpath.basename(name).startswith("._"):
            continue
        data = files[name]
        if name.startswith("web_resources/") or not _looks_like_xml(data) or not _QUESTION_ROOT.search(data[:16384]):
            continue
        root, guessed = read_xml(data)
        if name == "imsmanifest.xml":
            manifest = root
        elif root.tag == "questestinterop":
            qti12_docs.append((name, root))
        elif root.tag in ("assessmentItem", "assessmentTest"):
            qti21_docs.append((name, root))
        elif root.tag == "quiz":
            moodle_docs.append((root, guessed))
    if qti12_docs:
        bank = qti12.parse(qti12_docs, files)
    elif qti21_docs:
        bank = qti21.parse(qti21_docs, files, manifest)
    elif moodle_docs:
        bank = moodle.parse(*moodle_docs[0])
    else:
        gift_names = [name for name in sorted(files) if name.lower().endswith((".gift", ".txt"))]
        if not gift_names:
            raise Refused("unknown_format", "The zip holds no QTI, Moodle XML or GIFT file.")
        bank = gift.parse(*decode_text(files[gift_names[0]]))
    for name in nested:
        bank.problems.append(problem(name, "nested_zip", "A zip inside the zip is not opened.", fatal=False))
    return bank
