"""Reading untrusted uploads: XML through defusedxml, zips with caps and no paths out, text in whatever encoding.

Every reader raises `Refused(code, message)` for a file that must not be read at all; the caller turns that into
one fatal ImportProblem for the whole upload, so nothing from a hostile file is half-imported.
"""

from __future__ import annotations

import codecs
import io
import re
import stat
import zipfile
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_DEPTH = 200  # parsers walk elements recursively; real QTI and Moodle files nest a few dozen deep
MAX_RATIO = 200  # a member that inflates more than this from its compressed size is a zip bomb

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.S)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.S)


class Refused(Exception):
    """The upload (or one file in it) cannot be read: `code` is the stable key, `message` English for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused("too_large", f"The file is {len(data) // (1024 * 1024)} MB; the limit is 30 MB.")


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, bool]:
    """(text, guessed): BOMs honoured, then the declared encoding, then UTF-8, then Windows-1252 (guessed=True).

    Latin-1 is read as Windows-1252, its superset, since files labelled Latin-1 by Windows tools carry curly
    quotes and dashes in 0x80-0x9F."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), False
            except UnicodeDecodeError as error:
                raise Refused("bad_encoding", f"The file starts with a {name} mark but is not {name}.") from error
    if declared:
        name = declared.lower()
        try:
            codecs.lookup(name)
        except LookupError as error:
            raise Refused("unknown_encoding", f"The file declares the unknown encoding {declared!r}.") from error
        if name.replace("_", "-") in ("iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1"):
            name = "cp1252"
        try:
            return data.decode(name), False
        except UnicodeDecodeError:
            pass  # a declaration that lies (UTF-8 declared, Windows-1252 written) is read as the bytes say
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def read_xml(data: bytes) -> tuple[Element, bool]:
    """(root, guessed_encoding) of an XML document with namespaces dropped from tags and attributes.

    Raises Refused for DTD entities of any kind (external ones, billion laughs), external references and XML
    that is not well formed."""
    match = _DECLARED_ENCODING.match(data[:400])
    text, guessed = decode_text(data, match.group(1).decode("ascii") if match else None)
    body = _DECLARATION.sub(b"", text.encode("utf-8"), count=1)
    try:
        root = SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as error:
        raise Refused("hostile_xml", f"The XML declares entities ({error.name}); such files are refused.") from error
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden, defusedxml.NotSupportedError) as error:
        raise Refused("hostile_xml", "The XML refers to outside resources; such files are refused.") from error
    except ParseError as error:
        raise Refused("not_xml", f"The XML is not well formed ({error}).") from error
    _check_depth(root)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
        if any("}" in key for key in element.attrib):
            element.attrib = {key.rsplit("}", 1)[-1]: value for key, value in element.attrib.items()}
    return root, guessed


def _check_depth(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused("too_deep", f"The XML nests elements more than {MAX_DEPTH} deep; refused.")
        stack.extend((child, depth + 1) for child in element)


def _safe_member_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("..",) for part in name.split("/"))


def read_zip(data: bytes) -> dict[str, bytes]:
    """{member name: bytes} of a zip upload, directories left out.

    Raises Refused for a member path that climbs out or is absolute, links, encrypted members, too many
    members, a member or a total too large once inflated, or a ratio that only a zip bomb has."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise Refused("bad_zip", "The zip file is damaged or not a zip file.") from error
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Refused("zip_too_many", f"The zip holds {len(infos)} files; the limit is {MAX_MEMBERS}.")
    total = 0
    for info in infos:
        if not _safe_member_name(info.filename):
            raise Refused("zip_path", f"The zip member '{info.filename}' has a path that leaves the archive.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Refused("zip_link", f"The zip member '{info.filename}' is a link; links are refused.")
        if info.flag_bits & 0x1:
            raise Refused("zip_encrypted", f"The zip member '{info.filename}' is encrypted.")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused("zip_too_large", "The zip inflates to more than 300 MB.")
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        body = _read_member(archive, info)
        total += len(body)
        if total > MAX_TOTAL_BYTES:
            raise Refused("zip_too_large", "The zip inflates to more than 300 MB.")
        members[info.filename] = body
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # The sizes in the directory are the zip's own claims: read with a cap, not trusting them.
    limit = min(MAX_MEMBER_BYTES, max(info.compress_size, 1) * MAX_RATIO + 1024 * 1024)
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise Refused("zip_bomb", f"The zip member '{info.filename}' inflates too far; refused.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as error:
        raise Refused("bad_zip", f"The zip member '{info.filename}' cannot be read.") from error
    return b"".join(chunks)
