"""Static files as a production site serves them: content-hashed names, immutable caching, gzip and brotli.

At start-up every file under static/ is hashed. A copy named `<stem>.<hash><suffix>` and its brotli and gzip
variants (WhiteNoise's compressor) go into a build folder under the instance folder, written once: the names
are content-addressed, so later starts and the other gunicorn workers find them there. WhiteNoise serves the
hashed names with a one-year `immutable` Cache-Control and the best encoding the client accepts; the plain
names keep working with a short max-age, for whatever still holds a URL from before a deploy.

`url_for('static', filename=...)` returns the hashed URL (a url_defaults hook), so templates and code ask for
the plain name and never write a hash. The service worker (/sw.js) and the web manifest are rendered from
static/ with the same URLs and served at the root scope by WhiteNoise too, compressed and revalidated.

A changed file is picked up at the next start; with `app.debug` (`flask run --debug`) on the next page, the
same rule Flask follows for templates.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from app.security import CSP

ONE_YEAR = 365 * 24 * 60 * 60
HASH_LENGTH = 12
# Plain names are what an old page or an old service worker may still ask for: cache them briefly only.
PLAIN_MAX_AGE = 60
URL_PREFIX = "/static/"
SW_URL, MANIFEST_URL = "/sw.js", "/manifest.webmanifest"
_HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}(\.[^./]+)?$")
# The line of static/sw.js that the /sw.js view replaces with this build's manifest.
SW_ASSETS_LINE = re.compile(r"^const ASSETS = .*;$", re.MULTILINE)


class _WhiteNoise(WhiteNoise):
    FOREVER = ONE_YEAR  # a year is what caches honour in practice; WhiteNoise's own default is ten


@dataclass(frozen=True)
class Build:
    """One state of static/: plain name -> hashed name (both relative to static/), and a version naming it."""

    manifest: dict[str, str]
    version: str


def hashed_name(relative: str, content: bytes) -> str:
    stem, dot, suffix = relative.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    if not dot or "/" in suffix:
        return f"{relative}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def build(source: Path, target: Path) -> Build:
    """Hash every file under `source` and make sure its hashed copy and compressed variants exist in `target`.

    Safe to run from several processes at once: each file is written under a temporary name and renamed, and
    a hashed copy only appears after its compressed variants, so a process that sees the copy sees them too.
    """
    compressor = Compressor(quiet=True)
    manifest: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        if any(part.startswith(".") for part in relative.split("/")) or relative.endswith((".gz", ".br")):
            continue
        content = path.read_bytes()
        name = hashed_name(relative, content)
        manifest[relative] = name
        _publish(compressor, target / name, relative, content)
    version = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:HASH_LENGTH]
    return Build(manifest, version)


def _publish(compressor: Compressor, copy: Path, relative: str, content: bytes) -> None:
    if copy.exists():
        return
    copy.parent.mkdir(parents=True, exist_ok=True)
    if compressor.should_compress(relative):
        _write_variants(compressor, copy, content)
    _write_atomically(copy, content)


def _write_variants(compressor: Compressor, copy: Path, content: bytes) -> None:
    brotli = compressor.compress_brotli(content) if compressor.use_brotli else None
    if brotli is not None and not compressor.is_compressed_effectively("Brotli", str(copy), len(content), brotli):
        return  # incompressible (gzip would not do better)
    if brotli is not None:
        _write_atomically(copy.with_name(copy.name + ".br"), brotli)
    gzipped = compressor.compress_gzip(content)
    if compressor.is_compressed_effectively("Gzip", str(copy), len(content), gzipped):
        _write_atomically(copy.with_name(copy.name + ".gz"), gzipped)


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a front web server may serve the folder
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _build_folder(app: Flask) -> Path:
    preferred = Path(app.instance_path) / "static-build"
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        if os.access(preferred, os.W_OK):
            return preferred
    except OSError:
        pass
    # A read-only instance folder (some container setups): the build is content-addressed, any folder will do.
    fallback = Path(tempfile.gettempdir()) / f"chalkline-static-{os.getuid()}"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


class StaticAssets:
    """The app's static files: the current build, the WhiteNoise middleware serving it, and derived files."""

    def __init__(self, app: Flask):
        self.source = Path(app.static_folder)
        self.target = _build_folder(app)
        self.debug = app.debug
        self._fingerprint = self._source_fingerprint() if self.debug else None
        self.current = build(self.source, self.target)
        self._derived: dict[str, str] = {}
        # Development rescans the folders per request (WhiteNoise's autorefresh); production keeps a dict.
        self.middleware = _WhiteNoise(
            app.wsgi_app,
            autorefresh=self.debug,
            max_age=PLAIN_MAX_AGE,
            immutable_file_test=lambda _path, url: url.startswith(URL_PREFIX) and bool(_HASHED_NAME.search(url)),
            mimetypes={".webmanifest": "application/manifest+json"},
            add_headers_function=_static_headers,
        )
        self.middleware.add_files(str(self.source), prefix=URL_PREFIX)
        if self.debug:
            # The root files then come from their Flask views (app/system/views.py), rendered per build.
            self.middleware.add_files(str(self.target), prefix=URL_PREFIX)
            return
        # Only this build's files: the folder may also hold other builds' files and other workers' temporaries.
        for name in self.current.manifest.values():
            self.middleware.add_file_to_dictionary(URL_PREFIX + name, str(self.target / name))
        # The service worker and the web manifest live at the root scope; written like the rest, they go out
        # compressed and answer revalidations with 304 (no-cache, see _static_headers).
        compressor = Compressor(quiet=True)
        for url, render in ((SW_URL, self.service_worker), (MANIFEST_URL, self.web_manifest)):
            if not (self.source / url.lstrip("/")).is_file():
                continue
            encoded = render().encode()
            name = "root/" + hashed_name(url.lstrip("/"), encoded)
            _publish(compressor, self.target / name, name, encoded)
            self.middleware.add_file_to_dictionary(url, str(self.target / name))

    def refresh_if_changed(self) -> None:
        """Debug only: rebuild when a file under static/ changed since the last build."""
        fingerprint = self._source_fingerprint()
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self.current = build(self.source, self.target)
            self._derived.clear()

    def _source_fingerprint(self) -> tuple:
        return tuple(
            sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self.source.rglob("*") if p.is_file())
        )

    def hashed(self, filename: str) -> str:
        return self.current.manifest.get(filename, filename)

    def url(self, filename: str) -> str:
        """The hashed URL, without url_for: the root files are rendered at start-up, outside any request."""
        return URL_PREFIX + self.hashed(filename)

    def service_worker(self) -> str:
        """static/sw.js with this build's cache version and hashed URLs in place of its ASSETS line."""
        if "sw.js" not in self._derived:
            urls = {name: self.url(name) for name in self.current.manifest}
            assets = json.dumps({"version": f"chalkline-{self.current.version}", "urls": urls}, sort_keys=True)
            source = (self.source / "sw.js").read_text()
            rendered, count = SW_ASSETS_LINE.subn(lambda _m: f"const ASSETS = {assets};", source, count=1)
            if count != 1:
                raise RuntimeError("static/sw.js has no `const ASSETS = ...;` line for the build to fill in")
            self._derived["sw.js"] = rendered
        return self._derived["sw.js"]

    def web_manifest(self) -> str:
        """static/manifest.webmanifest with its icons at their hashed URLs."""
        if "manifest" not in self._derived:
            data = json.loads((self.source / "manifest.webmanifest").read_text())
            for icon in data.get("icons", []):
                if icon["src"].startswith(URL_PREFIX):
                    icon["src"] = self.url(icon["src"].removeprefix(URL_PREFIX))
            self._derived["manifest"] = json.dumps(data, indent=2, ensure_ascii=False)
        return self._derived["manifest"]


def _static_headers(headers, _path: str, url: str) -> None:
    # Static responses leave before Flask's after_request hooks; the scripts and styles still must not be sniffed.
    headers["X-Content-Type-Options"] = "nosniff"
    if url in (SW_URL, MANIFEST_URL):
        headers["Cache-Control"] = "no-cache"  # same URL across deploys: revalidate, so a new build arrives at once
    if url == SW_URL:
        headers["Service-Worker-Allowed"] = "/"
        headers["Content-Security-Policy"] = CSP  # a worker runs under the CSP of its own script's response


def current() -> StaticAssets:
    return current_app.extensions["assets"]


def init_app(app: Flask) -> None:
    assets = StaticAssets(app)
    app.extensions["assets"] = assets
    app.wsgi_app = assets.middleware

    @app.url_defaults
    def _hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.hashed(values["filename"])

    if assets.debug:
        app.before_request(assets.refresh_if_changed)
