"""`export_qti21`: a bank as a QTI 2.1 content package (imsmanifest.xml, one item file per question, its images).

Each item scores itself with plain QTI response processing (MAXSCORE holds the points; mappings hold each answer's
share of them), so any QTI 2.1 player can run it; the manifest carries tags, difficulty and standards as LOM, and,
in a `chalklineQuestion` element, what QTI has no place for (text and numeric answer ids, the partial-credit rule).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from decimal import Decimal
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement, tostring

from app.questions.data import QuestionData
from app.questions.interchange.markup import html_into, rewrite_images
from app.questions.interchange.qti21_body import EXTENSION_NS, QTI_NS, TOOL_NAME, qti_id, write_body

DIFFICULTY = {1: "very easy", 2: "easy", 3: "medium", 4: "difficult", 5: "very difficult"}
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def export_qti21(bank_name: str, questions: list[QuestionData]) -> bytes:
    """The zip of a QTI 2.1 package holding `questions` (any caller; raises nothing for well-formed data)."""
    out = io.BytesIO()
    manifest = _manifest(bank_name)
    resources = manifest.find("resources")
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, question in enumerate(questions, start=1):
            identifier = _identifier(question.source_id, number, used)
            folder = f"items/{identifier}"
            html_of, assets = _asset_paths(question)
            item = _item(question, identifier, html_of)
            archive.writestr(f"{folder}/qti.xml", _xml(item))
            resource = SubElement(resources, "resource", identifier=f"RES-{identifier}", type="imsqti_item_xmlv2p1",
                                  href=f"{folder}/qti.xml")  # fmt: skip
            resource.append(_metadata(question, identifier))
            SubElement(resource, "file", href=f"{folder}/qti.xml")
            for path, asset in assets:
                archive.writestr(f"{folder}/{path}", asset.data, compress_type=zipfile.ZIP_STORED)  # already compressed
                SubElement(resource, "file", href=f"{folder}/{quote(path)}")
        archive.writestr("imsmanifest.xml", _xml(manifest))
    return out.getvalue()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(element: Element) -> bytes:
    # Characters XML 1.0 cannot hold (control characters, lone surrogates) are dropped rather than written.
    text = _NOT_XML.sub("", tostring(element, encoding="unicode"))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8")


def _identifier(source_id: str, number: int, used: set[str]) -> str:
    candidate = qti_id(source_id) if source_id and _NCNAME.fullmatch(qti_id(source_id)) else f"q-{number:05d}"
    while candidate in used:
        candidate = f"{candidate}-{number}"
    used.add(candidate)
    return candidate


def _asset_paths(question: QuestionData):
    """(html rewriter, [(path in the item folder, asset)]): src="asset:NAME" becomes the file's relative path."""
    paths: dict[str, str] = {}
    files = []
    for n, asset in enumerate(question.assets):
        path = asset.name if _safe_path(asset.name) else f"asset-{n}{posixpath.splitext(asset.name)[1][:8]}"
        if path in paths.values() or path == "qti.xml":
            path = f"asset-{n}-{path.replace('/', '-')}"
        paths[asset.name] = path
        files.append((path, asset))

    def image(attributes: dict[str, str]) -> str | None:
        src = attributes.get("src", "")
        if src.startswith("asset:") and src[len("asset:") :] in paths:
            attributes["src"] = quote(paths[src[len("asset:") :]])
            return "<img" + "".join(f' {k}="{_attr(v)}"' for k, v in attributes.items()) + ">"
        return None

    return (lambda html: rewrite_images(html or "", image)), files


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_path(name: str) -> bool:
    normal = posixpath.normpath(name) if name else ""
    return bool(name) and normal == name and not name.startswith(("/", "../")) and ".." not in name.split("/")


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _item(question: QuestionData, identifier: str, html_of) -> Element:
    item = Element(
        "assessmentItem",
        {"xmlns": QTI_NS, "identifier": identifier, "title": question.title or identifier, "adaptive": "false",
         "timeDependent": "false", "toolName": TOOL_NAME, "toolVersion": "1"},
    )  # fmt: skip
    write_body(item, question, html_of, _decimal)
    if question.general_feedback_html:
        feedback = SubElement(item, "modalFeedback", outcomeIdentifier="FEEDBACK_GENERAL", identifier="GENERAL",
                              showHide="show")  # fmt: skip
        html_into(feedback, html_of(question.general_feedback_html))
    return item


def _lom(parent: Element, tag: str) -> Element:
    return SubElement(parent, f"imsmd:{tag}")


def _manifest(bank_name: str) -> Element:
    manifest = Element(
        "manifest",
        {"xmlns": "http://www.imsglobal.org/xsd/imscp_v1p1", "xmlns:imsmd": "http://ltsc.ieee.org/xsd/LOM",
         "xmlns:imsqti": "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1", "xmlns:cl": EXTENSION_NS,
         "identifier": "MANIFEST-chalkline"},
    )  # fmt: skip
    metadata = SubElement(manifest, "metadata")
    SubElement(metadata, "schema").text = "QTIv2.1 Package"
    SubElement(metadata, "schemaversion").text = "1.0.0"
    title = _lom(_lom(_lom(metadata, "lom"), "general"), "title")
    _lom(title, "string").text = bank_name
    SubElement(manifest, "organizations")
    SubElement(manifest, "resources")
    return manifest


def _metadata(question: QuestionData, identifier: str) -> Element:
    metadata = Element("metadata")
    lom = _lom(metadata, "lom")
    general = _lom(lom, "general")
    _lom(_lom(general, "identifier"), "entry").text = identifier
    _lom(_lom(general, "title"), "string").text = question.title
    for tag in question.tags:
        _lom(_lom(general, "keyword"), "string").text = tag
    if question.difficulty in DIFFICULTY:
        difficulty = _lom(_lom(lom, "educational"), "difficulty")
        _lom(difficulty, "source").text = "LOMv1.0"
        _lom(difficulty, "value").text = DIFFICULTY[question.difficulty]
    for code in question.standard_codes:
        classification = _lom(lom, "classification")
        purpose = _lom(classification, "purpose")
        _lom(purpose, "source").text = "LOMv1.0"
        _lom(purpose, "value").text = "educational objective"
        taxon = _lom(_lom(classification, "taxonPath"), "taxon")
        _lom(taxon, "id").text = code
        _lom(_lom(taxon, "entry"), "string").text = code
    qti = SubElement(metadata, "imsqti:qtiMetadata")
    SubElement(qti, "imsqti:toolName").text = TOOL_NAME
    extension = SubElement(metadata, "cl:chalklineQuestion", type=question.type,
                           partialCredit="true" if question.partial_credit else "false")  # fmt: skip
    answers = {"RESPONSE": question.text_answers or question.numeric_answers}
    for blank in question.blanks:
        answers[qti_id(blank.id)] = blank.answers
    for response, listed in answers.items():
        if listed:
            SubElement(extension, "cl:answers", response=response, ids=" ".join(a.id for a in listed))
    return metadata
