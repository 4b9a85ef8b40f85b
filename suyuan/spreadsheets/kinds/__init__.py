"""The importable kinds, one module each, registered by name.

A kind module holds:
- ``NAME`` (the URL and ``ImportRun.kind`` value), ``TITLE`` and ``INSTRUCTIONS`` (lazy
  strings), ``ROLES`` (enterprise roles that may import it; empty: any member);
- ``COLUMNS``: the template's columns in order (``suyuan.spreadsheets.columns.Column``);
- ``FIELD_COLUMNS``: a service's ``DomainError.field`` → the column to blame;
- ``prepare(enterprise, actor)`` → a context with what the rows need, loaded once
  (no query per row for a lookup);
- ``parse(context, cells)`` → the values for the service, or ``RowErrors``;
- ``write(context, values)``: calls the portal's service function (raises ``DomainError``);
- ``finish(context)``: writes anything ``write`` batched; it may raise
  ``columns.LaterErrors`` to blame rows (a context with a ``row`` attribute is told the
  sheet row of each ``parse``/``write``);
- ``export_rows(enterprise, args)``: rows in ``COLUMNS`` order for the list's filters.

A new kind is one more module added to ``KINDS``.
"""

from suyuan.spreadsheets.kinds import (
    batches,
    code_ranges,
    counterparties,
    products,
    stage_records,
    transactions,
)

KINDS = {
    kind.NAME: kind
    for kind in (products, batches, stage_records, code_ranges, counterparties, transactions)
}


def get_kind(name: str):
    """The kind called ``name``, or None."""
    return KINDS.get(name)
