"""Portal views, one module per area of the producer's work."""

from portal.views import (  # noqa: F401 - imported for their routes
    batches,
    codes,
    enterprise,
    epcis,
    filings,
    imports,
    overview,
    products,
    publication,
    records,
    tokens,
)
