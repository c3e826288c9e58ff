"""Builders for the fixture files the tests write: zips, tiny real images, Canvas QTI 1.2 items."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from html import escape


def png(width: int = 2, height: int = 1) -> bytes:
    """A real PNG of `width` x `height` grey pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def make_zip(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body.encode() if isinstance(body, str) else body)
    return out.getvalue()


def _field(label: str, entry: str) -> str:
    return f"<qtimetadatafield><fieldlabel>{label}</fieldlabel><fieldentry>{entry}</fieldentry></qtimetadatafield>"


def meta(question_type: str, points: str = "1.0") -> str:
    return (
        "<itemmetadata><qtimetadata>"
        + _field("question_type", question_type)
        + _field("points_possible", points)
        + "</qtimetadata></itemmetadata>"
    )


def mattext(html: str, kind: str = "text/html") -> str:
    return f'<material><mattext texttype="{kind}">{escape(html)}</mattext></material>'


def canvas_item(ident: str, question_type: str, stem: str, body: str, points: str = "1.0", title: str = "Question"):
    return (
        f'<item ident="{ident}" title="{title}">{meta(question_type, points)}'
        f"<presentation>{mattext(f'<div>{stem}</div>')}{body}"
    )


def choice_lid(answers: list[tuple[str, str]], cardinality: str = "Single") -> str:
    labels = "".join(
        f'<response_label ident="{ident}">{mattext(text, "text/plain")}</response_label>' for ident, text in answers
    )
    head = f'<response_lid ident="response1" rcardinality="{cardinality}">'
    return f"{head}<render_choice>{labels}</render_choice></response_lid>"


def resprocessing(conditions: str) -> str:
    return (
        '</presentation><resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" '
        f'vartype="Decimal"/></outcomes>{conditions}</resprocessing>'
    )


def condition(var: str, score: str = "100", continue_: str = "No", feedback: str = "") -> str:
    shows = f'<displayfeedback feedbacktype="Response" linkrefid="{feedback}"/>' if feedback else ""
    setvar = f'<setvar action="Set" varname="SCORE">{score}</setvar>' if score else ""
    return f'<respcondition continue="{continue_}"><conditionvar>{var}</conditionvar>{setvar}{shows}</respcondition>'


def itemfeedback(ident: str, html: str) -> str:
    material = f'<material><mattext texttype="text/html">{escape(html)}</mattext></material>'
    return f'<itemfeedback ident="{ident}"><flow_mat>{material}</flow_mat></itemfeedback>'


def questestinterop(items: list[str], kind: str = "assessment", title: str = "Unit 3 quiz") -> str:
    inner = "".join(items)
    if kind == "assessment":
        inner = f'<section ident="root_section">{inner}</section>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<{kind} ident="gquiz1" title="{title}">{inner}</{kind}></questestinterop>'
    )
