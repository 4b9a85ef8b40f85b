"""Console views, one module per area."""

from admin.views import batches, enterprises, exports, filings, overview, pools, users  # noqa: F401
