"""Routes of the community forum under /community/ (namespace "community")."""

from django.urls import URLPattern, path

from ..views import actions, forum, moderation

app_name = "community"

urlpatterns: list[URLPattern] = [
    path("", forum.forum_index, name="index"),
    path("new/", forum.thread_new, name="thread_new"),
    path("similar/", forum.similar, name="similar"),
    path("c/<slug:slug>/", forum.category_page, name="category"),
    path("c/<slug:slug>/follow/", actions.follow_category, name="category-follow"),
    path("t/<int:pk>/", forum.thread_page, name="thread"),
    path("t/<int:pk>/reply/", actions.reply, name="reply"),
    path("t/<int:pk>/accept/", actions.accept, name="accept"),
    path("t/<int:pk>/follow/", actions.follow_thread, name="follow"),
    path("t/<int:pk>/case/", actions.to_case, name="to-case"),
    path("t/<int:pk>/article/", actions.to_article, name="to-article"),
    path("t/<int:pk>/moderate/", moderation.thread_moderate, name="thread-moderate"),
    path("p/<int:pk>/edit/", forum.post_edit_page, name="post-edit"),
    path("p/<int:pk>/history/", forum.post_history, name="post-history"),
    path("p/<int:pk>/vote/", actions.vote, name="vote"),
    path("p/<int:pk>/flag/", actions.flag, name="flag"),
    path("p/<int:pk>/moderate/", moderation.post_moderate, name="post-moderate"),
    path("i/<int:pk>/", forum.image, name="image"),
    path("unsubscribe/<str:token>/", actions.unsubscribe, name="unsubscribe"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/log/", moderation.audit, name="audit"),
]
