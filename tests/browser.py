"""A test client that carries the CSRF token like the pages do (meta tag and hx-headers)."""

from __future__ import annotations

import re

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    def __init__(self, app):
        self.client = app.test_client()
        self.token: str | None = None

    def _remember(self, response):
        match = CSRF_META.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if match:
            self.token = match.group(1)
        return response

    def get(self, url, htmx: bool = False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self._remember(self.client.get(url, headers=headers, **kwargs))

    def post(self, url, data=None, htmx: bool = False, csrf: bool = True, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            if self.token is None:
                self.get("/account/login")
            headers["X-CSRFToken"] = self.token
        return self._remember(self.client.post(url, data=data or {}, headers=headers, **kwargs))

    def login(self, email: str, password: str = "chalkline-demo"):
        self.get("/account/login")
        response = self.post("/account/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        self.get("/")
        return response
