"""The moderators' pages: the queue of flagged posts, the audit log, and their actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.models import User

from ..forms import ThreadModerationForm
from ..selectors import forum_pages
from ..selectors.forum_access import access_post, access_thread, display_name, is_moderator
from ..services import forum_moderation as moderation
from .common import service_error


def _moderator(request: HttpRequest) -> None:
    # Not a moderator: the page does not exist for them (404, like any hidden thing).
    if not is_moderator(request.user):
        raise Http404


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    page = Paginator(forum_pages.moderation_queue(request.user), 30).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "post": post,
            "author": display_name(post.author),
            "reasons": forum_pages.flag_reasons(post),
            "may_ban": not is_moderator(post.author),
        }
        for post in page.object_list
    ]
    return render(request, "community/moderation.html", {"page": page, "rows": rows})


@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    page = Paginator(forum_pages.audit_log(request.user), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "action": action,
            "actor": display_name(action.actor),
            "target": display_name(action.target_user) if action.target_user_id else "",
        }
        for action in page.object_list
    ]
    return render(request, "community/audit.html", {"page": page, "rows": rows})


@require_POST
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    post = access_post(request.user, pk=pk)
    action = request.POST.get("action")
    actor: User = request.user  # type: ignore[assignment]
    note = request.POST.get("note", "")[:300]
    author = {"name": display_name(post.author)}
    if action == "hide":
        moderation.post_hide(actor=actor, post=post, hidden=True, note=note)
        if post.is_question:
            messages.success(request, _("This thread is hidden: only moderators see it."))
        else:
            messages.success(request, _("Hidden: only moderators see this post."))
    elif action == "unhide":
        moderation.post_hide(actor=actor, post=post, hidden=False, note=note)
        messages.success(request, _("The post is visible again."))
    elif action == "dismiss":
        moderation.flags_dismiss(actor=actor, post=post, note=note)
        messages.success(request, _("The flags are dismissed; the post stays visible."))
    elif action == "ban":
        try:
            moderation.user_ban(actor=actor, user=post.author, banned=True, note=note)
        except ValidationError as exc:
            service_error(request, exc)
        else:
            messages.success(request, _("%(name)s can no longer post in the community.") % author)
    elif action == "unban":
        moderation.user_ban(actor=actor, user=post.author, banned=False, note=note)
        messages.success(request, _("%(name)s may post in the community again.") % author)
    else:
        messages.error(request, _("Choose an action."))
    if request.POST.get("next") == "queue":
        return redirect("community:moderation")
    return redirect(f"{reverse('community:thread', args=[post.thread_id])}#post-{post.pk}")


@require_POST
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    thread = access_thread(request.user, pk=pk)
    form = ThreadModerationForm(request.POST)
    actor: User = request.user  # type: ignore[assignment]
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("community:thread", pk=thread.pk)
    data = form.cleaned_data
    action, note = data["action"], data["note"]
    try:
        if action in ("lock", "unlock"):
            moderation.thread_lock(actor=actor, thread=thread, locked=action == "lock", note=note)
        elif action == "move":
            if data["category"] is None:
                raise ValidationError({"category": _("Choose a category.")})
            moderation.thread_move(actor=actor, thread=thread, category=data["category"], note=note)
        else:
            if not data["target"]:
                raise ValidationError({"target": _("Give the other thread's number.")})
            other = access_thread(request.user, pk=data["target"])
            if action == "merge":
                moderation.thread_merge(actor=actor, source=thread, target=other, note=note)
                messages.success(request, _("Merged."))
                return redirect("community:thread", pk=other.pk)
            moderation.thread_close_duplicate(actor=actor, thread=thread, original=other, note=note)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("community:thread", pk=thread.pk)
