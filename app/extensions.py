"""Flask extensions, created unbound here and wired in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by the socket's address: X-Forwarded-For is only trusted behind a configured proxy (ProxyFix).
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="moving-window")
