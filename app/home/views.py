from flask import Blueprint, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.home.services import home_for
from app.ui.context import NavEntry
from app.ui.render import render

# The one blueprint at the root besides `system`: "/" is every role's home page.
bp = Blueprint("home", __name__, url_prefix="/")
NAV = (NavEntry(0, "home.index", _l("Home")),)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render("home/index.html", data=home_for(current_user))
