"""Locale choice: an explicit ?lang= switch (remembered in the session), else Accept-Language."""

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # the CLI and background work speak the default language
        return default
    chosen = match_language(request.args.get("lang", ""), languages)
    if chosen:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return negotiate(request.accept_languages, languages) or default


def match_language(tag: str, languages) -> str | None:
    """``tag`` or its primary subtag among ``languages``: ``en-GB`` → ``en``,
    ``zh-Hans-CN`` → ``zh``; None when neither is offered."""
    tag = tag.strip().replace("_", "-").lower()
    for candidate in (tag, tag.split("-", 1)[0]):
        if candidate in languages:
            return candidate
    return None


def negotiate(accepted, languages) -> str | None:
    """The first accepted language, in the client's order of preference, that we offer
    exactly or by its primary subtag.

    Werkzeug's ``best_match`` prefers any exact match over a better-ranked partial one, so
    ``en-GB, zh;q=0.5`` would give Chinese to someone who asked for English first.
    """
    for tag, quality in accepted:  # werkzeug keeps these sorted by quality, best first
        if quality > 0 and tag != "*":
            chosen = match_language(tag, languages)
            if chosen:
                return chosen
    return None
