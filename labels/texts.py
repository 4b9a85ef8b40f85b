"""Translation for the pure renderers: Flask-Babel's catalog when an app is active, the
English text otherwise, so the renderers import and run without Flask."""


def _(message: str, **params) -> str:
    try:
        from flask_babel import gettext  # deferred: only an app has a catalog to offer
    except ImportError:  # pragma: no cover - the renderers used outside the web app
        return message % params if params else message
    return gettext(message, **params)
