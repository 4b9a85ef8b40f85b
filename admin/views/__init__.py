"""Console views, one module per area."""

from admin.views import analytics, batches, enterprises, filings, overview, pools, users  # noqa: F401
