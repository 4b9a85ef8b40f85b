"""OpenGraph and description tags for a shared scan page (chat apps and social sites show
them as the link preview).

They are built only from the chain that ``suyuan.services.trace.public_chain`` returns, so a
preview can never say more than the page itself: the product's name only when the product is
published, the producer's only when its profile is public, no unpublished text at all.
"""

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from query import bp

OG_LOCALES = {"zh": "zh_CN", "en": "en_US"}


@bp.app_template_global()
def scan_meta(chain: dict) -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples for ``<meta>`` tags describing ``chain``."""
    base = current_app.config["BASE_URL"]
    title = _title(chain)
    description = _description(chain)
    tags = [
        ("name", "description", description),
        ("property", "og:type", "website"),
        ("property", "og:site_name", _("Suyuan traceability")),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", base + url_for("query.scan", code=chain["code"])),
        ("property", "og:locale", OG_LOCALES.get(str(get_locale()), "en_US")),
    ]
    image = _first_image(chain)
    if image is not None:
        tags.append(("property", "og:image", base + image["url"]))
        tags.append(("property", "og:image:alt", title))
    return tags


def _title(chain: dict) -> str:
    if chain["status"] == "void":
        return _("This code was voided by the producer")
    if chain["product"]:
        return chain["product"]["name"]
    return _("Registered identity code")


def _description(chain: dict) -> str:
    """Who made it and which lot, as far as published; otherwise what the code is."""
    parts = []
    if chain["enterprise"]:
        parts.append(_("Produced by %(name)s", name=chain["enterprise"]["name"]))
    if chain["batch"]:
        parts.append(_("Lot %(lot)s", lot=chain["batch"]["lot_number"]))
    if chain["status"] != "void":
        published = chain["published"]
        parts.append(
            _(
                "%(n)s of %(m)s stage records are published",
                n=published["stages"],
                m=published["total_stages"],
            )
        )
    if not parts:
        return _("An identity code registered with Suyuan traceability.")
    return " · ".join(parts)


def _first_image(chain: dict) -> dict | None:
    product = chain["product"]
    if not product:
        return None
    return next((f for f in product["images"] if f["content_type"].startswith("image/")), None)
