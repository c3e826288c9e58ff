"""Static files: content-hashed URLs in pages, immutable caching, brotli and gzip, and a service worker that follows."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import brotli
import pytest
from flask import Flask, url_for

from app import assets
from app.config import ROOT

STATIC = ROOT / "static"
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HASHED = re.compile(r"^/static/(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[^./]+)$")


def _fetch(client, url, **headers):
    response = client.get(url, headers=headers, buffered=True)  # buffered: the file is read and closed
    response.close()
    return response


def _cache_directives(response) -> set[str]:
    return {part.strip() for part in response.headers["Cache-Control"].split(",")}


def _plain_name(url: str) -> str:
    match = HASHED.match(url)
    assert match, f"{url} is not a content-hashed static URL"
    return match["stem"] + match["suffix"]


def test_pages_link_each_static_file_by_the_hash_of_its_current_content(browser):
    html = browser.get("/account/login").get_data(as_text=True)

    urls = set(STATIC_URL.findall(html))
    assert {_plain_name(url) for url in urls} >= {"css/app.css", "js/app.js", "icons/icon-192.png"}
    for url in urls:
        content = (STATIC / _plain_name(url)).read_bytes()
        assert HASHED.match(url)["digest"] == hashlib.sha256(content).hexdigest()[:12], url


def test_a_hashed_file_is_immutable_for_a_year_and_sent_with_brotli_or_gzip(app, browser):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    source = (STATIC / "css" / "app.css").read_bytes()

    as_brotli = _fetch(browser.client, url, **{"Accept-Encoding": "gzip, deflate, br"})
    as_gzip = _fetch(browser.client, url, **{"Accept-Encoding": "gzip"})
    plain = _fetch(browser.client, url, **{"Accept-Encoding": "identity"})

    for response in (as_brotli, as_gzip, plain):
        assert response.status_code == 200
        assert _cache_directives(response) == {"public", "max-age=31536000", "immutable"}
        assert response.headers["Vary"] == "Accept-Encoding"
        assert response.mimetype == "text/css"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert as_brotli.headers["Content-Encoding"] == "br"
    assert brotli.decompress(as_brotli.get_data()) == source
    assert len(as_brotli.get_data()) < len(source) / 3
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(as_gzip.get_data()) == source
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data() == source


def test_images_are_hashed_and_immutable_but_not_recompressed(app, browser):
    with app.test_request_context():
        url = url_for("static", filename="icons/icon-192.png")

    response = _fetch(browser.client, url, **{"Accept-Encoding": "gzip, br"})

    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "immutable" in _cache_directives(response)
    assert "Content-Encoding" not in response.headers


def test_the_plain_name_still_answers_but_is_cached_only_briefly(browser):
    response = _fetch(browser.client, "/static/css/app.css")

    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert _cache_directives(response) == {"public", f"max-age={assets.PLAIN_MAX_AGE}"}


def test_html_pages_are_still_never_stored(browser, as_user):
    teacher, _user = as_user("teacher")

    for response in (browser.get("/account/login"), teacher.get("/"), browser.get("/offline")):
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_service_worker_caches_the_hashed_urls_the_pages_use(browser):
    page_urls = set(STATIC_URL.findall(browser.get("/account/login").get_data(as_text=True)))
    worker = _fetch(browser.client, "/sw.js")
    script = worker.get_data(as_text=True)

    built = json.loads(re.search(r"^const ASSETS = (.*);$", script, re.MULTILINE).group(1))
    shell_files = json.loads(re.search(r"^const SHELL_FILES = (\[.*\]);$", script, re.MULTILINE).group(1))
    shell_urls = {built["urls"][name] for name in shell_files}
    assert worker.headers["Cache-Control"] == "no-cache"
    assert page_urls <= shell_urls, "every static file of the layout is in the offline shell"
    for url in shell_urls:
        assert HASHED.match(url), url
        assert _fetch(browser.client, url).status_code == 200, url
    assert re.fullmatch(r"chalkline-[0-9a-f]{12}", built["version"])


def test_the_web_manifest_points_at_hashed_icons_that_exist(browser):
    response = _fetch(browser.client, "/manifest.webmanifest")

    icons = [icon["src"] for icon in json.loads(response.get_data())["icons"]]
    assert response.mimetype == "application/manifest+json"
    assert icons and all(HASHED.match(src) for src in icons)
    assert all(_fetch(browser.client, src).status_code == 200 for src in icons)


def test_a_changed_file_gets_a_new_name_and_the_worker_a_new_version(tmp_path):
    source, target = tmp_path / "static", tmp_path / "build"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: red; }\n" * 50)
    (source / "logo.png").write_bytes(b"\x89PNG not really")

    before = assets.build(source, target)
    (source / "css" / "site.css").write_text("body { color: blue; }\n" * 50)
    after = assets.build(source, target)

    assert before.manifest["logo.png"] == after.manifest["logo.png"]
    assert before.manifest["css/site.css"] != after.manifest["css/site.css"]
    assert before.version != after.version
    for name in (before.manifest["css/site.css"], after.manifest["css/site.css"]):
        assert (target / name).is_file() and (target / (name + ".br")).is_file() and (target / (name + ".gz")).is_file()
    assert not (target / (after.manifest["logo.png"] + ".gz")).exists()
    assert not [p for p in target.rglob(".tmp-*")]


@pytest.mark.parametrize("debug", [True, False])
def test_with_debug_an_edited_file_is_served_under_its_new_name_without_a_restart(tmp_path, debug):
    static = tmp_path / "static"
    static.mkdir()
    (static / "site.css").write_text("p { margin: 0; }\n" * 40)
    bare = Flask(__name__, static_folder=str(static), instance_path=str(tmp_path / "instance"))
    bare.debug = debug
    bare.add_url_rule("/", "index", lambda: url_for("static", filename="site.css"))
    assets.init_app(bare)
    client = bare.test_client()
    original = (static / "site.css").read_bytes()
    first = client.get("/").get_data(as_text=True)

    (static / "site.css").write_text("p { margin: 1rem; }\n" * 40)
    second = client.get("/").get_data(as_text=True)

    # Without debug the process keeps the build it started with (like templates): the old name, the old bytes.
    assert (first != second) is debug
    served = _fetch(client, second)
    assert served.status_code == 200
    assert served.get_data() == ((static / "site.css").read_bytes() if debug else original)


def test_the_service_worker_goes_out_compressed_revalidated_and_under_the_csp(app, browser):
    from app.security import CSP

    first = _fetch(browser.client, "/sw.js", **{"Accept-Encoding": "gzip, br"})
    again = _fetch(browser.client, "/sw.js", **{"If-None-Match": first.headers["ETag"]})

    assert first.headers["Content-Encoding"] == "br"
    assert brotli.decompress(first.get_data()).decode() == app.extensions["assets"].service_worker()
    assert first.headers["Content-Security-Policy"] == CSP
    assert first.headers["Service-Worker-Allowed"] == "/"
    assert again.status_code == 304
