"""Console views, one module per area."""

from admin.views import (  # noqa: F401 - imported for their routes
    agency,
    batches,
    enterprises,
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
