"""Console views, one module per area."""

from admin.views import (  # noqa: F401
    api_tokens,
    batches,
    enterprises,
    epcis,
    exports,
    filings,
    overview,
    pools,
    users,
)
