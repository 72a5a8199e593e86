"""Reading and asking: the forum's home, a category, a thread, the ask page, similar threads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tierdesk.accounts.forms import add_service_errors
from tierdesk.knowledge.selectors.search import search as help_search
from tierdesk.web.templatetags.tierdesk import icon

from ..forms import EditForm, FlagForm, ReplyForm, ThreadForm
from ..models import ForumCategory, PostImage, PostRevision
from ..selectors import forum_pages
from ..selectors.forum_access import (
    access_forum_category,
    access_post,
    access_thread,
    display_name,
    is_moderator,
    may_accept,
    may_edit,
    may_post,
    may_reply,
    may_turn_into_case,
)
from ..selectors.forum_similar import similar_threads
from ..services.forum_posts import post_edit, thread_create
from .post_cards import PostCards


def _state(request: HttpRequest) -> str:
    state = request.GET.get("state", "")
    return state if state in forum_pages.FILTERS else ""


def _list_context(request: HttpRequest, category: ForumCategory | None) -> dict[str, Any]:
    state = _state(request)
    tag = request.GET.get("tag", "")[:50]
    threads = forum_pages.thread_list(request.user, category=category, state=state, tag=tag)
    page = forum_pages.thread_page(threads, request.GET.get("page"))
    return {
        "page": page,
        "threads": page.object_list,
        "state": state,
        "tag": tag,
        "filters": [
            ("", _("All")),
            ("solved", _("Solved")),
            ("unsolved", _("Unsolved")),
            ("unanswered", _("No replies")),
        ],
        "may_post": may_post(request.user),
        "is_moderator": is_moderator(request.user),
    }


@require_safe
def forum_index(request: HttpRequest) -> HttpResponse:
    """/community/: the categories (the reader's language first) and the latest threads."""
    language = (get_language() or "en")[:2]
    categories = sorted(ForumCategory.objects.all(), key=lambda c: (c.language != language,))
    context = _list_context(request, None) | {"categories": categories}
    return render(request, "community/index.html", context)


@require_safe
def category_page(request: HttpRequest, slug: str) -> HttpResponse:
    category = access_forum_category(request.user, slug=slug)
    context = _list_context(request, category) | {
        "category": category,
        "following": forum_pages.is_following(request.user, category=category),
    }
    return render(request, "community/category.html", context)


@require_safe
def thread_page(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk=pk)
    return render(request, "community/thread.html", thread_context(request, thread))


def thread_context(
    request: HttpRequest, thread: Any, reply_form: ReplyForm | None = None
) -> dict[str, Any]:
    user = request.user
    question, accepted, page, others = forum_pages.thread_posts(
        user, thread, request.GET.get("page", 1)
    )
    vendor_or_author = is_moderator(user) or (user.is_authenticated and thread.author_id == user.pk)
    context = {
        "thread": thread,
        "category": thread.category,
        "question": question,
        "accepted": accepted,
        "page": page,
        "others": others,
        "tags": list(thread.tags.all()),
        "reply_form": reply_form or ReplyForm(),
        "may_reply": may_reply(user, thread),
        "may_accept": may_accept(user, thread),
        "may_turn_into_case": may_turn_into_case(user, thread),
        "is_moderator": is_moderator(user),
        "may_post": may_post(user),
        "may_edit_ids": {
            v.post.pk
            for v in (question, accepted, *others)
            if v is not None and may_edit(user, v.post)
        },
        "following": forum_pages.is_following(user, thread=thread),
        "show_case": vendor_or_author and thread.case_id is not None,
        "flag_form": FlagForm(),
        "categories": ForumCategory.objects.all() if is_moderator(user) else [],
        "login_url": f"{reverse('login')}?next={request.path}",
        **post_links(thread),
    }
    cards = PostCards(request, context)
    context["question_card"] = cards.cards([question] if question else [])
    context["accepted_card"] = cards.cards([accepted] if accepted else [])
    context["reply_cards"] = cards.cards(others)
    return context


def post_links(thread: Any) -> dict[str, Any]:
    """What each post of a page links to, made once per page (50 posts render fast)."""
    return {
        "post_prefix": reverse("community:post-edit", args=[1]).removesuffix("1/edit/"),
        "image_prefix": reverse("community:image", args=[1]).removesuffix("1/"),
        "accept_url": reverse("community:accept", args=[thread.pk]),
        "icons": {
            "up": icon("hand-thumbs-up", _("Helpful")),
            "down": icon("hand-thumbs-down", _("Not helpful")),
            "check_circle": icon("check-circle"),
            "eye_slash": icon("eye-slash"),
            "check": icon("check-lg"),
            "edit": icon("pencil-square"),
            "flag": icon("exclamation-triangle"),
        },
    }


@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest) -> HttpResponse:
    """/community/new/?title=...: ask; similar threads appear while the title is typed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_post(request.user):
        raise PermissionDenied(_("Your account may not post in the community."))
    language = (get_language() or "en")[:2]
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                thread = thread_create(
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.tag_names(),
                    images=form.cleaned_data["images"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your question is posted."))
                return redirect("community:thread", pk=thread.pk)
    else:
        initial: dict[str, Any] = {"title": request.GET.get("title", "")[:200]}
        slug = request.GET.get("category")
        chosen = ForumCategory.objects.filter(slug=slug).first() if slug else None
        chosen = chosen or ForumCategory.objects.filter(language=language).first()
        if chosen is not None:
            initial["category"] = chosen.pk
        form = ThreadForm(initial=initial)
    context = {"form": form, "similar": _similar(request, form["title"].value() or "")}
    return render(request, "community/thread_new.html", context)


def _similar(request: HttpRequest, title: str) -> dict[str, Any]:
    title = " ".join(title.split())[:200]
    if len(title) < 3:
        return {"title": title, "threads": [], "articles": []}
    threads = similar_threads(title, limit=5)
    articles = help_search(request.user, title, kinds={"article"}, limit=3).hits
    return {"title": title, "threads": threads, "articles": articles}


@require_safe
def similar(request: HttpRequest) -> HttpResponse:
    """An htmx fragment of the ask page: similar threads (solved first) and articles."""
    context = {"similar": _similar(request, request.GET.get("title", ""))}
    return render(request, "community/_similar.html", context)


@require_http_methods(["GET", "POST"])
def post_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk=pk)
    if not may_edit(request.user, post):
        raise Http404
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                post_edit(
                    actor=request.user,  # type: ignore[arg-type]
                    post=post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data["title"] if post.is_question else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(
                    f"{reverse('community:thread', args=[post.thread_id])}#post-{post.pk}"
                )
    else:
        form = EditForm(initial={"title": post.thread.title, "body": post.body})
    if not post.is_question:
        form.fields.pop("title")
    return render(request, "community/post_edit.html", {"form": form, "post": post})


@require_safe
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every earlier text of a post, newest first; editors shown by display name."""
    post = access_post(request.user, pk=pk)
    revisions = [
        {"revision": r, "editor": display_name(r.edited_by)}
        for r in PostRevision.objects.filter(post=post).select_related("edited_by")
    ]
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


@require_safe
def image(request: HttpRequest, pk: int) -> FileResponse:
    """An attached image, for whoever may read its post."""
    try:
        found = PostImage.objects.select_related("post").get(pk=pk)
    except PostImage.DoesNotExist:
        raise Http404 from None
    access_post(request.user, pk=found.post_id)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
