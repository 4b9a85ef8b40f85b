"""The help centre: task guides and an FAQ in both languages, with a keyword search.

Guides are long prose, so each language has its own template
(``help/<locale>/<slug>.html``) instead of one gettext string per paragraph; the titles in
``GUIDES`` go through the catalog like every other string.
"""

import re
from dataclasses import dataclass

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from query import bp


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    audience: str


GUIDES = (
    Guide("register", _l("Register your enterprise"), _l("Producers")),
    Guide("filing", _l("File your enterprise and products (备案)"), _l("Producers")),
    Guide("batches", _l("Record a batch and its stage records"), _l("Producers")),
    Guide("codes", _l("Bind identity codes and print labels"), _l("Producers")),
    Guide("publish", _l("Choose what consumers see"), _l("Enterprise admins")),
    Guide("recall", _l("Answer a recall"), _l("Producers")),
    Guide("scan", _l("Check a product with its code"), _l("Consumers")),
    Guide("faq", _l("Frequently asked questions"), _l("Everyone")),
)
BY_SLUG = {guide.slug: guide for guide in GUIDES}
TAGS = re.compile(r"<[^>]+>")


def guide_template(slug: str) -> str:
    locale = "zh" if str(get_locale()) == "zh" else "en"
    return f"help/{locale}/{slug}.html"


def guide_text(slug: str) -> str:
    """The guide as plain text in the current language, for the keyword search."""
    return TAGS.sub(" ", render_template(guide_template(slug)))


def search(query: str) -> list[Guide]:
    words = query.casefold().split()
    found = []
    for guide in GUIDES:
        text = f"{guide.title} {guide_text(guide.slug)}".casefold()
        if all(word in text for word in words):
            found.append(guide)
    return found


@bp.route("/help")
def help_index():
    query = request.args.get("q", "").strip()[:100]
    guides = search(query) if query else list(GUIDES)
    return render_template("help/index.html", guides=guides, query=query)


@bp.route("/help/<slug>")
def help_guide(slug: str):
    guide = BY_SLUG.get(slug)
    if guide is None:
        abort(404)
    body = Markup(render_template(guide_template(slug)))  # noqa: S704 - our own template
    return render_template("help/guide.html", guide=guide, body=body, guides=GUIDES)
