"""Plain constants other packages may read: the uses beyond the district's COPPA authorisation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Uses that need a parent's consent on top of the district's educational authorisation (COPPA).
CONSENT_USES = {
    "portfolio_public": _l("Share the student's portfolio outside the school"),
    "outside_integration": _l("Send the student's data to an outside integration"),
}
