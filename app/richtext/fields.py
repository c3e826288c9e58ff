"""The WTForms field for rich text. Other packages' forms import it from app.richtext.services."""

from __future__ import annotations

from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import HiddenInput

from app.richtext.document import to_editor_html
from app.richtext.sanitize import MAX_HTML_BYTES, clean_html, too_long_message


class RichTextField(Field):
    """Rich text edited in the kit's editor (`{{ f.rich_text(form.body, doc=...) }}`).

    After a post, `data` is the posted HTML as typed (pass it to the service, which calls to_document); otherwise
    it is whatever the form was built with (a stored Document, or None). HTML over `max_bytes` fails validation
    with the same message to_document gives, so the page comes back (422) with the text still in the editor."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, max_bytes: int = MAX_HTML_BYTES, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_bytes = max_bytes

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0]

    def pre_validate(self, form):
        if isinstance(self.data, str):
            size = len(self.data.encode("utf-8", "surrogatepass"))
            if size > self.max_bytes:
                raise StopValidation(too_long_message(size, self.max_bytes))

    def editor_html(self, doc: dict | None = None) -> str:
        """What the editor starts with: the posted HTML (sanitised, never capped, so nothing typed is lost), else
        `doc` or the field's Document."""
        if self.raw_data:
            return clean_html(self.raw_data[0], limit=None)
        value = doc if doc is not None else self.data
        if isinstance(value, dict):
            return to_editor_html(value)
        return clean_html(value, limit=None) if isinstance(value, str) else ""

    def _value(self) -> str:
        return self.editor_html()
