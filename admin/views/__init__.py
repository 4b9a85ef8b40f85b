"""Console views, one module per area."""

from admin.views import overview  # noqa: F401
from admin.views import pools  # noqa: F401
from admin.views import enterprises, filings, users  # noqa: F401
