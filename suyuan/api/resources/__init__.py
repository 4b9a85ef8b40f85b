"""One module per API resource; importing a module registers its blueprint."""
