from flask import Blueprint, current_app, jsonify, send_from_directory

from app.errors import NotFound
from app.notifications.services import dev_mailbox
from app.system.services import health
from app.ui.render import render

bp = Blueprint("system", __name__)


@bp.get("/healthz")
def healthz():
    report = health()
    return jsonify(report), 200 if report["status"] == "ok" else 503


@bp.get("/dev/mail")
def dev_mail():
    # A developer's mailbox for the file transport; it does not exist outside development.
    if current_app.config["APP_ENV"] != "development":
        raise NotFound()
    return render("system/dev_mail.html", messages=dev_mailbox())


@bp.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(current_app.static_folder, "manifest.webmanifest", mimetype="application/manifest+json")


@bp.get("/sw.js")
def service_worker():
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    return render("system/offline.html")
