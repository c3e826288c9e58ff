"""Flask extensions, created unbound here and wired in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by the client's address: the socket's, or with TRUSTED_PROXIES set the one ProxyFix takes from
# X-Forwarded-For (create_app wires it), so a spoofed header from the outside changes nothing.
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="moving-window")
