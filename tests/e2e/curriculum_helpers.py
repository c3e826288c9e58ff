"""What the curriculum browser tests share: the demo teacher's signed-in page, which also records every CSP
violation, and the after-each-step check (no console error, no CSP violation, no sideways scrolling)."""

from __future__ import annotations

from tests.e2e.conftest import sign_in

TEACHER = "teacher@demo.chalkline.test"
OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
# Playwright's init scripts are not subject to the page's CSP; the binding survives navigations, so a violation on
# any page the test went through ends up in page.problems.
CSP_RECORDER = (
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolation(e.violatedDirective + ' '"
    " + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber + ':' + e.columnNumber));"
)


def signed_in_teacher(page_for, base: str, width: int = 1024, height: int = 768, **options):
    """A page signed in as the demo teacher, in a browser context of its own (`options`: e.g. has_touch=True)."""
    page = page_for(width, height, **options)
    page.context.expose_binding("__cspViolation", lambda _source, text: page.problems.append(f"csp: {text}"))
    page.context.add_init_script(CSP_RECORDER)
    sign_in(page, base, TEACHER)
    return page


def assert_clean(page, *refused: int) -> None:
    """No console error (except the browser's own line for a refusal the test caused, by its status), no CSP
    violation, and the page does not scroll sideways."""
    expected = [f"status of {status}" for status in refused]
    problems = [
        p for p in page.problems if not (p.startswith("console: Failed to load") and any(e in p for e in expected))
    ]
    assert problems == []
    assert not page.evaluate(OVERFLOW), f"{page.url} scrolls sideways"
