"""Admin of categories, tags, articles with their translations, versions, feedback and misses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..choices import TranslationStatus
from ..models import (
    Article,
    ArticleFeedback,
    ArticleTag,
    ArticleTranslation,
    ArticleVersion,
    Category,
    SearchMiss,
)
from ..models.articles import review_due_expression
from ..services.articles import (
    article_mark_reviewed,
    translation_publish,
    translation_save,
    translation_unpublish,
)
from ..services.catalogue import article_delete, translation_delete
from ..services.search import search_index_update
from .common import ReadOnlyAdminMixin, ReadOnlyTabularInline, markdown_preview


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("name_en", "name_it", "slug", "position", "icon")
    list_editable = ("position",)
    search_fields = ("slug", "name_en", "name_it")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(ArticleTag)
class ArticleTagAdmin(admin.ModelAdmin[ArticleTag]):
    list_display = ("name", "slug")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}


class TranslationForm(forms.ModelForm[ArticleTranslation]):
    """A translation as the admin edits it: the slug may be left empty (made from the title),
    and the language of a saved translation is fixed (another language is another row)."""

    class Meta:
        model = ArticleTranslation
        fields = ("language", "title", "slug", "summary", "body", "status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = gettext("Empty: made from the title.")
        if self.instance.pk:
            self.fields["language"].disabled = True


def translation_save_from_admin(
    request: HttpRequest, article: Article, data: dict[str, Any]
) -> ArticleTranslation:
    """Save what the admin typed through the services: a version, then the status."""
    translation = translation_save(
        article=article,
        language=data["language"],
        title=data["title"],
        body=data["body"],
        summary=data.get("summary", ""),
        slug=data.get("slug") or None,
        actor=request.user,  # type: ignore[arg-type]
        note=gettext("Edited in the admin."),
    )
    if data.get("status") == TranslationStatus.PUBLISHED:
        return translation_publish(translation=translation, actor=request.user)  # type: ignore[arg-type]
    return translation_unpublish(translation=translation, actor=request.user)  # type: ignore[arg-type]


class TranslationInline(admin.StackedInline[ArticleTranslation, Article]):
    model = ArticleTranslation
    form = TranslationForm
    extra = 0
    min_num = 0
    can_delete = False
    show_change_link = True
    fields = (
        "language",
        "title",
        "slug",
        "summary",
        "body",
        "status",
        "published_at",
        "updated_at",
        "view_count",
        "helpful_count",
        "unhelpful_count",
    )
    readonly_fields = (
        "published_at",
        "updated_at",
        "view_count",
        "helpful_count",
        "unhelpful_count",
    )


class DueForReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        """Due or not yet due."""
        return [("due", _("Due for review"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The articles whose review is due now."""
        if self.value() != "due":
            return queryset
        return queryset.annotate(review_due=review_due_expression()).filter(
            review_due__lte=timezone.now()
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = (
        "__str__",
        "category",
        "visibility",
        "languages",
        "owner",
        "last_reviewed_at",
        "review_due",
    )
    list_filter = ("visibility", "category", DueForReviewFilter, "tags")
    list_select_related = ("category", "owner")
    search_fields = ("translations__title", "translations__slug")
    autocomplete_fields = ("owner",)
    filter_horizontal = ("tags",)
    fields = (
        "category",
        "visibility",
        "tags",
        "owner",
        "review_interval_days",
        "last_reviewed_at",
        "created_at",
    )
    readonly_fields = ("last_reviewed_at", "created_at")
    inlines = (TranslationInline,)
    actions = ("mark_reviewed",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        """With the translations the list's title and languages read, in one more query."""
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("languages"))
    def languages(self, obj: Article) -> str:
        """The article's languages, a draft in brackets."""
        return " ".join(
            t.language if t.is_published else f"({t.language})" for t in obj.translations.all()
        )

    @admin.display(description=_("review due"))
    def review_due(self, obj: Article) -> Any:
        """When the article is next due for review."""
        return obj.review_due_at

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        """A new article's owner is its author unless one was chosen."""
        if not change and obj.owner_id is None:
            obj.owner = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Translations through the services (each change of title or body is a version)."""
        if formset.model is not ArticleTranslation:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message (LogEntry) reads from a formset that saved itself.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for translation_form in formset.forms:
            if translation_form.has_changed() and translation_form.cleaned_data:
                existed = translation_form.instance.pk is not None
                saved = translation_save_from_admin(
                    request, form.instance, translation_form.cleaned_data
                )
                if existed:
                    formset.changed_objects.append((saved, translation_form.changed_data))
                else:
                    formset.new_objects.append(saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Then the index follows the article's visibility and category (the translations
        saved through the services are already in it)."""
        super().save_related(request, form, formsets, change)
        search_index_update(article=form.instance)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        """Through the service, which takes the article's search entries with it."""
        article_delete(article=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        """The bulk delete, one article at a time through the service."""
        for article in queryset:
            article_delete(article=article, actor=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Mark as reviewed today"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        """Record a review of each selected article."""
        count = 0
        for article in queryset:
            article_mark_reviewed(article=article, actor=request.user)  # type: ignore[arg-type]
            count += 1
        message = ngettext(
            "%(n)d article marked reviewed.", "%(n)d articles marked reviewed.", count
        )
        self.message_user(request, message % {"n": count}, messages.SUCCESS)


class VersionInline(ReadOnlyTabularInline):
    model = ArticleVersion
    fields = ("number", "title", "author", "created_at", "note")
    readonly_fields = fields
    ordering = ("-number",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the authors, in one query."""
        return super().get_queryset(request).select_related("author")


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(admin.ModelAdmin[ArticleTranslation]):
    form = TranslationForm
    list_display = ("title", "language", "status", "article", "updated_at", "view_count")
    list_filter = ("language", "status", "article__category", "article__visibility")
    list_select_related = ("article",)
    search_fields = ("title", "slug", "summary")
    fields = (
        "article",
        "language",
        "title",
        "slug",
        "summary",
        "body",
        "status",
        "preview",
        "reader_links",
        "published_at",
        "updated_at",
        "view_count",
        "helpful_count",
        "unhelpful_count",
    )
    readonly_fields = (
        "article",
        "preview",
        "reader_links",
        "published_at",
        "updated_at",
        "view_count",
        "helpful_count",
        "unhelpful_count",
    )
    inlines = (VersionInline,)
    actions = ("publish", "unpublish")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """A translation is added on its article's page."""
        return False

    @admin.display(description=_("preview"))
    def preview(self, obj: ArticleTranslation) -> SafeString:
        """The body as readers see it."""
        return markdown_preview(obj.body)

    @admin.display(description=_("pages"))
    def reader_links(self, obj: ArticleTranslation) -> SafeString | str:
        """Links to the reader's page and the version history (once those pages are routed)."""
        try:
            page = reverse("knowledge:article", args=[obj.language, obj.slug])
            history = reverse("knowledge:versions", args=[obj.language, obj.slug])
        except NoReverseMatch:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            page,
            gettext("View"),
            history,
            gettext("History and diffs"),
        )

    def save_model(
        self, request: HttpRequest, obj: ArticleTranslation, form: Any, change: bool
    ) -> None:
        """Through the services: a version for a changed title or body, then the status."""
        saved = translation_save_from_admin(request, obj.article, form.cleaned_data)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: ArticleTranslation) -> None:
        """Through the service, which takes the translation's search entry with it."""
        translation_delete(translation=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ArticleTranslation]) -> None:
        """The bulk delete, one translation at a time through the service."""
        for translation in queryset:
            translation_delete(translation=translation, actor=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ArticleTranslation]) -> None:
        """Publish the selected translations."""
        for translation in queryset:
            translation_publish(translation=translation, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, gettext("Published."), messages.SUCCESS)

    @admin.action(description=_("Unpublish (back to draft)"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[ArticleTranslation]) -> None:
        """Take the selected translations back to draft."""
        for translation in queryset:
            translation_unpublish(translation=translation, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, gettext("Back to draft."), messages.SUCCESS)


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ArticleVersion]):
    list_display = ("translation", "number", "author", "created_at", "note")
    list_select_related = ("translation", "author")
    list_filter = ("translation__language",)
    search_fields = ("title", "translation__slug")
    fields = ("translation", "number", "title", "author", "created_at", "note", "preview")
    readonly_fields = fields

    @admin.display(description=_("preview"))
    def preview(self, obj: ArticleVersion) -> SafeString:
        """The version's body as readers would see it."""
        return markdown_preview(obj.body)


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ArticleFeedback]):
    list_display = ("translation", "helpful", "comment", "user", "updated_at")
    list_filter = ("helpful", "translation__language")
    list_select_related = ("translation", "user")
    search_fields = ("comment", "translation__title")
    date_hierarchy = "updated_at"


@admin.register(SearchMiss)
class SearchMissAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[SearchMiss]):
    list_display = ("query", "language", "count", "first_seen_at", "last_seen_at")
    list_filter = ("language",)
    search_fields = ("query",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A gap that was filled may be cleared from the list."""
        return bool(request.user.has_perm("knowledge.delete_searchmiss"))
