"""Portal views, one module per area of the producer's work."""

from portal.views import overview  # noqa: F401
from portal.views import enterprise, filings, products  # noqa: F401
from portal.views import publication  # noqa: F401
from portal.views import batches, records  # noqa: F401
from portal.views import codes  # noqa: F401
