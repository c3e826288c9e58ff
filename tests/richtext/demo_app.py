"""A tiny page with the rich-text editor, for browser tests only (never registered in the product).

    flask --app "tests.richtext.demo_app:create_demo_app()" run

/rtdemo/ edits one document per signed-in user (kept in memory), /rtdemo/show shows it rendered with its JSON,
/rtdemo/vectors renders every XSS vector through the pipeline under a CSP that would let inline script run, so a
browser proves that nothing in the sanitised output executes even without the real CSP's protection.
"""

from __future__ import annotations

import json

from flask import Blueprint, redirect, render_template_string, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField

from app import create_app
from app.richtext.services import RichTextField, render, to_document
from app.ui.formflow import form_status, submit
from tests.richtext.xss import VECTORS

EDIT = """{% extends "base.html" %}{% import "ui/forms.html" as f %}
{% block title %}Rich text demo{% endblock %}
{% block head %}{{ f.rich_text_assets() }}{% endblock %}
{% block content %}
<form method="post" action="{{ url_for('rtdemo.edit') }}" class="stack narrow-wide" novalidate>
  {{ f.csrf(form) }} {{ f.form_errors(form) }}
  {{ f.field(form.title) }}
  {{ f.rich_text(form.body, doc=doc, help="Headings, lists, links, images, tables and math.") }}
  <div class="form-actions">{{ f.button("Save") }}</div>
</form>
{% endblock %}"""

SHOW = """{% extends "base.html" %}
{% block content %}
<article class="card" id="rendered">{{ doc|rich_text }}</article>
<pre id="document">{{ document }}</pre>
<a href="{{ url_for('rtdemo.edit') }}">Edit</a>
{% endblock %}"""

VECTOR_PAGE = """<!doctype html><html><head><title>vectors</title></head><body>
{% for out in outputs %}<section>{{ out }}</section>{% endfor %}
<p id="done">done</p></body></html>"""


class DemoForm(FlaskForm):
    title = StringField("Title")
    body = RichTextField("Instructions")


def create_demo_app():
    app = create_app()
    bp = Blueprint("rtdemo", __name__, url_prefix="/rtdemo")
    store: dict[int, dict] = {}

    @bp.route("/", methods=["GET", "POST"])
    @login_required
    def edit():
        form = DemoForm()
        previous = store.get(current_user.id)
        outcome = submit(form, lambda: to_document(form.body.data, previous, field="body"))
        if outcome.done:
            store[current_user.id] = outcome.value
            return redirect(url_for("rtdemo.show"), 303)
        return render_template_string(EDIT, form=form, doc=previous), form_status(form)

    @bp.get("/show")
    @login_required
    def show():
        doc = store.get(current_user.id)
        return render_template_string(SHOW, doc=doc, document=json.dumps(doc, indent=1))

    @bp.get("/vectors")
    def vectors():
        outputs = [render(to_document(vector)) for vector in VECTORS]
        response = app.make_response(render_template_string(VECTOR_PAGE, outputs=outputs))
        response.headers["Content-Security-Policy"] = "default-src * 'unsafe-inline'; img-src * data:"
        return response

    app.register_blueprint(bp)
    return app
