"""Markers for known defects outside the code these tests may change; strict, so a fix turns them red."""

import pytest

# jinja2-fragments' render_block does not run a template's top-level `{% import %}` lines, so a block that
# uses the `f.`/`ui.` macros raises UndefinedError (500) when rendered alone for an HTMX request.
# Fix in templates/ (import inside the block) or app/ui/render.py, then delete this marker and its uses.
BLOCK_MACROS_UNDEFINED = pytest.mark.xfail(
    strict=True, reason="HTMX blocks cannot see top-level macro imports (render_block)",
)
