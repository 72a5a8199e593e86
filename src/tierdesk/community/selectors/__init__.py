"""Reads of the forum, each scoped to what the asking user may see."""
