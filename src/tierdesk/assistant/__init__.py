"""The virtual assistant: FAQ entries, conversations, retrieval, hand-off."""
