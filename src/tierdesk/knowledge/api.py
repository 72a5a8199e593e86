"""API of the help center under /api/v1/help/: categories, articles, guides, videos, search.

Reads are for everyone, visitors included (no credential: what a visitor may read), each
through the one rule in selectors.access: a thing the caller may not read is a 404, exactly
like a missing one. Writes are the vendor's staff's (403 for anyone else, before any lookup)
and go through the services, so every change of a title or body writes a version.
"""

from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from tierdesk.accounts.models import User
from tierdesk.config.api_types import (
    MAX_OFFSET,
    READ_ERRORS,
    WRITE_ERRORS,
    PageRows,
    Pagination,
    PathId,
    PathSlug,
    Text,
)

from .models import ArticleTag, ArticleTranslation, Category
from .models.localizing import reader_language
from .schemas import (
    ArticleDetailOut,
    ArticleIn,
    ArticleOut,
    CategoryOut,
    GuideDetailOut,
    GuideOut,
    LanguageValue,
    SearchKindValue,
    SearchOut,
    StatusValue,
    TranslationIn,
    VideoDetailOut,
    VideoOut,
)
from .selectors import help_api as reads
from .selectors.access import may_author, visible_articles
from .selectors.search import MAX_LIMIT as SEARCH_MAX_LIMIT
from .selectors.search import search as search_selector
from .services import articles as article_services

PREFIX = "/help"
router = Router(tags=["help center"])

LanguageQuery = Annotated[
    LanguageValue | None,
    Query(None, description="A language code; default: the request's language."),
]


def _visitor(request: HttpRequest) -> AnonymousUser:
    """No credential at all: the caller reads as a visitor (public things only)."""
    return AnonymousUser()


def _read_auth() -> list[Any]:
    """The API's own ways in (a wrong token is still a 401), then the visitor.

    Imported here, once `router` exists: config.api imports this module to add its router.
    """
    from tierdesk.config.api import BearerTokenAuth, SessionCsrfAuth

    return [BearerTokenAuth(), SessionCsrfAuth(), _visitor]


READ_AUTH = _read_auth()


def _reader(request: HttpRequest) -> User | AnonymousUser:
    return request.auth  # type: ignore[attr-defined]


def _author(request: HttpRequest) -> User:
    """The caller if they write the help center; else 403, before anything is looked up."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not may_author(user):
        raise PermissionDenied(_("Only the vendor's staff edit the help center."))
    return user


def _language(language: str | None) -> str:
    return reader_language(language or get_language())


# --- reads --------------------------------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut], **READ_ERRORS}, auth=READ_AUTH)
def category_list(request: HttpRequest, language: LanguageQuery = None) -> list[dict[str, Any]]:
    """The categories holding something the caller may read, with their article counts."""
    return reads.category_rows(_reader(request), _language(language))


@router.get("/articles", response={200: list[ArticleOut], **READ_ERRORS}, auth=READ_AUTH)
@paginate(Pagination)
def article_list(
    request: HttpRequest,
    language: Annotated[
        LanguageValue | None, Query(None, description="Only this language.")
    ] = None,
    category: Annotated[Text | None, Query(None, max_length=80)] = None,
    tag: Annotated[Text | None, Query(None, max_length=50)] = None,
    status: Annotated[StatusValue | None, Query(None, description="Drafts: staff only.")] = None,
) -> Any:
    """The article translations the caller may read (staff: drafts too), newest change first."""
    rows = reads.article_list(
        _reader(request), language=language, category=category, tag=tag, status=status
    )
    return PageRows(rows, reads.article_row)


@router.get(
    "/articles/{language}/{slug}", response={200: ArticleDetailOut, **READ_ERRORS}, auth=READ_AUTH
)
def article_detail(request: HttpRequest, language: LanguageValue, slug: PathSlug) -> dict[str, Any]:
    """One translation: its markdown and its rendered, sanitised HTML, and its other languages."""
    return reads.article_detail(_reader(request), language=language, slug=slug)


@router.get("/guides", response={200: list[GuideOut], **READ_ERRORS}, auth=READ_AUTH)
def guide_list(request: HttpRequest, language: LanguageQuery = None) -> list[dict[str, Any]]:
    """The guides holding a chapter the caller may read, in order."""
    return reads.guide_rows(_reader(request), _language(language))


@router.get("/guides/{slug}", response={200: GuideDetailOut, **READ_ERRORS}, auth=READ_AUTH)
def guide_detail(
    request: HttpRequest, slug: PathSlug, language: LanguageQuery = None
) -> dict[str, Any]:
    """A guide and its chapters the caller may read, each in the language asked for."""
    return reads.guide_detail(_reader(request), slug=slug, language=_language(language))


@router.get("/videos", response={200: list[VideoOut], **READ_ERRORS}, auth=READ_AUTH)
@paginate(Pagination)
def video_list(
    request: HttpRequest,
    language: Annotated[
        LanguageValue | None, Query(None, description="Only this language.")
    ] = None,
) -> Any:
    """The published videos the caller may see, newest first."""
    return PageRows(reads.api_videos(_reader(request), language=language), reads.video_row)


@router.get("/videos/{slug}", response={200: VideoDetailOut, **READ_ERRORS}, auth=READ_AUTH)
def video_detail(request: HttpRequest, slug: PathSlug) -> dict[str, Any]:
    """A video with its chapters and its transcript's lines (start and end in milliseconds)."""
    return reads.video_detail(_reader(request), slug=slug)


