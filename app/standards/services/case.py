"""CASE 1.0 JSON (a CFPackage: CFDocument, CFItems, CFAssociations, CFDefinitions) into a ParsedFramework.

Pure: bytes in, plain data out. Real packages deviate from the schema, so this reads what can be understood and
warns: field names in another case or a known misspelling, a sequenceNumber written as a string, grades as a
comma list or a range, a node URI given as a bare string, a definitions block of the wrong shape. It refuses what
cannot be used: a file that is not JSON or has no CFDocument and CFItems, items without an identifier, the same
identifier twice, cycles in isChildOf (tree.arrange), and anything over MAX_PACKAGE_BYTES.
"""

from __future__ import annotations

import functools
import json
import re

from app.standards.services.levels import expand
from app.standards.services.parsed import (
    MAX_PACKAGE_BYTES,
    ParsedEdge,
    ParsedFramework,
    ParsedItem,
    ParsedLink,
)
from app.standards.services.tree import arrange

# Normalised spelling (lower case, letters and digits only) -> the spec's field name.
FIELDS = {
    "identifier": "identifier",
    "uri": "uri",
    "title": "title",
    "creator": "creator",
    "subject": "subject",
    "version": "version",
    "adoptionstatus": "adoptionStatus",
    "humancodingscheme": "humanCodingScheme",
    "humancodingschema": "humanCodingScheme",
    "humancode": "humanCodingScheme",
    "fullstatement": "fullStatement",
    "abbreviatedstatement": "abbreviatedStatement",
    "abbreviatedstatment": "abbreviatedStatement",
    "fullstatment": "fullStatement",
    "cfitemtype": "CFItemType",
    "itemtype": "CFItemType",
    "cfitemtypeuri": "CFItemTypeURI",
    "educationlevel": "educationLevel",
    "educationlevels": "educationLevel",
    "listenumeration": "listEnumeration",
    "associationtype": "associationType",
    "originnodeuri": "originNodeURI",
    "destinationnodeuri": "destinationNodeURI",
    "sequencenumber": "sequenceNumber",
    "cfdocument": "CFDocument",
    "cfitems": "CFItems",
    "cfassociations": "CFAssociations",
    "cfdefinitions": "CFDefinitions",
    "cfitemtypes": "CFItemTypes",
    "cfpackage": "CFPackage",
}
LINK_TYPES = {
    t.lower(): t
    for t in (
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
    )
}
_NON_WORD = re.compile(r"[^a-z0-9]")
_UUID_TAIL = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")
SHORT, LONG = 100, 20000


@functools.lru_cache(maxsize=4096)
def _canonical(key) -> str | None:
    return FIELDS.get(_NON_WORD.sub("", str(key).lower()))


class _Reader:
    """Reads objects with lenient field names; warns once per unusual spelling, with how often it was met."""

    def __init__(self, parsed: ParsedFramework):
        self.parsed = parsed
        self.spellings: dict[tuple[str, str], int] = {}
        # Deviations met on many items are warned once: code -> [field, first value, first item, count].
        self.tallies: dict[str, list] = {}

    def tally(self, code: str, item: str, fld: str, value) -> None:
        entry = self.tallies.setdefault(code, [fld, value, item, 0])
        entry[3] += 1

    def fields(self, obj: dict) -> dict:
        out = {}
        for key, value in obj.items():
            canonical = _canonical(key)
            if canonical is None:
                continue
            if key != canonical:
                self.spellings[(key, canonical)] = self.spellings.get((key, canonical), 0) + 1
            out.setdefault(canonical, value)
        return out

    def report(self) -> None:
        for (spelling, canonical), count in sorted(self.spellings.items()):
            self.parsed.problems.warn("field_spelling", "", None, canonical, spelling, count)
        for code, (fld, value, item, count) in sorted(self.tallies.items()):
            self.parsed.problems.warn(code, item, None, fld, value, count)


