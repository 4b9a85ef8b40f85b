"""Flask extensions, created unbound here and initialised in the app factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from suyuan.clients import client_address
from suyuan.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by the client address, X-Forwarded-For believed only from SUYUAN_TRUSTED_PROXIES.
limiter = Limiter(key_func=client_address, default_limits=[])
