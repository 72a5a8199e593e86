"""Routes of the customer portal (in the "tickets" namespace; the case page is shared)."""

from django.urls import URLPattern, path

from ..views import portal

urlpatterns: list[URLPattern] = [
    path("cases/", portal.portal_case_list, name="list"),
    path("cases/new/", portal.portal_case_new, name="new"),
    path("cases/<int:pk>/reply/", portal.portal_case_reply, name="reply"),
    path("cases/<int:pk>/escalate/", portal.portal_case_escalate, name="self-escalate"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        portal.attachment_download,
        name="attachment",
    ),
]
