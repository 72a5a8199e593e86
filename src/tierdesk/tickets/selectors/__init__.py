"""Every read of cases, scoped to what the asking user may see: one module per concern."""
