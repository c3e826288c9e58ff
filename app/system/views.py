from flask import Blueprint, Response, current_app, jsonify, request

from app import assets
from app.errors import NotFound
from app.notifications.services import dev_mailbox
from app.system.services import health
from app.ui.render import render

bp = Blueprint("system", __name__)
# Registered by create_app in development only: outside it these URLs do not exist at all.
dev_bp = Blueprint("dev", __name__, url_prefix="/dev")
LOOPBACK = ("127.0.0.1", "::1")


@bp.get("/healthz")
def healthz():
    report = health()
    return jsonify(report), 200 if report["status"] == "ok" else 503


@dev_bp.get("/mail")
def dev_mail():
    # The file transport's mailbox holds every district's reset links: a developer's own machine only.
    if current_app.config["APP_ENV"] != "development" or request.remote_addr not in LOOPBACK:
        raise NotFound()
    return render("system/dev_mail.html", messages=dev_mailbox())


# Outside debug WhiteNoise answers these two before Flask (app/assets.py); with `flask run --debug` these views
# serve the same text, re-rendered when a static file changes.
@bp.get("/manifest.webmanifest")
def manifest():
    response = Response(assets.current().web_manifest(), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/sw.js")
def service_worker():
    # no-cache: a deploy must reach installed workers at once.
    response = Response(assets.current().service_worker(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/offline")
def offline():
    return render("system/offline.html")
