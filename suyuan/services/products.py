"""Products: the catalogue with its draft product filing, edits pinned by the filing, images."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from suyuan.extensions import db
from suyuan.models import Attachment, Batch, Enterprise, Filing, Product
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.services.files import sniff_content_type, store_upload
from suyuan.services.filings import refuse_locked_changes
from suyuan.vocab import CATEGORIES

PRODUCT_FIELDS = ("name", "category", "spec", "packaging_spec", "gtin", "description")
IMAGE_TYPES = ("image/png", "image/jpeg")


def _clean(values: dict) -> dict:
    cleaned = {f: (values[f] or "").strip() for f in PRODUCT_FIELDS if f in values}
    if "gtin" in cleaned:
        cleaned["gtin"] = cleaned["gtin"] or None
    if "category" in cleaned and cleaned["category"] not in CATEGORIES:
        raise DomainError(_("Choose a category from the list."), field="category")
    return cleaned


def _refuse_duplicate(enterprise: Enterprise, name: str, spec: str, product=None) -> None:
    query = select(Product.id).where(
        Product.enterprise_id == enterprise.id, Product.name == name, Product.spec == spec
    )
    if product is not None:
        query = query.where(Product.id != product.id)
    if db.session.scalar(query):
        raise Conflict(
            _("Your enterprise already has a product with this name and specification."),
            field="name",
        )


def create_product(enterprise: Enterprise, values: dict) -> Product:
    """A new product and its draft product filing (备案), to be submitted by the admin."""
    values = _clean(values)
    _refuse_duplicate(enterprise, values["name"], values.get("spec", ""))
    product = Product(enterprise=enterprise, **values)
    db.session.add(product)
    db.session.flush()
    db.session.add(Filing(enterprise=enterprise, kind="product", product=product))
    db.session.flush()
    return product


def update_product(product: Product, values: dict) -> None:
    values = _clean(values)
    refuse_locked_changes(product.filing, product, values)
    _refuse_duplicate(
        product.enterprise,
        values.get("name", product.name),
        values.get("spec", product.spec),
        product,
    )
    for field, value in values.items():
        setattr(product, field, value)
    db.session.flush()


def delete_product(product: Product) -> None:
    """Only a product without batches and not under review can go (its filing goes with it)."""
    has_batches = db.session.scalar(
        select(func.count(Batch.id)).where(Batch.product_id == product.id)
    )
    if has_batches:
        raise NotAllowed(_("This product has batches: it cannot be deleted."))
    if product.filing is not None and product.filing.status == "submitted":
        raise NotAllowed(_("This product's filing is under review: it cannot be deleted now."))
    for image in list(product.images):
        db.session.delete(image)
    if product.filing is not None:
        db.session.delete(product.filing)
    db.session.delete(product)
    db.session.flush()


def add_product_image(product: Product, file_storage) -> Attachment:
    """Attach a PNG or JPEG picture to the product (checked by content, not by name)."""
    head = file_storage.stream.read(16)
    file_storage.stream.seek(0)
    if sniff_content_type(head) not in IMAGE_TYPES:
        raise DomainError(_("Product images must be PNG or JPEG files."), field="image")
    return store_upload(file_storage, product.enterprise, product=product)


def delete_product_image(image: Attachment) -> None:
    db.session.delete(image)
    db.session.flush()


def products_query(enterprise: Enterprise, *, q: str = "", category: str | None = None):
    query = select(Product).where(Product.enterprise_id == enterprise.id)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                Product.name.ilike(pattern),
                Product.spec.ilike(pattern),
                Product.gtin.ilike(pattern),
            )
        )
    if category:
        query = query.where(Product.category == category)
    return query.order_by(Product.name, Product.id)
