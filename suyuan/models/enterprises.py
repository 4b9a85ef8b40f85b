"""Enterprises (the tenant boundary), their production areas and filings (备案)."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk, str64, str200, text

if TYPE_CHECKING:
    from suyuan.models.accounts import Membership, User
    from suyuan.models.products import Product


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[intpk]
    name: Mapped[str200]
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    address: Mapped[str200]
    legal_representative: Mapped[str64]
    contact_name: Mapped[str64]
    contact_phone: Mapped[str64]
    profile: Mapped[text] = mapped_column(default="")
    #: 开通查询 for the enterprise profile item.
    is_profile_public: Mapped[bool] = mapped_column(default=False)
    #: 开通查询 for the filing item (enterprise and product filing status).
    is_filings_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    memberships: Mapped[list["Membership"]] = relationship(back_populates="enterprise")
    areas: Mapped[list["ProductionArea"]] = relationship(
        back_populates="enterprise", order_by="ProductionArea.name"
    )
    products: Mapped[list["Product"]] = relationship(
        back_populates="enterprise", order_by="Product.name"
    )
    filings: Mapped[list["Filing"]] = relationship(
        back_populates="enterprise",
        foreign_keys="Filing.enterprise_id",
        order_by="Filing.id",
    )

    @property
    def enterprise_filing(self) -> Optional["Filing"]:
        return next((f for f in self.filings if f.kind == "enterprise"), None)

    @property
    def is_approved(self) -> bool:
        filing = self.enterprise_filing
        return filing is not None and filing.status == "approved"


class ProductionArea(Base):
    """生产区: an orchard, a field, a plant or a workshop."""

    __tablename__ = "production_areas"
    __table_args__ = (UniqueConstraint("enterprise_id", "name"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    name: Mapped[str200]
    location: Mapped[str200] = mapped_column(default="")
    area_size: Mapped[str64] = mapped_column(default="")
    description: Mapped[text] = mapped_column(default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]

    enterprise: Mapped[Enterprise] = relationship(back_populates="areas")


FILING_STATUSES = ("draft", "submitted", "approved", "rejected")


class Filing(Base):
    """备案: an enterprise or product filing reviewed by a regulator of the enterprise's region.

    draft → submitted → approved | rejected; a rejected filing is edited and submitted again.
    ``snapshot`` keeps what was submitted, so the regulator reviews exactly that.
    """

    __tablename__ = "filings"
    __table_args__ = (UniqueConstraint("enterprise_id", "kind", "product_id"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "enterprise" | "product"
    product_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    snapshot: Mapped[text] = mapped_column(default="{}")
    submitted_at: Mapped[Optional[datetime]]
    decided_at: Mapped[Optional[datetime]]
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[text] = mapped_column(default="")
    created_at: Mapped[created_at]

    enterprise: Mapped[Enterprise] = relationship(
        back_populates="filings", foreign_keys=[enterprise_id]
    )
    product: Mapped[Optional["Product"]] = relationship(back_populates="filing")
    decided_by: Mapped[Optional["User"]] = relationship()
    events: Mapped[list["FilingEvent"]] = relationship(
        back_populates="filing", order_by="FilingEvent.id", cascade="all, delete-orphan"
    )


class FilingEvent(Base):
    """The history of a filing: every submit, approval and rejection, with its actor."""

    __tablename__ = "filing_events"

    id: Mapped[intpk]
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[text] = mapped_column(default="")
    created_at: Mapped[created_at]

    filing: Mapped[Filing] = relationship(back_populates="events")
    actor: Mapped["User"] = relationship()
