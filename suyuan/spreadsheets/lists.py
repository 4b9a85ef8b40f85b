"""The columns of the portal's and the console's lists as exported (xlsx or CSV): for each
list, its headers and its rows from the list view's own filtered query or computed list.

``regional`` adds the enterprise's name and credit code, which the console shows and an
enterprise's own list does not need. Rows are generators: a query is streamed.
"""

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from suyuan.extensions import db
from suyuan.models import (
    Batch,
    NonConformance,
    Product,
    Recall,
    RecallNotice,
    RecallTarget,
    Transaction,
    TransactionLine,
)
from suyuan.regions import region_name
from suyuan.services.codes import printed
from suyuan.services.tracing import plain_quantity
from suyuan.vocab import label_for
from suyuan.vocab_recalls import label

STREAM = {"yield_per": 500}


def _enterprise_headers(regional: bool) -> list[str]:
    return [_("Enterprise"), _("Unified social credit code")] if regional else []


def _enterprise_cells(enterprise, regional: bool) -> list:
    return [enterprise.name, enterprise.credit_code] if regional else []


def _naive(moment):
    return moment.replace(tzinfo=None) if moment else None


def transaction_list(query, regional: bool = False):
    """Documents, one row per line (a document without lines gets one row)."""
    headers = [
        _("Document number"),
        _("Version"),
        _("Kind"),
        _("Date"),
        *_enterprise_headers(regional),
        _("Counterparty"),
        _("Counterparty credit code"),
        _("Product"),
        _("Lot number"),
        _("Quantity"),
        _("Unit"),
        _("First code"),
        _("Last code"),
        _("Status"),
        _("Submitted"),
    ]
    query = query.options(
        joinedload(Transaction.enterprise),
        joinedload(Transaction.counterparty),
        selectinload(Transaction.lines).joinedload(TransactionLine.batch),
        selectinload(Transaction.lines).joinedload(TransactionLine.product),
    )

    def rows():
        with db.session.scalars(query.execution_options(yield_per=200)) as result:
            for txn in result:
                head = [
                    txn.number,
                    txn.version,
                    label_for("transaction_kind", txn.kind),
                    txn.moved_on,
                    *_enterprise_cells(txn.enterprise, regional),
                    txn.counterparty.name if txn.counterparty else "",
                    txn.counterparty.credit_code if txn.counterparty else "",
                ]
                tail = [label_for("transaction_status", txn.status), _naive(txn.submitted_at)]
                for line in txn.lines or [None]:
                    yield [*head, *_line_cells(line), *tail]

    return headers, rows()


def _line_cells(line) -> list:
    if line is None:
        return ["", "", "", "", "", ""]
    return [
        line.product.name,
        line.batch.lot_number,
        plain_quantity(line.quantity),
        label_for("unit", line.unit),
        printed(line.first_index) if line.first_index is not None else "",
        printed(line.last_index) if line.last_index is not None else "",
    ]


