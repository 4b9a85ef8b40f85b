"""Locale choice: an explicit ?lang= switch (remembered in the session), else Accept-Language."""

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(list(languages)) or "zh"
