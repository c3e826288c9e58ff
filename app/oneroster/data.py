"""OneRoster vocabulary other packages may read."""

from flask_babel import lazy_gettext as _l

# The background jobs this domain starts, with the title their progress shows (registered by create_app).
JOB_KINDS = {
    "oneroster.validate": _l("Checking a roster import"),
    "oneroster.apply": _l("Applying a roster import"),
}
