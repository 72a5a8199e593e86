"""Every write of the assistant: FAQ entries, conversations and turns, hand-offs, the demo set."""
