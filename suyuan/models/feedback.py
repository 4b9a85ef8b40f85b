"""Consumer feedback (工单) sent from the scan page, followed with a check code (核对码)."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from suyuan.models.base import Base, bigint, created_at, intpk, str200, text, utcnow

if TYPE_CHECKING:
    from suyuan.models.accounts import User
    from suyuan.models.enterprises import Enterprise
    from suyuan.models.products import Attachment, Batch

FEEDBACK_CATEGORIES = ("suspected_fake", "quality", "adverse_reaction", "other")
#: The categories a regulator of the enterprise's region sees as well.
REGULATOR_CATEGORIES = ("suspected_fake", "adverse_reaction")
#: received (待受理) → in_progress (在办) → answered → closed.
FEEDBACK_STATUSES = ("received", "in_progress", "answered", "closed")


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[intpk]
    check_code: Mapped[str] = mapped_column(String(16), unique=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    code_index: Mapped[bigint]
    category: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[text]
    #: How to reach the consumer, only if they chose to give it; never shown publicly.
    contact: Mapped[str200] = mapped_column(default="")
    photo_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    enterprise: Mapped["Enterprise"] = relationship()
    batch: Mapped["Batch"] = relationship()
    photo: Mapped[Optional["Attachment"]] = relationship()
    events: Mapped[list["FeedbackEvent"]] = relationship(
        back_populates="feedback", order_by="FeedbackEvent.id", cascade="all, delete-orphan"
    )

    @property
    def concerns_regulator(self) -> bool:
        return self.category in REGULATOR_CATEGORIES

    @property
    def answers(self) -> list["FeedbackEvent"]:
        return [event for event in self.events if event.message]


class FeedbackEvent(Base):
    """A status change or an answer; answers are shown to the consumer with the check code."""

    __tablename__ = "feedback_events"

    id: Mapped[intpk]
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    message: Mapped[text] = mapped_column(default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    feedback: Mapped[Feedback] = relationship(back_populates="events")
    actor: Mapped[Optional["User"]] = relationship()
