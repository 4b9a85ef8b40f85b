"""All models, importable from one place (``from suyuan.models import Batch``)."""

from suyuan.models.accounts import Membership, User
from suyuan.models.base import Base
from suyuan.models.codes import CodePool, CodeRange
from suyuan.models.enterprises import Enterprise, Filing, FilingEvent, ProductionArea
from suyuan.models.labels import PrintRun
from suyuan.models.products import Attachment, Batch, Product, StageRecord
from suyuan.models.publication import PublicationEvent

__all__ = [
    "Attachment",
    "Base",
    "Batch",
    "CodePool",
    "CodeRange",
    "Enterprise",
    "Filing",
    "FilingEvent",
    "Membership",
    "PrintRun",
    "Product",
    "ProductionArea",
    "PublicationEvent",
    "StageRecord",
    "User",
]
