"""A thread page's post cards, built in Python rather than by the template engine.

Fifty replies through an `{% include %}` each (with a nested badges include, a translation per
label and a CSRF input per form) cost about 20 ms a page; issue 11's goal for the whole page is
30 ms. Here everything that is the same on every card of the page (labels in the reader's
language, icons, addresses, the CSRF input, the flag reasons) is made once by `PostCards`, and
each card is a few `format_html` calls. The markup is the one `_post.html` had: the browser tests
and the page's CSS select on it.

Invariant: every value from a post is escaped by `format_html` except `post.body_html`, which
services sanitise (nh3) when the post is written.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierdesk.web.templatetags.tierdesk import when_filter

from ..selectors.forum_pages import PostView


class PostCards:
    """Renders the cards of one thread page for one reader."""

    def __init__(self, request: HttpRequest, context: dict[str, Any]) -> None:
        self.user_id = request.user.pk if request.user.is_authenticated else None
        self.context = context
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.flag_options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((value, label) for value, label in context["flag_form"].fields["reason"].choices),
        )
        self.labels = {
            "edited": _("edited"),
            "accepted": _("Accepted solution"),
            "hidden": _("Hidden: only moderators see this post."),
            "score": _("Score"),
            "not_solution": _("Not the solution"),
            "accept": _("Accept as solution"),
            "edit": _("Edit"),
            "flag": _("Flag"),
            "reason": _("Reason"),
            "send": _("Send to moderators"),
            "show": _("Show"),
            "hide": _("Hide"),
            "dismiss": _("Dismiss flags"),
            "ban": _("Ban poster"),
            "staff": _("Staff"),
            "expert": _("Expert"),
        }

    def cards(self, views: list[PostView]) -> SafeString:
        """The cards of these posts, in order."""
        return mark_safe("".join(self.card(view) for view in views))  # noqa: S308 (built escaped)

    def card(self, view: PostView) -> SafeString:
        """One post's `<article>` card."""
        post, c, t = view.post, self.context, self.labels
        classes = "card mb-3"
        if view.accepted:
            classes += " border-success border-2"
        if post.is_hidden:
            classes += " border-warning opacity-75"
        return format_html(
            '<article id="post-{}" class="{}" data-post="{}">'
            '<div class="card-header d-flex flex-wrap align-items-center gap-2 bg-body-tertiary">'
            '<span class="fw-semibold poster">{}</span>{}'
            '<span class="small text-body-secondary">{}</span>'
            '<span class="small text-body-secondary ms-auto">{}{}</span></div>'
            '<div class="card-body">{}{}'
            '<div class="post-body text-break" lang="{}">{}</div>{}</div>'
            '<div class="card-footer d-flex flex-wrap align-items-center gap-2 bg-transparent">'
            "{}{}{}{}{}</div></article>",
            post.pk,
            classes,
            post.pk,
            view.author_name,
            self._badges(view),
            _("%(n)s reputation") % {"n": view.reputation},
            when_filter(post.created_at),
            format_html(
                ' · <a class="link-body-emphasis" href="{}{}/history/">{}</a>',
                c["post_prefix"],
                post.pk,
                t["edited"],
            )
            if post.edited_at
            else "",
            format_html(
                '<p class="text-success-emphasis fw-semibold mb-2">{} {}</p>',
                c["icons"]["check_circle"],
                t["accepted"],
            )
            if view.accepted
            else "",
            format_html(
                '<p class="text-body-secondary small mb-2">{} {}</p>',
                c["icons"]["eye_slash"],
                t["hidden"],
            )
            if post.is_hidden
            else "",
            c["thread"].language,
            mark_safe(post.body_html),  # noqa: S308 (sanitised by nh3 when written)
            self._images(view),
            self._votes(view),
            self._accept(view),
            format_html(
                '<a class="btn btn-sm btn-link" href="{}{}/edit/">{} {}</a>',
                c["post_prefix"],
                post.pk,
                c["icons"]["edit"],
                t["edit"],
            )
            if post.pk in c["may_edit_ids"]
            else "",
            self._flag(view),
            self._moderate(view),
        )

    def _may_vote(self, view: PostView) -> bool:
        return bool(self.context["may_post"]) and view.post.author_id != self.user_id

    def _badges(self, view: PostView) -> SafeString:
        staff = (
            format_html('<span class="badge text-bg-primary">{}</span>', self.labels["staff"])
            if view.is_staff
            else ""
        )
        expert = (
            format_html(' <span class="badge text-bg-success">{}</span>', self.labels["expert"])
            if view.is_expert
            else ""
        )
        return format_html("{}{}", staff, expert)

    def _images(self, view: PostView) -> SafeString | str:
        if not view.images:
            return ""
        prefix = self.context["image_prefix"]
        links = format_html_join(
            "",
            '<a href="{}{}/"><img src="{}{}/" alt="{}" class="img-thumbnail post-image"'
            ' loading="lazy"></a>',
            ((prefix, image.pk, prefix, image.pk, image.name) for image in view.images),
        )
        return format_html('<div class="d-flex flex-wrap gap-2 mt-2">{}</div>', links)

    def _vote_form(self, view: PostView, value: int, style: str) -> SafeString:
        chosen = view.my_vote == value
        return format_html(
            '<form method="post" action="{}{}/vote/">{}<input type="hidden" name="value"'
            ' value="{}"><button class="btn btn-sm {}" type="submit" aria-pressed="{}">{}'
            "</button></form>",
            self.context["post_prefix"],
            view.post.pk,
            self.csrf,
            0 if chosen else value,
            style if chosen else "btn-outline-secondary",
            "true" if chosen else "false",
            self.context["icons"]["up" if value == 1 else "down"],
        )

    def _votes(self, view: PostView) -> SafeString:
        may_vote = self._may_vote(view)
        return format_html(
            '<span class="d-inline-flex align-items-center gap-1">{}'
            '<span class="fw-semibold score" aria-label="{}">{}</span>{}</span>',
            self._vote_form(view, 1, "btn-success") if may_vote else "",
            self.labels["score"],
            view.post.score,
            self._vote_form(view, -1, "btn-danger") if may_vote else "",
        )

    def _accept(self, view: PostView) -> SafeString | str:
        post = view.post
        if not self.context["may_accept"] or post.is_question or post.is_hidden:
            return ""
        if view.accepted:
            style, label = "btn-outline-secondary", format_html("{}", self.labels["not_solution"])
        else:
            style = "btn-success"
            label = format_html("{} {}", self.context["icons"]["check"], self.labels["accept"])
        return format_html(
            '<form method="post" action="{}">{}<input type="hidden" name="post" value="{}">'
            '<button class="btn btn-sm {} accept" type="submit">{}</button></form>',
            self.context["accept_url"],
            self.csrf,
            "" if view.accepted else post.pk,
            style,
            label,
        )

    def _flag(self, view: PostView) -> SafeString | str:
        if not self._may_vote(view):
            return ""
        pk, t = view.post.pk, self.labels
        return format_html(
            '<details class="ms-auto"><summary class="btn btn-sm btn-link text-body-secondary">'
            "{} {}</summary>"
            '<form method="post" action="{}{}/flag/" class="d-flex flex-wrap gap-2 mt-2">{}'
            '<label class="visually-hidden" for="flag-reason-{}">{}</label>'
            '<select class="form-select form-select-sm w-auto" name="reason"'
            ' id="flag-reason-{}">{}</select>'
            '<button class="btn btn-sm btn-outline-danger" type="submit">{}</button>'
            "</form></details>",
            self.context["icons"]["flag"],
            t["flag"],
            self.context["post_prefix"],
            pk,
            self.csrf,
            pk,
            t["reason"],
            pk,
            self.flag_options,
            t["send"],
        )

    def _moderate(self, view: PostView) -> SafeString | str:
        if not self.context["is_moderator"]:
            return ""
        post, t, icons = view.post, self.labels, self.context["icons"]
        button = '<button class="btn btn-sm {}" name="action" value="{}">{}</button>'
        flags = (
            format_html(
                '<span class="badge text-bg-danger align-self-center">{}</span>',
                ngettext("%(n)s flag", "%(n)s flags", view.flags) % {"n": view.flags},
            )
            if view.flags
            else ""
        )
        if post.is_hidden:
            visibility = format_html(button, "btn-outline-secondary", "unhide", t["show"])
        else:
            hide = format_html("{} {}", icons["eye_slash"], t["hide"])
            visibility = format_html(button, "btn-outline-secondary", "hide", hide)
        dismiss = (
            format_html(button, "btn-outline-secondary", "dismiss", t["dismiss"])
            if view.flags
            else ""
        )
        ban = "" if view.is_staff else format_html(button, "btn-outline-danger", "ban", t["ban"])
        return format_html(
            '<form method="post" action="{}{}/moderate/" class="d-flex flex-wrap gap-1{}">'
            "{}{}{}{}{}</form>",
            self.context["post_prefix"],
            post.pk,
            "" if self._may_vote(view) else " ms-auto",
            self.csrf,
            flags,
            visibility,
            dismiss,
            ban,
        )
