"""Portal forms, one module per area (mirrors ``portal.views``)."""
