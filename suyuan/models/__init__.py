"""All models, importable from one place (``from suyuan.models import Batch``)."""

from suyuan.models.accounts import Membership, User
from suyuan.models.base import Base
from suyuan.models.codes import CodePool, CodeRange
from suyuan.models.enterprises import Enterprise, Filing, FilingEvent, ProductionArea
from suyuan.models.feedback import Feedback, FeedbackEvent
from suyuan.models.products import Attachment, Batch, Product, StageRecord
from suyuan.models.publication import PublicationEvent
from suyuan.models.scans import (
    BatchSalesRegion,
    ScanDaily,
    ScanEvent,
    ScanRules,
    SuspicionFlag,
)

__all__ = [
    "Attachment",
    "BatchSalesRegion",
    "Base",
    "Batch",
    "CodePool",
    "CodeRange",
    "Enterprise",
    "Feedback",
    "FeedbackEvent",
    "Filing",
    "FilingEvent",
    "Membership",
    "Product",
    "ProductionArea",
    "PublicationEvent",
    "ScanDaily",
    "ScanEvent",
    "ScanRules",
    "StageRecord",
    "SuspicionFlag",
    "User",
]