@router.get("/search", response={200: SearchOut, **READ_ERRORS}, auth=READ_AUTH)
def search(
    request: HttpRequest,
    q: Annotated[Text, Query(..., min_length=1, max_length=200, description="The words.")],
    kind: Annotated[
        list[SearchKindValue] | None, Query(None, description="Keep these kinds (repeatable).")
    ] = None,
    category: Annotated[Text | None, Query(None, max_length=80)] = None,
    language: Annotated[
        LanguageValue | None, Query(None, description="Only this language.")
    ] = None,
    limit: Annotated[int, Query(20, ge=1, le=SEARCH_MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(0, ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """One search over articles, guides and video transcripts, best first, as the caller may
    read them (the help center's search page's results)."""
    results = search_selector(
        _reader(request),
        q,
        kinds=set(kind) if kind else None,
        category=category or None,
        language=language,
        limit=limit,
        offset=offset,
    )
    return {
        "total": results.total,
        "items": [
            {
                "kind": hit.kind,
                "title": hit.title,
                "url": hit.url,
                "snippet_html": str(hit.snippet_html),
                "language": hit.language,
                "category": hit.category,
                "score": hit.score,
                "seek_seconds": hit.seek_seconds,
            }
            for hit in results.hits
        ],
    }


# --- writes (staff) -------------------------------------------------------------------------


def _category(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise ValidationError(
            {"category": _("No category has the slug %(slug)s.") % {"slug": slug}}
        )
    return category


def _tags(slugs: list[str]) -> list[ArticleTag]:
    tags = list(ArticleTag.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {tag.slug for tag in tags})
    if missing:
        raise ValidationError({"tags": _("Unknown tags: %(tags)s.") % {"tags": ", ".join(missing)}})
    return tags


def _translation(user: User, article_id: int, language: str) -> ArticleTranslation:
    article = visible_articles(user).filter(pk=article_id).first()
    translation = article and article.translations.filter(language=language).first()
    if not translation:
        raise Http404("No such translation.")
    return translation


@router.post("/articles", response={201: ArticleDetailOut, **WRITE_ERRORS})
def article_create(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    """Create an article with its first translation (version 1), a draft unless `publish`."""
    author = _author(request)
    article = article_services.article_create(
        category=_category(payload.category),
        language=payload.language,
        title=payload.title,
        body=payload.body,
        summary=payload.summary,
        slug=payload.slug or None,
        visibility=payload.visibility,
        tags=_tags(payload.tags),
        actor=author,
        publish=payload.publish,
        note=payload.note,
    )
    translation = article.translations.get(language=payload.language)
    return Status(201, reads.translation_detail(author, translation))


@router.put(
    "/articles/{article_id}/translations/{language}",
    response={200: ArticleDetailOut, **WRITE_ERRORS},
)
def translation_put(
    request: HttpRequest, article_id: PathId, language: LanguageValue, payload: TranslationIn
) -> dict[str, Any]:
    """Write one language of an article (created as a draft if new); a change writes a version."""
    author = _author(request)
    article = visible_articles(author).filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    translation = article_services.translation_save(
        article=article,
        language=language,
        title=payload.title,
        body=payload.body,
        summary=payload.summary,
        slug=payload.slug or None,
        actor=author,
        note=payload.note,
    )
    return reads.translation_detail(author, translation)


@router.post(
    "/articles/{article_id}/translations/{language}/publish",
    response={200: ArticleDetailOut, **WRITE_ERRORS},
)
def translation_publish(
    request: HttpRequest, article_id: PathId, language: LanguageValue
) -> dict[str, Any]:
    """Publish a translation: readers see it, by its article's visibility."""
    author = _author(request)
    translation = article_services.translation_publish(
        translation=_translation(author, article_id, language), actor=author
    )
    return reads.translation_detail(author, translation)


@router.post(
    "/articles/{article_id}/translations/{language}/unpublish",
    response={200: ArticleDetailOut, **WRITE_ERRORS},
)
def translation_unpublish(
    request: HttpRequest, article_id: PathId, language: LanguageValue
) -> dict[str, Any]:
    """Take a translation back to draft: readers no longer see it; its history stays."""
    author = _author(request)
    translation = article_services.translation_unpublish(
        translation=_translation(author, article_id, language), actor=author
    )
    return reads.translation_detail(author, translation)
