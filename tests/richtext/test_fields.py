"""The form side: RichTextField and the kit's rich_text macro (label, toolbar, hidden input, help, errors, and
what the user typed coming back after a 422)."""

from __future__ import annotations

import re

from flask import render_template_string
from flask_wtf import FlaskForm

from app.richtext.services import MAX_HTML_BYTES, RichTextField, to_document
from app.ui.formflow import form_status, submit

PAGE = """{% import "ui/forms.html" as f %}{{ f.rich_text(form.body, doc=doc, help="Say what to do.") }}"""


class LessonForm(FlaskForm):
    class Meta:
        csrf = False

    body = RichTextField("Instructions")


def _render(app, data=None, doc=None, language="en"):
    method = "POST" if data is not None else "GET"
    with app.test_request_context("/", method=method, data=data or {}, headers={"Accept-Language": language}):
        form = LessonForm()
        outcome = submit(form, lambda: to_document(form.body.data, doc, field="body"))
        return outcome, form_status(form), render_template_string(PAGE, form=form, doc=doc)


def test_the_macro_renders_label_toolbar_editor_input_and_help(app):
    doc = to_document("<h2>Start</h2><p>Read <strong>page 4</strong>.</p>")
    _outcome, status, html = _render(app, doc=doc)
    assert status == 200
    assert '<span class="field__label" id="body-label">Instructions' in html
    assert '<trix-toolbar id="body-toolbar"' in html
    assert re.search(r'<trix-editor id="body-editor" input="body" toolbar="body-toolbar"', html)
    assert 'aria-labelledby="body-label" aria-describedby="body-status body-help"' in html
    assert '<p class="field__help" id="body-help">Say what to do.</p>' in html
    hidden = re.search(r'<input type="hidden" id="body" name="body" value="([^"]*)">', html).group(1)
    assert hidden == "&lt;h2&gt;Start&lt;/h2&gt;&lt;p&gt;Read &lt;strong&gt;page 4&lt;/strong&gt;.&lt;/p&gt;"
    assert 'data-upload-url="/richtext/images"' in html
    # The dialog inputs are owned by no form, so nothing of theirs is ever posted.
    assert 'name="href" form="body-dialog"' in html


def test_a_valid_post_gives_the_document(app):
    outcome, status, _html = _render(app, data={"body": "<p>Hello <em>class</em></p>"})
    assert outcome.done and status == 200
    assert outcome.value["blocks"][0]["html"] == "Hello <em>class</em>"


def test_a_two_megabyte_paste_comes_back_422_with_the_message_and_the_text(app):
    pasted = "<p>" + "lorem ipsum " * (2 * MAX_HTML_BYTES // 12) + "</p>"
    outcome, status, html = _render(app, data={"body": pasted})
    assert not outcome.done and status == 422
    assert '<p class="field-error" id="body-error">This text is too long to save (2.0 MB; the most is 1.0 MB).' in html
    assert 'aria-invalid="true"' in html and "body-error" in html
    assert html.count("lorem ipsum") > 100_000  # what they pasted is still in the editor


def test_the_too_long_message_is_in_spanish_for_spanish_readers(app):
    _outcome, status, html = _render(app, data={"body": "x" * (MAX_HTML_BYTES + 1)}, language="es")
    assert status == 422
    assert "Este texto es demasiado largo para guardarlo" in html
    assert "Negrita" in html and "Lista numerada" in html


def test_posted_html_comes_back_sanitised(app):
    _outcome, _status, html = _render(app, data={"body": "<p>ok<script>alert(1)</script><img src=x onerror=y></p>"})
    hidden = re.search(r'name="body" value="([^"]*)"', html).group(1)
    assert "script" not in hidden and "onerror" not in hidden and "ok" in hidden


def test_a_plain_text_field_works_with_the_macro_too(app):
    from wtforms import TextAreaField

    class Plain(FlaskForm):
        class Meta:
            csrf = False

        body = TextAreaField("Notes")

    with app.test_request_context("/"):
        html = render_template_string(PAGE, form=Plain(), doc=to_document("<p>kept</p>"))
    assert 'value="&lt;p&gt;kept&lt;/p&gt;"' in html
