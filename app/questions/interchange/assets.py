"""Images in imported HTML: files of the upload become `Asset`s referred to as src="asset:NAME", and Canvas's
equation images become the LaTeX they were drawn from."""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
from html import escape
from urllib.parse import quote, unquote, urlsplit

from app.questions.data import Asset, ImportProblem
from app.questions.interchange.markup import build_img, drop_scripts, rewrite_images
from app.questions.interchange.values import content_type_of, problem, resolve

CANVAS_FILEBASES = ("$IMS-CC-FILEBASE$", "$IMS_CC_FILEBASE$")
MOODLE_FILEBASE = "@@PLUGINFILE@@"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def equation_latex(attributes: dict[str, str]) -> str | None:
    """The LaTeX of a Canvas equation image (`img.equation_image`, or a src under /equation_images/), else None."""
    classes = attributes.get("class", "").split()
    src = attributes.get("src", "")
    if "equation_image" not in classes and "/equation_images/" not in src:
        return None
    latex = attributes.get("data-equation-content", "").strip()
    if not latex:
        alt = attributes.get("alt", "").strip()
        latex = alt[len("LaTeX:") :].strip() if alt.startswith("LaTeX:") else attributes.get("title", "").strip()
    if not latex and "/equation_images/" in src:
        # Canvas encodes the LaTeX twice in the path (x^2 -> x%255E2).
        latex = unquote(unquote(urlsplit(src).path.split("/equation_images/", 1)[1]))
    return latex or None


class Images:
    """Rewrites the images of one question's HTML and keeps the files they point at.

    `files` is the upload's {zip path: bytes} (or a Moodle question's own files), `base_dir` the folder the
    HTML's relative paths start from."""

    def __init__(self, files: dict[str, bytes], base_dir: str, source_id: str, problems: list[ImportProblem]):
        self.files = files
        self.base_dir = base_dir
        self.source_id = source_id
        self.problems = problems
        self.assets: dict[str, Asset] = {}

    def html(self, html: str) -> str:
        return rewrite_images(drop_scripts(html or ""), self._image)

    def _image(self, attributes: dict[str, str]) -> str | None:
        latex = equation_latex(attributes)
        if latex is not None:
            return f"\\({escape(latex, quote=False)}\\)"
        src = attributes.get("src", "").strip()
        if src.startswith("data:"):
            return self._data_uri(attributes, src)
        if not src or src.startswith("asset:"):
            return None
        if src.startswith(("http://", "https://", "//")):
            self.problems.append(
                problem(
                    self.source_id, "external_image", f"The image {src!r} is on another site; it is left out.", False
                )
            )
            return None
        path = self._path(src)
        data = self.files.get(path) if path else None
        if data is None:
            self.problems.append(
                problem(self.source_id, "missing_image", f"The image {src!r} is not in the upload.", fatal=False)
            )
            return None
        name = self.name_of(path)
        kind = content_type_of(name, data)
        if kind not in IMAGE_TYPES:
            self.problems.append(
                problem(
                    self.source_id,
                    "unsupported_image",
                    f"The file {src!r} is not a PNG, JPEG, GIF or WebP image.",
                    False,
                )
            )
            return None
        self.assets.setdefault(name, Asset(name=name, content_type=kind, data=data))
        return build_img({**attributes, "src": f"asset:{name}"})

    def _data_uri(self, attributes: dict[str, str], src: str) -> str | None:
        header, _, body = src.partition(",")
        if not header.endswith(";base64"):
            return None
        try:
            data = base64.b64decode(body, validate=False)
        except (binascii.Error, ValueError):
            return None
        kind = content_type_of("", data)
        if kind not in IMAGE_TYPES:
            return None
        name = f"inline-{hashlib.sha256(data).hexdigest()[:12]}.{kind.split('/')[1]}"
        self.assets.setdefault(name, Asset(name=name, content_type=kind, data=data))
        return build_img({**attributes, "src": f"asset:{name}"})

    def _path(self, src: str) -> str | None:
        decoded = unquote(src)
        for base in CANVAS_FILEBASES:
            if decoded.startswith(base):
                return resolve("web_resources", quote(decoded[len(base) :].lstrip("/")))
        if src.startswith(MOODLE_FILEBASE):
            return resolve("", src[len(MOODLE_FILEBASE) :].lstrip("/"))
        return resolve(self.base_dir, src)

    def keep(self, path: str) -> None:
        """Keep the image at `path` though no HTML shows it."""
        name = self.name_of(path)
        kind = content_type_of(name, self.files[path])
        if kind in IMAGE_TYPES:
            self.assets.setdefault(name, Asset(name=name, content_type=kind, data=self.files[path]))

    def name_of(self, path: str) -> str:
        for root in ("web_resources/", f"{self.base_dir}/" if self.base_dir else ""):
            if root and path.startswith(root):
                return path[len(root) :]
        return posixpath.normpath(path)

    def asset_list(self) -> list[Asset]:
        return list(self.assets.values())
