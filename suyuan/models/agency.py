"""Agency products (本企业代理, seeds 001 and 003): an enterprise declares that it is the agent
for a product by GTIN; one agent per GTIN at a time, until a regulator unbinds it (解绑)."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, created_at, intpk
from suyuan.models.base import text as text_column

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise
    from suyuan.models.products import Product


class AgencyBinding(Base):
    __tablename__ = "agency_bindings"
    __table_args__ = (
        # One live agent per GTIN, enforced by the database (partial unique index).
        Index(
            "uq_agency_bindings_live_gtin",
            "gtin",
            unique=True,
            sqlite_where=text("unbound_at IS NULL"),
            postgresql_where=text("unbound_at IS NULL"),
        ),
    )

    id: Mapped[intpk]
    gtin: Mapped[str] = mapped_column(String(14))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    bound_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    bound_at: Mapped[created_at]
    unbound_at: Mapped[Optional[datetime]]
    unbound_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    unbind_reason: Mapped[text_column] = mapped_column(default="")

    product: Mapped["Product"] = relationship()
    enterprise: Mapped["Enterprise"] = relationship()
    bound_by: Mapped["User"] = relationship(foreign_keys=[bound_by_id])
    unbound_by: Mapped[Optional["User"]] = relationship(foreign_keys=[unbound_by_id])

    @property
    def is_live(self) -> bool:
        return self.unbound_at is None
