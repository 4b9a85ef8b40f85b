"""Console views, one module per area."""

from admin.views import overview  # noqa: F401
