"""Routes of cases: one shared case address, the portal's and the console's pages."""

from django.urls import include, path

from .. import views
from . import console, portal

urlpatterns = [
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    # One "tickets" namespace for both sides (navigation names tickets:list, tickets:queues):
    # two includes declaring the same app_name would shadow one another.
    path("", include(([*portal.urlpatterns, *console.urlpatterns], "tickets"))),
]
