"""Console views, one module per area."""

from admin.views import (  # noqa: F401 - imported for their routes
    agency,
    api_tokens,
    batches,
    enterprises,
    epcis,
    exports,
    filings,
    flow,
    notices,
    overview,
    pools,
    products,
    recalls,
    regulators,
    users,
)
