"""Routes of the agent console (in the "tickets" namespace; the case page is /cases/<id>/)."""

from django.urls import URLPattern, path

from ..views import console, escalations

urlpatterns: list[URLPattern] = [
    path("console/", console.queues, name="queues"),
    path("console/escalations/", escalations.escalations, name="escalations"),
    path(
        "console/escalations/<int:pk>/decide/",
        escalations.escalation_decide,
        name="escalation-decide",
    ),
    path("console/cases/<int:pk>/clocks/", console.case_clocks, name="console-clocks"),
    path(
        "console/cases/<int:pk>/explain/<str:target>/",
        console.case_explain,
        name="console-explain",
    ),
    path("console/cases/<int:pk>/claim/", console.case_claim, name="console-claim"),
    path("console/cases/<int:pk>/assign/", console.case_assign, name="console-assign"),
    path("console/cases/<int:pk>/reply/", console.case_reply, name="console-reply"),
    path("console/cases/<int:pk>/note/", console.case_note, name="console-note"),
    path("console/cases/<int:pk>/severity/", console.case_severity, name="console-severity"),
    path("console/cases/<int:pk>/status/", console.case_status, name="console-status"),
    path("console/cases/<int:pk>/escalate/", console.case_escalate, name="console-escalate"),
    path("console/cases/<int:pk>/tags/", console.case_tags, name="console-tags"),
    path("console/cases/<int:pk>/merge/", console.case_merge, name="console-merge"),
]
