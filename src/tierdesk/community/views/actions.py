"""The forum's form targets (POST, then back to the thread): reply, vote, accept, follow, flag,
turn into a case or an article, and the one-click unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tierdesk.accounts.forms import add_service_errors
from tierdesk.knowledge.models import Category

from ..forms import FlagForm, ReplyForm
from ..models import ForumCategory, Subscription, Thread
from ..selectors.forum_access import access_forum_category, access_post, access_thread
from ..services.forum_follow import (
    follow_lookup,
    subscription_add,
    subscription_remove,
    unsubscribe_apply,
    unsubscribe_read,
)
from ..services.forum_links import thread_to_article, thread_to_case
from ..services.forum_moderation import flag_create
from ..services.forum_posts import reply_create
from ..services.forum_votes import solution_accept, vote_cast
from .common import service_error
from .forum import thread_context


def _back(thread_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("community:thread", args=[thread_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or reverse("community:index"))
    return None


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    thread = access_thread(request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = reply_create(
                actor=request.user,  # type: ignore[arg-type]
                thread=thread,
                body=form.cleaned_data["body"],
                images=form.cleaned_data["images"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer is posted."))
            return _back(thread.pk, f"post-{post.pk}")
    context = thread_context(request, thread, reply_form=form)
    return render(request, "community/thread.html", context, status=400)


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    post = access_post(request.user, pk=pk)
    try:
        value = int(request.POST.get("value", "0"))
    except ValueError:
        value = 99
    try:
        vote_cast(actor=request.user, post=post, value=value)  # type: ignore[arg-type]
    except ValidationError as exc:
        service_error(request, exc)
    return _back(post.thread_id, f"post-{post.pk}")


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    thread = access_thread(request.user, pk=pk)
    post_id = request.POST.get("post", "")
    post = access_post(request.user, pk=int(post_id)) if post_id.isdigit() else None
    try:
        solution_accept(actor=request.user, thread=thread, post=post)  # type: ignore[arg-type]
    except ValidationError as exc:
        service_error(request, exc)
    else:
        if post is not None:
            messages.success(request, _("Marked as the solution."))
    return _back(thread.pk)


@require_POST
def follow_thread(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    thread = access_thread(request.user, pk=pk)
    if request.POST.get("follow") == "0":
        subscription_remove(user=request.user, thread=thread)  # type: ignore[arg-type]
        messages.success(request, _("You no longer follow this thread."))
    else:
        subscription_add(user=request.user, thread=thread)  # type: ignore[arg-type]
        messages.success(request, _("You follow this thread: replies come by e-mail."))
    return _back(thread.pk)


@require_POST
def follow_category(request: HttpRequest, slug: str) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    category = access_forum_category(request.user, slug=slug)
    if request.POST.get("follow") == "0":
        subscription_remove(user=request.user, category=category)  # type: ignore[arg-type]
        messages.success(request, _("You no longer follow this category."))
    else:
        subscription_add(user=request.user, category=category)  # type: ignore[arg-type]
        messages.success(request, _("You follow this category: new questions come by e-mail."))
    return redirect("community:category", slug=category.slug)


@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    post = access_post(request.user, pk=pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return _back(post.thread_id, f"post-{post.pk}")
    try:
        flag_create(
            actor=request.user,  # type: ignore[arg-type]
            post=post,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, _("Thank you: a moderator will look at it."))
    return _back(post.thread_id, f"post-{post.pk}")


@require_POST
def to_case(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    thread = access_thread(request.user, pk=pk)
    try:
        case = thread_to_case(actor=request.user, thread=thread)  # type: ignore[arg-type]
    except ValidationError as exc:
        service_error(request, exc)
        return _back(thread.pk)
    messages.success(request, _("Your question is now case #%(id)s.") % {"id": case.pk})
    return redirect("case-detail", pk=case.pk)


@require_POST
def to_article(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _signed_in(request)) is not None:
        return refused
    thread = access_thread(request.user, pk=pk)
    category = Category.objects.order_by("position", "pk").first()
    if category is None:
        messages.error(request, _("The help center has no category yet."))
        return _back(thread.pk)
    try:
        article = thread_to_article(actor=request.user, thread=thread, category=category)  # type: ignore[arg-type]
    except ValidationError as exc:
        service_error(request, exc)
        return _back(thread.pk)
    translation = article.translations.first()
    messages.success(request, _("A draft article was created from this thread."))
    if translation is not None:
        return redirect("knowledge:versions", language=translation.language, slug=translation.slug)
    return _back(thread.pk)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mails' link: one button stops the follow (no sign-in needed)."""
    data = unsubscribe_read(token)
    if data is None:
        raise Http404
    target = None
    if data.get("t"):
        target = Thread.objects.filter(pk=data["t"]).values_list("title", flat=True).first()
    elif data.get("c"):
        target = ForumCategory.objects.filter(pk=data["c"]).values_list("name", flat=True).first()
    done = False
    if request.method == "POST":
        unsubscribe_apply(token)
        done = True
    following = Subscription.objects.filter(**follow_lookup(data)).exists()
    context = {"target": target, "done": done or not following, "token": token}
    return render(request, "community/unsubscribe.html", context)
