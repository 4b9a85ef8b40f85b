"""Business rules as plain functions: models and values in, flush but never commit."""
