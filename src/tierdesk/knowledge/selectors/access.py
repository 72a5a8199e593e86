"""Who may read what in the help center: the ONE visibility rule, and the querysets built on it.

Every page, API endpoint, search backend, sitemap and export for readers starts from these
helpers, so a member can never reach an article, guide or video above their visibility by
another door. A thing the reader may not see does not exist for them: the `access_*` helpers
answer Http404, never 403, so the answer gives no hint that it is there.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from tierdesk.accounts.models import Viewer
from tierdesk.accounts.roles import AGENT_ROLES, Role

from ..choices import TranslationStatus, Visibility
from ..models import (
    Article,
    ArticleTranslation,
    Category,
    Guide,
    GuideChapter,
    Video,
)

# The vendor's staff: every agent role and the staff admins. They read everything and write.
STAFF_ROLES = frozenset({*AGENT_ROLES, Role.STAFF_ADMIN})

EVERYTHING = frozenset(Visibility.values)
VISITOR = frozenset({Visibility.PUBLIC.value})
MEMBER = frozenset({Visibility.PUBLIC.value, Visibility.SIGNED_IN.value})
PAID_MEMBER = frozenset({*MEMBER, Visibility.PAID.value})


def visibilities_for(user: Viewer | None) -> frozenset[str]:
    """The visibilities this reader may see: THE rule of the help center.

    A visitor (and an inactive user) reads public things; a signed-in customer also the
    signed-in ones, and the paid ones when the account's license plan is paid; vendor staff read
    everything, agents-only included.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return VISITOR
    if user.role in STAFF_ROLES:
        return EVERYTHING
    account = user.account
    if account is not None and account.license_plan.is_paid:
        return PAID_MEMBER
    return MEMBER


def may_author(user: Viewer | None) -> bool:
    """Vendor staff write the help center and see drafts; nobody else does."""
    return visibilities_for(user) == EVERYTHING


def visible_articles(user: Viewer | None) -> QuerySet[Article]:
    """The articles (topics) this reader may see, whatever their translations' state."""
    return Article.objects.filter(visibility__in=visibilities_for(user))


def visible_translations(
    user: Viewer | None, *, language: str | None = None, drafts: bool = False
) -> QuerySet[ArticleTranslation]:
    """The translations this reader may read: published (drafts too for authors who ask)."""
    queryset = ArticleTranslation.objects.filter(article__visibility__in=visibilities_for(user))
    if not (drafts and may_author(user)):
        queryset = queryset.filter(status=TranslationStatus.PUBLISHED)
    if language is not None:
        queryset = queryset.filter(language=language)
    return queryset


def readable_articles(user: Viewer | None) -> QuerySet[Article]:
    """The visible articles with at least one published translation (what lists may show)."""
    published = ArticleTranslation.objects.filter(
        article=OuterRef("pk"), status=TranslationStatus.PUBLISHED
    )
    return visible_articles(user).filter(Exists(published))


def visible_categories(user: Viewer | None) -> QuerySet[Category]:
    """The categories holding something this reader may read (authors: every category).

    A category whose articles are all above the reader's visibility is hidden too: its name
    alone ("Internal runbooks") would tell that something is there.
    """
    if may_author(user):
        return Category.objects.all()
    readable = readable_articles(user).filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(readable))


def visible_guides(user: Viewer | None) -> QuerySet[Guide]:
    """The guides this reader may see."""
    return Guide.objects.filter(visibility__in=visibilities_for(user))


def visible_chapters(user: Viewer | None, guide: Guide) -> QuerySet[GuideChapter]:
    """A visible guide's chapters whose article the reader may read, in order."""
    articles = readable_articles(user)
    return guide.chapters.filter(article__in=articles).order_by("position", "pk")


def visible_videos(user: Viewer | None, *, drafts: bool = False) -> QuerySet[Video]:
    """The published videos this reader may see (unpublished too for authors who ask)."""
    queryset = Video.objects.filter(visibility__in=visibilities_for(user))
    if not (drafts and may_author(user)):
        queryset = queryset.filter(published=True)
    return queryset


def access_translation(
    user: Viewer | None, *, language: str, slug: str, drafts: bool = False
) -> ArticleTranslation:
    """The translation at /help/<language>/<slug>/ if the reader may read it; else Http404."""
    queryset = visible_translations(user, language=language, drafts=drafts).select_related(
        "article__category", "article__owner"
    )
    try:
        return queryset.get(slug=slug)
    except ArticleTranslation.DoesNotExist:
        raise Http404("No such article.") from None


def access_category(user: Viewer | None, *, slug: str) -> Category:
    """The category if it holds something the reader may read; else Http404."""
    try:
        return visible_categories(user).get(slug=slug)
    except Category.DoesNotExist:
        raise Http404("No such category.") from None


def access_guide(user: Viewer | None, *, slug: str) -> Guide:
    """The guide if the reader may see it; else Http404."""
    try:
        return visible_guides(user).get(slug=slug)
    except Guide.DoesNotExist:
        raise Http404("No such guide.") from None


def access_video(user: Viewer | None, *, slug: str, drafts: bool = False) -> Video:
    """The video if the reader may see it; else Http404."""
    try:
        return visible_videos(user, drafts=drafts).get(slug=slug)
    except Video.DoesNotExist:
        raise Http404("No such video.") from None


def access_author(user: Viewer | None) -> None:
    """Http404 unless the user writes the help center (the staff pages do not exist for others)."""
    if not may_author(user):
        raise Http404("No such page.")
