"""Every read of the help center, scoped to what the asking user may see (selectors.access)."""
