"""Request plumbing shared by every blueprint: the user loader, the SQLite engine hooks,
template globals and security headers."""

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from suyuan import permissions
from suyuan.database import configure_engine
from suyuan.extensions import db, login_manager
from suyuan.identity import group
from suyuan.inline_style import inline_stylesheet, style_source
from suyuan.regions import region_name
from suyuan.vocab import label_for

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' {style}; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)

    with app.app_context():
        configure_engine(db.engine)

    app.jinja_env.globals.update(permissions.TEMPLATE_PREDICATES)
    app.jinja_env.globals.update(
        get_locale=lambda: str(get_locale()),
        lang_url=lang_url,
        region_name=lambda code: region_name(code, str(get_locale())),
        label_for=label_for,
        has_endpoint=lambda name: name in app.view_functions,
        inline_stylesheet=inline_stylesheet,
    )
    app.jinja_env.filters["code_groups"] = group
    app.after_request(security_headers)


def load_user(user_id: str):
    from suyuan.models import User

    uid, _, version = user_id.partition(":")
    if not uid.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user


def lang_url(lang: str) -> str:
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    args["lang"] = lang
    return url_for(request.endpoint or "query.index", **args)


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP.format(style=style_source()))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response
