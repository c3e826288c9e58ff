"""Security headers on every response; the CSP allows no inline script or style and no eval."""

from flask import abort, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
# Only these bodies become request.form; parsing the form of any other request would find nothing to refuse.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _has_nul(source) -> bool:
    return any("\x00" in value for values in source.listvalues() for value in values)


def init_app(app) -> None:
    # Decided once per process: which headers, under their lower-case names for the one check per response.
    defaults = tuple(
        (name.lower(), name, value) for name, value in (*HEADERS, *([HSTS] if _is_production(app) else []))
    )

    @app.before_request
    def _refuse_nul_bytes():
        # PostgreSQL cannot store NUL in text; no person types one, so refuse it before any query sees it.
        if request.query_string and _has_nul(request.args):
            abort(400)
        if request.mimetype in FORM_TYPES and _has_nul(request.form):
            abort(400)

    @app.after_request
    def _headers(response):
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}  # a view's own header wins over the default
        headers.extend([(name, value) for lower, name, value in defaults if lower not in present])
        # Signed-in pages hold student data: never kept by shared caches or the back-forward cache of others.
        if "cache-control" not in present and response.mimetype == "text/html":
            headers["Cache-Control"] = "no-store"
        return response


def _is_production(app) -> bool:
    return app.config["APP_ENV"] == "production"
