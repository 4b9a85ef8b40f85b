"""Console views, one module per area."""

from admin.views import batches, enterprises, filings, overview, pools, users  # noqa: F401
