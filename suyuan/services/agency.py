"""Agency products (本企业代理): one agent enterprise per GTIN; a regulator of the agent's
region or the platform admin unbinds (解绑) so that another enterprise may bind it."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from suyuan.extensions import db
from suyuan.models import AgencyBinding, Enterprise, Product, User
from suyuan.models.base import utcnow
from suyuan.services.errors import Conflict, DomainError, NotAllowed
from suyuan.services.filings import in_region


def live_binding(gtin: str) -> AgencyBinding | None:
    return db.session.scalar(
        select(AgencyBinding).where(AgencyBinding.gtin == gtin, AgencyBinding.unbound_at.is_(None))
    )


def bind_agency(actor: User, product: Product) -> AgencyBinding:
    """Declare ``product`` as one the enterprise sells as agent (by its GTIN)."""
    if not product.gtin:
        raise DomainError(_("Only a product with a GTIN (barcode) can be declared as agency."))
    current = live_binding(product.gtin)
    if current is not None and current.enterprise_id == product.enterprise_id:
        raise Conflict(_("Your enterprise is already the agent of this product."))
    if current is not None:
        raise Conflict(
            _(
                "GTIN %(gtin)s is bound to another agent enterprise (%(name)s). "
                "A regulator must unbind it before your enterprise can bind it.",
                gtin=product.gtin,
                name=current.enterprise.name,
            )
        )
    binding = AgencyBinding(
        gtin=product.gtin,
        product=product,
        enterprise_id=product.enterprise_id,
        bound_by=actor,
    )
    db.session.add(binding)
    db.session.flush()
    return binding


def unbind_agency(binding: AgencyBinding, actor: User, reason: str) -> None:
    if not binding.is_live:
        raise NotAllowed(_("This binding has already been unbound."))
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for unbinding."), field="reason")
    binding.unbound_at = utcnow()
    binding.unbound_by = actor
    binding.unbind_reason = reason.strip()
    db.session.flush()


def bindings_query(*, region: str | None = None, enterprise=None, q: str = "", live=None):
    """Bindings in a regulator's ``region`` (None: all, for the platform admin) or of one
    ``enterprise``; ``live`` True/False filters on being bound now."""
    query = select(AgencyBinding).join(Enterprise).join(Product)
    if region is not None:
        query = query.where(in_region(region))
    if enterprise is not None:
        query = query.where(AgencyBinding.enterprise_id == enterprise.id)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                AgencyBinding.gtin.ilike(pattern),
                Product.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.credit_code.ilike(pattern),
            )
        )
    if live is True:
        query = query.where(AgencyBinding.unbound_at.is_(None))
    elif live is False:
        query = query.where(AgencyBinding.unbound_at.is_not(None))
    return query.order_by(AgencyBinding.bound_at.desc(), AgencyBinding.id.desc())
