"""GS1 Digital Link resolver: ``/01/<gtin>[/10/<lot>][/21/<serial>]`` and
``/.well-known/gs1resolver``.

We host the pages we would redirect to, so the default link is served in place (the page
a consumer sees for a serial is the scan page of its code, byte for byte) instead of costing
every scan a redirect. ``?linkType=linkset`` (or ``all``) and ``Accept:
application/linkset+json`` answer the RFC 9264 linkset; any other ``linkType`` redirects
(307) to that link, or to the default link when the item has none of that type, as
GS1-Conformant resolvers do. A path that is not a Digital Link, or a GTIN with a wrong
length or check digit, answers 400; a well-formed one that names nothing published, 404.
"""

from urllib.parse import quote, urlsplit

from flask import jsonify, make_response, redirect, render_template, request
from flask_babel import gettext as _

from query import bp, views
from suyuan.errors import render_error, wants_json
from suyuan.extensions import db, limiter
from suyuan.identity import CodeError, code_key
from suyuan.services import resolver
from suyuan.services.codes import resolve_code
from suyuan.services.digital_link import DigitalLinkError, gtin14, parse_path

# The scan view without its own rate-limit wrapper: this view is limited already.
_scan_page = views.scan.__wrapped__


@bp.route("/01/<gtin>", defaults={"qualifiers": ""})
@bp.route("/01/<gtin>/<path:qualifiers>")
@limiter.limit(views.SCAN_LIMIT)
def digital_link(gtin, qualifiers):
    try:
        link = parse_path(_raw_path())
    except DigitalLinkError as error:
        return _bad_link(error.message)
    if link.serial is not None:
        return _serial(link)
    if link.lot is not None:
        batches = resolver.public_lot_batches(link.gtin, link.lot)
        if not batches:
            return _not_found(_("No published batch has this lot number and GTIN."))
        links = resolver.lot_links(link, batches)
        return _respond(link, links, lambda: _lot_page(link, batches))
    products = resolver.public_products(link.gtin)
    if not products:
        return _not_found(_("No published product has this GTIN."))
    links = resolver.product_links(link, products)
    return _respond(link, links, lambda: _product_page(link, products))


@bp.route("/.well-known/gs1resolver")
def gs1resolver():
    response = jsonify(resolver.resolver_description())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _serial(link):
    """The unit's own page is the scan page of its code; the code must belong to a product
    with this GTIN (and to this lot, if one is named), else it is not this item: 404."""
    code = link.serial
    try:
        code_range = resolve_code(code_key().decode(code))
    except CodeError:
        code_range = None
    if code_range is None or code_range.status != "bound":
        return _scan_page(code)  # the scan page's own answer: unknown, mistyped or voided
    batch = code_range.batch
    gtin = batch.product.gtin
    if not gtin or gtin14(gtin) != link.gtin or link.lot not in (None, batch.lot_number):
        return views._problem("unregistered", code, wants_json() or _wants_linkset())
    return _respond(link, resolver.serial_links(link, code_range), lambda: _scan_page(code))


def _respond(link, links: dict, page):
    """The linkset, a redirect to the requested link type, or the page itself."""
    anchor = link.uri(resolver.base_url())
    wanted = request.args.get("linkType", "").strip()
    if wanted in ("linkset", "all") or (not wanted and _wants_linkset()):
        response = make_response(jsonify(resolver.linkset(anchor, links)))
        response.mimetype = resolver.LINKSET_TYPE
        response.headers["Access-Control-Allow-Origin"] = "*"
        return _vary(response)
    relation = resolver.link_relation(wanted) if wanted else resolver.DEFAULT_LINK
    if relation != resolver.DEFAULT_LINK:
        target = links.get(relation, links[resolver.DEFAULT_LINK])[0]["href"]
        return _vary(redirect(target, 307))
    response = make_response(page())
    response.headers["Link"] = (
        f'<{anchor}?linkType=linkset>; rel="linkset"; type="{resolver.LINKSET_TYPE}"'
    )
    return _vary(response)


def _product_page(link, products):
    entries = resolver.product_entries(products)
    page = db.paginate(resolver.public_batches_query(products), per_page=resolver.BATCHES_PER_PAGE)
    batches = [resolver.batch_summary(b) for b in page.items]
    if wants_json():
        return jsonify(gtin=link.gtin, products=entries, batches=batches, total=page.total)
    return render_template(
        "query/product.html", gtin=link.gtin, entries=entries, batches=batches, page=page
    )


def _lot_page(link, batches):
    entries = resolver.lot_entries(batches)
    if wants_json():
        return jsonify(gtin=link.gtin, lot=link.lot, batches=entries)
    return render_template("query/batch.html", gtin=link.gtin, lot=link.lot, entries=entries)


def _raw_path() -> str:
    """The path as sent, before percent-decoding (a lot may hold an encoded slash); servers
    that do not pass it on give the decoded path, re-encoded segment by segment."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        return quote(request.path)
    path = urlsplit(raw).path
    root = request.script_root
    return path[len(root) :] if root and path.startswith(root) else path


def _wants_linkset() -> bool:
    """The client named the linkset type (a bare ``*/*`` gets the page) at least as high
    as HTML."""
    named = _named_quality(resolver.LINKSET_TYPE)
    return named > 0 and named >= _named_quality("text/html")


def _named_quality(mimetype: str) -> float:
    return max((q for value, q in request.accept_mimetypes if value.lower() == mimetype), default=0)


def _bad_link(message: str):
    if wants_json() or _wants_linkset():
        return _vary(make_response(jsonify(error=message, status=400), 400))
    return _vary(make_response(*render_error(400, message)))


def _not_found(message: str):
    if wants_json() or _wants_linkset():
        return _vary(make_response(jsonify(error=message, status=404), 404))
    return _vary(make_response(*render_error(404, message)))


def _vary(response):
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
