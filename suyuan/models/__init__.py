"""All models, importable from one place (``from suyuan.models import Batch``)."""

from suyuan.models.accounts import Membership, User
from suyuan.models.api import ApiToken, IdempotencyKey
from suyuan.models.audit import AuditEntry
from suyuan.models.base import Base
from suyuan.models.codes import CodePool, CodeRange
from suyuan.models.enterprises import Enterprise, Filing, FilingEvent, ProductionArea
from suyuan.models.imports import ImportRun
from suyuan.models.products import Attachment, Batch, Product, StageRecord
from suyuan.models.publication import PublicationEvent

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Base",
    "Batch",
    "CodePool",
    "CodeRange",
    "Enterprise",
    "Filing",
    "FilingEvent",
    "IdempotencyKey",
    "ImportRun",
    "Membership",
    "Product",
    "ProductionArea",
    "PublicationEvent",
    "StageRecord",
    "User",
]
