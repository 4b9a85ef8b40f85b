"""What a Digital Link resolves to: the published products of a GTIN, the published batches
of a lot, and the RFC 9264 linkset of each level.

The page dictionaries are built by the same functions as the scan page's trace chain
(``services.trace``), so a product or lot page cannot show more than a scan would.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from suyuan.extensions import db
from suyuan.models import Batch, CodeRange, Product
from suyuan.services import trace
from suyuan.services.digital_link import DigitalLink, batch_link, gtin_forms, product_link
from suyuan.vocab import label_for

GS1_VOC = "https://gs1.org/voc/"
DEFAULT_LINK = GS1_VOC + "defaultLink"
PIP = GS1_VOC + "pip"
TRACEABILITY = GS1_VOC + "traceability"
RECALL_STATUS = GS1_VOC + "recallStatus"
CERTIFICATION_INFO = GS1_VOC + "certificationInfo"
EPCIS = GS1_VOC + "epcis"
LINKSET_TYPE = "application/linkset+json"
BATCHES_PER_PAGE = 20


def public_products(gtin: str) -> list[Product]:
    """The published products carrying ``gtin`` (normally one)."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.gtin.in_(gtin_forms(gtin)), Product.is_public.is_(True))
            .order_by(Product.id)
        )
    )


def public_lot_batches(gtin: str, lot: str) -> list[Batch]:
    """The published batches numbered ``lot`` of a product carrying ``gtin``."""
    return list(
        db.session.scalars(
            select(Batch)
            .join(Product, Batch.product_id == Product.id)
            .where(
                Product.gtin.in_(gtin_forms(gtin)),
                Batch.lot_number == lot,
                Batch.is_public.is_(True),
            )
            .order_by(Batch.id)
        )
    )


def public_batches_query(products: list[Product]):
    """The published batches of ``products``, newest first, for a paginated list."""
    return (
        select(Batch)
        .where(Batch.product_id.in_([p.id for p in products]), Batch.is_public.is_(True))
        .order_by(Batch.production_date.desc(), Batch.id.desc())
    )


def product_entries(products: list[Product]) -> list[dict]:
    return [
        {"product": trace._product(p), "enterprise": trace._enterprise(p.enterprise, p)}
        for p in products
    ]


def batch_summary(batch: Batch) -> dict:
    """One row of a product page's batch list (the batch is published)."""
    link = batch_link(batch)
    return {
        "product": batch.product.name if batch.product.is_public else None,
        "lot_number": batch.lot_number,
        "production_date": batch.production_date.isoformat(),
        "status_label": label_for("batch_status", batch.status),
        "url": link.uri(base_url()) if link else None,
    }


def lot_entries(batches: list[Batch]) -> list[dict]:
    """Each published batch as the scan page shows it, less the code."""
    entries = []
    for batch in batches:
        product = batch.product
        stages = trace._stages(batch.submitted_records)
        entries.append(
            {
                "product": trace._product(product),
                "product_url": _product_url(product),
                "batch": trace._batch(batch),
                "enterprise": trace._enterprise(product.enterprise, product),
                "stages": stages,
                "published": {"stages": len(stages), "total_stages": len(batch.submitted_records)},
            }
        )
    return entries


# Linksets (RFC 9264, GS1-Conformant resolver 1.x): link relation → list of target objects.


def product_links(link: DigitalLink, products: list[Product]) -> dict:
    here = link.uri(base_url())
    links = {DEFAULT_LINK: [_page(here, _("Product information"))]}
    links[PIP] = [_page(here, _("Product information"))]
    _add_certification(links, products, here + "#filings")
    return links


def lot_links(link: DigitalLink, batches: list[Batch]) -> dict:
    here = link.uri(base_url())
    products = [b.product for b in batches]
    links = {
        DEFAULT_LINK: [_page(here, _("Production batch and its records"))],
        TRACEABILITY: [_page(here, _("Production batch and its records"))],
        RECALL_STATUS: [_page(here, _("Recall status of this batch"))],
    }
    _add_product_page(links, products)
    _add_certification(links, products, here + "#filings")
    return links


def serial_links(link: DigitalLink, code_range: CodeRange) -> dict:
    here = link.uri(base_url())
    product = code_range.batch.product
    epcis = f"{base_url()}/q/{link.serial}/epcis.json"
    links = {
        DEFAULT_LINK: [_page(here, _("Trace this item"))],
        TRACEABILITY: [_page(here, _("Trace this item"))],
        RECALL_STATUS: [_page(here, _("Recall status of this item"))],
        EPCIS: [
            {"href": epcis, "title": _("Trace events (EPCIS 2.0)"), "type": "application/ld+json"}
        ],
    }
    _add_product_page(links, [product])
    _add_certification(links, [product], here)
    return links


def linkset(anchor: str, links: dict) -> dict:
    return {"linkset": [{"anchor": anchor, **links}]}


def link_relation(value: str) -> str:
    """``gs1:pip`` and ``http://gs1.org/voc/pip`` → ``https://gs1.org/voc/pip``."""
    for prefix in ("gs1:", "http://gs1.org/voc/", "https://gs1.org/voc/"):
        if value.startswith(prefix):
            return GS1_VOC + value[len(prefix) :]
    return value


def resolver_description() -> dict:
    """``/.well-known/gs1resolver`` (GS1-Conformant resolver description file)."""
    return {
        "name": _("Suyuan traceability"),
        "resolverRoot": base_url(),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "linkTypeDefaultCanBeAll": False,
        "supportedContextValuesEnumerated": [],
        "supportedContextValuesExternal": [],
    }


def base_url() -> str:
    return current_app.config["BASE_URL"]


def _page(href: str, title: str) -> dict:
    """A link to one of our HTML pages; they speak every configured language."""
    return {
        "href": href,
        "title": title,
        "type": "text/html",
        "hreflang": list(current_app.config["LANGUAGES"]),
    }


def _product_url(product: Product) -> str | None:
    link = product_link(product) if product.is_public else None
    return link.uri(base_url()) if link else None


def _add_product_page(links: dict, products: list[Product]) -> None:
    urls = sorted({url for url in map(_product_url, products) if url})
    if urls:
        links[PIP] = [_page(url, _("Product information")) for url in urls]


def _add_certification(links: dict, products: list[Product], page: str) -> None:
    """Filing statuses, where the producer published them and one is approved."""
    for product in products:
        enterprise = trace._enterprise(product.enterprise, product)
        filings = enterprise and enterprise["filings"]
        if filings and "approved" in (filings["enterprise"], filings["product"]):
            title = _("Filings approved by the regulator")
            links[CERTIFICATION_INFO] = [_page(page, title)]
            return
