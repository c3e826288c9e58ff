"""The yardstick for perf/request_path.py: a bare Flask app whose /<n> answers an HTML page of exactly n bytes.

No session, database, template or extension: what gunicorn and Flask alone cost for a response of that size.
    gunicorn -w 3 --chdir perf bare_page:app
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)
_HEAD = b"<!doctype html><html><head><title>bare</title></head><body><p>"
_TAIL = b"</p></body></html>\n"


@app.get("/<int:size>")
def page(size: int) -> Response:
    filler = max(0, size - len(_HEAD) - len(_TAIL))
    return Response(_HEAD + b"x" * filler + _TAIL, mimetype="text/html")
