"""All models, importable from one place (``from suyuan.models import Batch``)."""

from suyuan.models.accounts import Membership, User
from suyuan.models.agency import AgencyBinding
from suyuan.models.api import ApiToken, IdempotencyKey
from suyuan.models.audit import AuditEntry
from suyuan.models.base import Base
from suyuan.models.codes import CodePool, CodeRange
from suyuan.models.enterprises import Enterprise, Filing, FilingEvent, ProductionArea
from suyuan.models.flow import Counterparty, MockRecallDrill, Transaction, TransactionLine
from suyuan.models.imports import ImportRun
from suyuan.models.labels import PrintRun
from suyuan.models.notices import Notice, NoticeRead
from suyuan.models.products import Attachment, Batch, Product, StageRecord
from suyuan.models.publication import PublicationEvent
from suyuan.models.recalls import (
    NonConformance,
    Recall,
    RecallEvent,
    RecallNotice,
    RecallTarget,
)

__all__ = [
    "AgencyBinding",
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Base",
    "Batch",
    "CodePool",
    "CodeRange",
    "Counterparty",
    "Enterprise",
    "Filing",
    "FilingEvent",
    "IdempotencyKey",
    "ImportRun",
    "Membership",
    "MockRecallDrill",
    "NonConformance",
    "Notice",
    "NoticeRead",
    "PrintRun",
    "Product",
    "ProductionArea",
    "PublicationEvent",
    "Recall",
    "RecallEvent",
    "RecallNotice",
    "RecallTarget",
    "StageRecord",
    "Transaction",
    "TransactionLine",
    "User",
]
