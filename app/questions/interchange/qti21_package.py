"""A QTI 2.1 package around its items: which item files, in what order, with what manifest metadata."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from app.questions.interchange.values import resolve

DIFFICULTY = {"very easy": 1, "easy": 2, "medium": 3, "difficult": 4, "very difficult": 5}


@dataclass
class ItemMeta:
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    difficulty: int | None = None
    standards: list[str] = field(default_factory=list)
    partial_credit: bool | None = None
    kind: str = ""  # the question type our own exporter wrote
    answer_ids: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the resource's files, in the manifest's order


def _strings(element: Element | None, path: str) -> list[str]:
    return [] if element is None else [(node.text or "").strip() for node in element.findall(path) if node.text]


def _meta(resource: Element) -> ItemMeta:
    meta = ItemMeta()
    meta.files = [href for file in resource.findall("file") if (href := resolve("", file.get("href", "")))]
    metadata = resource.find("metadata")
    if metadata is None:
        return meta
    lom = metadata.find("lom")
    meta.title = lom.findtext("general/title/string") if lom is not None else None
    meta.tags = _strings(lom, "general/keyword/string")
    difficulty = (lom.findtext("educational/difficulty/value") if lom is not None else "") or ""
    meta.difficulty = DIFFICULTY.get(difficulty.strip().lower())
    for classification in lom.findall("classification") if lom is not None else []:
        for taxon in classification.iter("taxon"):
            code = (taxon.findtext("id") or taxon.findtext("entry/string") or "").strip()
            if code and code not in meta.standards:
                meta.standards.append(code)
    extension = metadata.find("chalklineQuestion")
    if extension is not None:
        meta.partial_credit = extension.get("partialCredit") == "true"
        meta.kind = extension.get("type", "")
        for answers in extension.findall("answers"):
            meta.answer_ids[answers.get("response", "")] = (answers.get("ids") or "").split()
    return meta


def package_title(manifest: Element | None) -> str:
    metadata = manifest.find("metadata") if manifest is not None else None
    return ((metadata.findtext("lom/general/title/string") if metadata is not None else "") or "").strip()


def item_order(
    documents: list[tuple[str, Element]], manifest: Element | None
) -> tuple[list[tuple[str, Element, ItemMeta]], list[str]]:
    """(items in package order with their metadata, hrefs the package names but does not hold)."""
    items = {path: root for path, root in documents if root.tag == "assessmentItem"}
    ordered: list[tuple[str, Element, ItemMeta]] = []
    missing: list[str] = []
    placed: set[str] = set()
    if manifest is not None:
        for resource in manifest.iter("resource"):
            kind = resource.get("type", "")
            href = resolve("", resource.get("href", ""))
            if not href or not kind.startswith("imsqti_item"):
                continue
            if href in items and href not in placed:
                ordered.append((href, items[href], _meta(resource)))
                placed.add(href)
            elif href not in items:
                missing.append(href)
    for path, root in documents:
        if root.tag != "assessmentTest":
            continue
        for ref in root.iter("assessmentItemRef"):
            href = resolve(posixpath.dirname(path), ref.get("href", ""))
            if href in items and href not in placed:
                ordered.append((href, items[href], ItemMeta()))
                placed.add(href)
            elif href and href not in items:
                missing.append(href)
    ordered += [(path, items[path], ItemMeta()) for path in sorted(items) if path not in placed]
    return ordered, missing
