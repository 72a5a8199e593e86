"""Writes of the forum: keyword-only functions, one transaction each."""
