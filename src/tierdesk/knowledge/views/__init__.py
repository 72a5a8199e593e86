"""Pages of the help center: the reader's (articles, categories) and the staff's (history,
reviews)."""
