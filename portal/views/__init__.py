"""Portal views, one module per area of the producer's work."""

from portal.views import (  # noqa: F401 - imported for their routes
    agency,
    batches,
    codes,
    counterparties,
    enterprise,
    epcis,
    filings,
    flow,
    flow_trace,
    imports,
    nonconformance,
    notices,
    overview,
    products,
    publication,
    recalls,
    records,
    tokens,
)