def _text(value, size: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    text = str(value).strip()
    return text[:size] or None


def _node(value, reader: _Reader, item: str, fld: str) -> tuple[str | None, str | None, str | None]:
    """(identifier, uri, title) of an originNodeURI / destinationNodeURI; a bare URI string is understood."""
    if isinstance(value, dict):
        node = reader.fields(value)
        return _text(node.get("identifier"), 255), _text(node.get("uri"), 1000), _text(node.get("title"), 500)
    if isinstance(value, str) and value.strip():
        match = _UUID_TAIL.search(value.strip())
        reader.tally("node_as_string", item, fld, value)
        return (match.group(1) if match else value.strip()[:255]), value.strip()[:1000], None
    return None, None, None


def _sequence(value, reader: _Reader, item: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        reader.tally("sequence_string", item, "sequenceNumber", value)
        return int(text)
    reader.parsed.problems.warn("sequence_unreadable", item, None, "sequenceNumber", value)
    return None


def _document(package: dict, reader: _Reader, parsed: ParsedFramework) -> bool:
    document = package.get("CFDocument")
    if not isinstance(document, dict):
        parsed.problems.error("not_case", "", None, "CFDocument")
        return False
    doc = reader.fields(document)
    parsed.identifier = _text(doc.get("identifier"), 255) or ""
    parsed.title = _text(doc.get("title"), 500) or ""
    if not parsed.identifier:
        parsed.problems.error("document_identifier", "", None, "identifier")
    if not parsed.title:
        parsed.problems.warn("document_title", parsed.identifier, None, "title")
        parsed.title = parsed.identifier[:500]
    parsed.creator = _text(doc.get("creator"), 500)
    parsed.subject = _text(doc.get("subject"), 200)
    parsed.version = _text(doc.get("version"), 100)
    parsed.adoption_status = _text(doc.get("adoptionStatus"), 100)
    parsed.uri = _text(doc.get("uri"), 1000)
    return bool(parsed.identifier)


def _type_titles(package: dict, reader: _Reader, parsed: ParsedFramework) -> dict[str, str]:
    """CFItemTypes' titles by identifier, for items that name their type only by URI."""
    definitions = package.get("CFDefinitions")
    if definitions is None:
        return {}
    if not isinstance(definitions, dict):
        parsed.problems.warn("definitions_shape", "", None, "CFDefinitions", type(definitions).__name__)
        return {}
    types = reader.fields(definitions).get("CFItemTypes") or []
    if not isinstance(types, list):
        parsed.problems.warn("definitions_shape", "", None, "CFItemTypes", type(types).__name__)
        return {}
    titles = {}
    for entry in types:
        if isinstance(entry, dict):
            fields = reader.fields(entry)
            if fields.get("identifier") and fields.get("title"):
                titles[str(fields["identifier"])] = str(fields["title"])[:100]
    return titles


def _items(raw_items: list, reader: _Reader, parsed: ParsedFramework, type_titles: dict[str, str]) -> None:
    problems = parsed.problems
    for number, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            problems.error("item_shape", f"#{number}", None, "CFItems", type(raw).__name__)
            continue
        fields = reader.fields(raw)
        identifier = _text(fields.get("identifier"), 255)
        if not identifier:
            problems.error("item_identifier", f"#{number}", None, "identifier", _text(fields.get("fullStatement"), 80))
            continue
        if identifier in parsed.items:
            problems.error("duplicate_identifier", identifier, None, "identifier", identifier)
            continue
        item_type = _text(fields.get("CFItemType"), 100)
        if not item_type and isinstance(fields.get("CFItemTypeURI"), dict):
            type_node = reader.fields(fields["CFItemTypeURI"])
            item_type = _text(type_node.get("title"), 100) or type_titles.get(str(type_node.get("identifier")))
        levels, unknown = expand(fields.get("educationLevel") or [])
        for token in unknown:
            problems.warn("level_unknown", identifier, None, "educationLevel", token)
        statement = _text(fields.get("fullStatement"), LONG) or ""
        if not statement:
            problems.warn("no_statement", identifier, None, "fullStatement", _text(fields.get("humanCodingScheme"), 80))
        parsed.items[identifier] = ParsedItem(
            identifier=identifier,
            human_code=_text(fields.get("humanCodingScheme"), SHORT),
            full_statement=statement,
            abbreviated_statement=_text(fields.get("abbreviatedStatement"), LONG),
            item_type=item_type,
            education_levels=levels,
            subject=_text(fields.get("subject"), 200),
            list_enumeration=_text(fields.get("listEnumeration"), 50),
            uri=_text(fields.get("uri"), 1000),
        )


def _associations(raw_links: list, reader: _Reader, parsed: ParsedFramework) -> None:
    problems, items = parsed.problems, parsed.items
    for number, raw in enumerate(raw_links, start=1):
        if not isinstance(raw, dict):
            problems.warn("association_shape", f"#{number}", None, "CFAssociations", type(raw).__name__)
            continue
        fields = reader.fields(raw)
        kind = str(fields.get("associationType") or "").strip()
        link_type = LINK_TYPES.get(kind.lower(), kind[:60])
        label = _text(fields.get("identifier"), 255) or f"#{number}"
        origin, _uri, _title = _node(fields.get("originNodeURI"), reader, label, "originNodeURI")
        target, target_uri, target_title = _node(fields.get("destinationNodeURI"), reader, label, "destinationNodeURI")
        if not (link_type and origin and target):
            problems.warn("association_incomplete", label, None, "associationType", kind)
            continue
        if link_type == "replacedBy":
            parsed.replacements[origin] = target
        if origin not in items:
            if link_type != "replacedBy":
                problems.warn("association_unknown_origin", label, None, "originNodeURI", origin)
            continue
        if link_type == "isChildOf":
            sequence = _sequence(fields.get("sequenceNumber"), reader, origin)
            items[origin].sequence_number = items[origin].sequence_number or sequence
            parent = None if target == parsed.identifier else target
            parsed.edges.append(ParsedEdge(origin, parent, sequence))
        else:
            parsed.links.append(ParsedLink(origin, link_type, target, target_uri, target_title))


def parse_case(data: bytes) -> ParsedFramework:
    """The package in `data`, its tree checked and numbered (see the module docstring for what is refused)."""
    parsed = ParsedFramework(source="case")
    problems = parsed.problems
    if len(data) > MAX_PACKAGE_BYTES:
        problems.error("too_large", "", None, "", len(data), MAX_PACKAGE_BYTES)
        return parsed
    try:
        package = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        problems.error("not_json")
        return parsed
    reader = _Reader(parsed)
    if isinstance(package, dict):
        package = reader.fields(package)
        if isinstance(package.get("CFPackage"), dict):
            package = reader.fields(package["CFPackage"])
    if not isinstance(package, dict) or not isinstance(package.get("CFItems"), list):
        problems.error("not_case", "", None, "CFItems")
        return parsed
    if not _document(package, reader, parsed):
        return parsed
    _items(package["CFItems"], reader, parsed, _type_titles(package, reader, parsed))
    links = package.get("CFAssociations") or []
    if not isinstance(links, list):
        problems.warn("definitions_shape", "", None, "CFAssociations", type(links).__name__)
        links = []
    _associations(links, reader, parsed)
    if not parsed.items:
        problems.error("no_items", parsed.identifier, None, "CFItems")
    reader.report()
    if parsed.items:
        arrange(parsed)  # cycles are reported with the other errors; the numbering only for a usable file
    return parsed