def mismatch_list(found: list):
    """``services.matching.mismatches`` as rows: the document, both parties, the reasons."""
    headers = [
        _("Date"),
        _("Document number"),
        _("Kind"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Counterparty"),
        _("Counterpart status"),
        _("What differs"),
    ]

    def rows():
        for item in found:
            source, counterpart = item.source, item.counterpart
            partner = source.partner_enterprise or source.counterparty
            yield [
                source.moved_on,
                source.number,
                label_for("transaction_kind", source.kind),
                source.enterprise.name,
                source.enterprise.credit_code,
                partner.name if partner else "",
                label_for("transaction_status", counterpart.status) if counterpart else "",
                "; ".join(label_for("mismatch", reason) for reason in item.reasons),
            ]

    return headers, rows()


def stock_list(found: list):
    """``services.stock.stock_rows`` as rows."""
    headers = [
        _("Product"),
        _("Specification"),
        _("Lot number"),
        _("Production date"),
        _("Quantity"),
        _("Unit"),
    ]
    rows = (
        [
            row.batch.product.name,
            row.batch.product.spec,
            row.batch.lot_number,
            row.batch.production_date,
            row.quantity,
            label_for("unit", row.unit),
        ]
        for row in found
    )
    return headers, rows


def recall_list(query, regional: bool = False):
    headers = [
        _("Declared"),
        *_enterprise_headers(regional),
        _("Product"),
        _("Lots"),
        _("Class"),
        _("State"),
        _("Origin"),
        _("Reason"),
        _("Completed"),
        _("Quantity recovered"),
    ]
    query = query.options(
        joinedload(Recall.enterprise),
        joinedload(Recall.product),
        selectinload(Recall.targets).joinedload(RecallTarget.batch),
    )

    def rows():
        with db.session.scalars(query.execution_options(**STREAM)) as result:
            for recall in result:
                yield [
                    _naive(recall.declared_at),
                    *_enterprise_cells(recall.enterprise, regional),
                    recall.product.name,
                    ", ".join(sorted({t.batch.lot_number for t in recall.targets})),
                    label("severity", recall.severity),
                    label("recall_state", recall.state),
                    label("origin", recall.origin),
                    recall.reason,
                    _naive(recall.completed_at),
                    recall.quantity_recovered,
                ]

    return headers, rows()


def received_recall_list(query):
    """Recall notices that reached an enterprise (``services.recalls.received_notices_query``)."""
    headers = [
        _("Notified"),
        _("Product"),
        _("Recalled by"),
        _("Lots"),
        _("Class"),
        _("Reason"),
        _("Acknowledged"),
        _("Note"),
    ]
    query = query.options(
        joinedload(RecallNotice.recall).joinedload(Recall.enterprise),
        joinedload(RecallNotice.recall).joinedload(Recall.product),
        joinedload(RecallNotice.recall).selectinload(Recall.targets).joinedload(RecallTarget.batch),
    )

    def rows():
        with db.session.scalars(query.execution_options(**STREAM)) as result:
            for notice in result:
                recall = notice.recall
                yield [
                    _naive(notice.notified_at),
                    recall.product.name,
                    recall.enterprise.name,
                    ", ".join(sorted({t.batch.lot_number for t in recall.targets})),
                    label("severity", recall.severity),
                    recall.reason,
                    _naive(notice.acknowledged_at),
                    notice.note,
                ]

    return headers, rows()


def nonconformance_list(query, regional: bool = False):
    headers = [
        _("Recorded"),
        *_enterprise_headers(regional),
        _("Product"),
        _("Lots"),
        _("Found by"),
        _("Status"),
        _("Reason"),
        _("Handling"),
    ]
    query = query.options(
        joinedload(NonConformance.enterprise),
        joinedload(NonConformance.product),
        selectinload(NonConformance.batches),
    )

    def rows():
        with db.session.scalars(query.execution_options(**STREAM)) as result:
            for record in result:
                yield [
                    _naive(record.created_at),
                    *_enterprise_cells(record.enterprise, regional),
                    record.product.name,
                    ", ".join(sorted(b.lot_number for b in record.batches)),
                    label("found_by", record.found_by),
                    label("nc_status", record.status),
                    record.reason,
                    record.handling_note,
                ]

    return headers, rows()


def notice_list(query, read_ids=None):
    """Notices; ``read_ids(notice_ids)`` (an enterprise's list) adds whether it read each."""
    headers = [_("Published"), _("Title"), _("Region"), _("Text"), _("Attachment")]
    if read_ids is not None:
        headers.append(_("Read"))

    def rows():
        notices = list(db.session.scalars(query))
        read = read_ids([n.id for n in notices]) if read_ids is not None else set()
        for notice in notices:
            row = [
                _naive(notice.created_at),
                notice.title,
                region_name(notice.region_code),
                notice.body,
                notice.file_name or "",
            ]
            if read_ids is not None:
                row.append(_("Yes") if notice.id in read else _("No"))
            yield row

    return headers, rows()


def product_list(query):
    """The console's products of the region."""
    headers = [
        *_enterprise_headers(True),
        _("Product"),
        _("Category"),
        _("Specification"),
        _("GTIN"),
        _("Product filing"),
    ]
    query = query.options(joinedload(Product.enterprise), selectinload(Product.filing))

    def rows():
        with db.session.scalars(query.execution_options(**STREAM)) as result:
            for product in result:
                yield [
                    *_enterprise_cells(product.enterprise, True),
                    product.name,
                    label_for("category", product.category),
                    product.spec,
                    product.gtin or "",
                    label_for("filing_status", product.filing.status) if product.filing else "",
                ]

    return headers, rows()


def batch_list(query):
    """The console's batches of the region."""
    headers = [
        *_enterprise_headers(True),
        _("Product"),
        _("Lot number"),
        _("Production date"),
        _("Status"),
    ]
    query = query.options(joinedload(Batch.product).joinedload(Product.enterprise))

    def rows():
        with db.session.scalars(query.execution_options(**STREAM)) as result:
            for batch in result:
                yield [
                    *_enterprise_cells(batch.product.enterprise, True),
                    batch.product.name,
                    batch.lot_number,
                    batch.production_date,
                    label_for("batch_status", batch.status),
                ]

    return headers, rows()
