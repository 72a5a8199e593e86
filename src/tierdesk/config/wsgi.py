"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
application = get_wsgi_application()

# The assistant's index is built when a web process starts, not on its first question.
from tierdesk.assistant.selectors.faq_index import assistant_index_warm_in_background  # noqa: E402

assistant_index_warm_in_background()
