"""Routes of the assistant, under /assistant/ (namespace "assistant")."""

from django.urls import path

from .views import chat, staff

app_name = "assistant"

urlpatterns = [
    path("", chat.assistant_page, name="page"),
    path("log/", chat.widget_log, name="log"),
    path("ask/", chat.ask, name="ask"),
    path("turns/<int:pk>/feedback/", chat.feedback, name="feedback"),
    path("handoffs/<int:pk>/case/", chat.handoff_case, name="handoff-case"),
    path("faq/<int:pk>/", chat.faq_entry, name="faq-entry"),
    path("staff/", staff.conversations, name="staff-conversations"),
    path("staff/<int:pk>/", staff.conversation, name="staff-conversation"),
    path("staff/unanswered/", staff.unanswered, name="staff-unanswered"),
    path("staff/faq/", staff.faq_entries, name="staff-faq"),
    path("staff/faq/new/", staff.faq_entry_new, name="staff-faq-new"),
    path("staff/faq/<int:pk>/edit/", staff.faq_entry_edit, name="staff-faq-edit"),
    path("staff/faq/<int:pk>/delete/", staff.faq_entry_delete_view, name="staff-faq-delete"),
]
