"""The URL root: pages, the API under /api/v1/, health and the admin; the error pages."""

from django.contrib import admin
from django.urls import include, path

from tierdesk.web.views import set_language

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("tierdesk.accounts.urls")),
    path("", include("tierdesk.tickets.urls")),
    path("", include("tierdesk.phone.urls")),
    path("help/", include("tierdesk.knowledge.urls")),
    path("community/", include("tierdesk.community.urls")),
    path("assistant/", include("tierdesk.assistant.urls")),
    path("", include("tierdesk.knowledge.urls.site")),
    path("", include("tierdesk.web.urls")),
]

# The error pages in the product's layout (tierdesk.web.errors; CSRF_FAILURE_VIEW for the CSRF one).
handler400 = "tierdesk.web.errors.bad_request"
handler403 = "tierdesk.web.errors.permission_denied"
handler404 = "tierdesk.web.errors.page_not_found"
handler500 = "tierdesk.web.errors.server_error"
