"""Console views, one module per area."""

from admin.views import enterprises, filings, overview, pools, users  # noqa: F401 - routes
