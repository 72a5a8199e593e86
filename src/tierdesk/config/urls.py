"""The URL root: pages, the API under /api/v1/, health and the admin."""

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
    path("", include("tierdesk.web.urls")),
]
