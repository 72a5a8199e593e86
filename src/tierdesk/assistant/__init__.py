"""The virtual assistant: FAQ entries, conversations, retrieval, hand-off."""

# The assistant's pages other apps link, by URL name: one source for all of them (the home's
# self-service card, an empty help search, the staff's navigation). Kept here, not in urls.py,
# so that naming them imports no view. tests/assistant/test_chat.py checks that they resolve.
PAGE_URL_NAME = "assistant:page"
STAFF_URL_NAME = "assistant:staff-conversations"
