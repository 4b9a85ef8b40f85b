"""Portal views, one module per area of the producer's work."""

from portal.views import (  # noqa: F401 - imported for their routes
    analytics,
    batches,
    codes,
    enterprise,
    feedback,
    filings,
    overview,
    products,
    publication,
    records,
)
