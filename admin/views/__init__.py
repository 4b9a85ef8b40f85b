"""Console views, one module per area."""

from admin.views import batches, enterprises, epcis, filings, overview, pools, users  # noqa: F401
