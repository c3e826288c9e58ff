"""Every user-facing string is translated, and pages follow the locale rules (user, browser, district)."""

from __future__ import annotations

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app.config import ROOT


def test_every_extracted_string_has_a_spanish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    # babel.cfg's patterns (app/**.py, templates/**) are relative to the project root, so extract from there.
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    assert len(wanted) > 400, "extraction found too few strings: check babel.cfg and this test"
    with (ROOT / "translations/es/LC_MESSAGES/messages.po").open("rb") as handle:
        spanish = {m.id: m.string for m in read_po(handle) if m.id and "fuzzy" not in m.flags}
    missing = sorted(
        str(mid)
        for mid in wanted
        if not spanish.get(mid) or (isinstance(spanish[mid], tuple) and not all(spanish[mid]))
    )
    assert missing == [], "run pybabel extract/update and translate these"


def test_the_sign_in_page_follows_the_browsers_language(browser):
    page = browser.get("/account/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Iniciar sesión" in html


def test_a_users_own_language_wins_over_the_browser(as_user, tenant, district):
    from app import db
    from app.accounts.models import User

    client, user = as_user("teacher")
    tenant(district)
    db.session.get(User, user.id).locale = "es"
    db.session.commit()
    html = client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<html lang="es"' in html
