from flask import Blueprint, redirect, url_for
from flask_login import current_user

from app.home.services import home_for
from app.ui.render import render

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render("home/index.html", data=home_for(current_user))
