"""Every read of the assistant, scoped to what the asking user may see."""
