"""The forum's data: categories, threads, posts (the question and its replies), votes, follows,
flags, the moderators' audit log and each member's forum profile.

A thread's question is its first post (`Post.is_question`), so votes, edits, flags and images work
alike for questions and replies. Counters (`Thread.reply_count`, `Post.score`,
`ForumProfile.reputation`) are denormalised and written only by the services.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("en", "English"), ("it", "Italiano")]


class ForumCategory(models.Model):
    """A place for threads: one product area in one language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    product_area = models.CharField(_("product area"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="en")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        ordering: ClassVar = ["language", "position", "name"]

    def __str__(self) -> str:
        return self.name


class ForumTag(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("forum tag")
        ordering: ClassVar = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Thread(models.Model):
    """A question and its replies."""

    category = models.ForeignKey(
        ForumCategory, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_threads"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="en")
    tags = models.ManyToManyField(ForumTag, blank=True, related_name="threads")
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether `accepted_post` is set, kept by the services: the solved/unsolved filters read this
    # unindexed flag, so SQLite walks the list's index in order instead of the FK's index.
    is_solved = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The title's sentence embedding, 512 float16 values (1 KiB), for the similar-threads lookup.
    title_embedding = models.BinaryField(default=b"")
    case = models.ForeignKey(
        "tickets.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    article = models.ForeignKey(
        "knowledge.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )

    class Meta:
        verbose_name = _("thread")
        ordering: ClassVar = ["-last_activity_at", "-id"]
        indexes: ClassVar = [
            # In list order, `is_hidden` last: SQLite reads `NOT is_hidden` from the index while
            # it walks in order (it cannot seek on NOT col), and counts a category from it alone.
            models.Index(
                fields=["category", "-last_activity_at", "-id", "is_hidden", "is_solved"],
                name="thread_category_recent",
            ),
            models.Index(fields=["-last_activity_at", "-id", "is_hidden"], name="thread_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """The question (`is_question`) or a reply, in markdown; `body_html` is its sanitised HTML."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    is_question = models.BooleanField(default=False)
    body = models.TextField(_("body"))
    body_html = models.TextField(default="")
    score = models.IntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        ordering: ClassVar = ["created_at", "id"]
        indexes: ClassVar = [
            models.Index(fields=["thread", "created_at", "id"], name="post_thread_order"),
            models.Index(fields=["author", "created_at"], name="post_author_recent"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_question=True), name="one_question_per_thread"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.thread_id}"


class PostRevision(models.Model):
    """A post's body before an edit (and a thread's title at that moment, for the question)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision {self.pk} of post {self.post_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="community/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering: ClassVar = ["id"]

    def __str__(self) -> str:
        return self.name


class Vote(models.Model):
    """One member's vote on a post: +1 or -1, changeable, one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user"], name="one_vote_per_user_and_post"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_is_up_or_down"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on {self.post_id}"


class Subscription(models.Model):
    """A member follows a thread or a category (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        ForumCategory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_follow_per_thread"),
            models.UniqueConstraint(fields=["user", "category"], name="one_follow_per_category"),
            models.CheckConstraint(
                condition=Q(thread__isnull=True, category__isnull=False)
                | Q(thread__isnull=False, category__isnull=True),
                name="follow_thread_or_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id or self.category_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    RUDE = "rude", _("Rude or abusive")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user"], name="one_flag_per_user_and_post")
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.post_id}"


class ModerationKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    UNHIDE = "unhide", _("Shown again")
    LOCK = "lock", _("Locked")
    UNLOCK = "unlock", _("Unlocked")
    MOVE = "move", _("Moved")
    MERGE = "merge", _("Merged")
    DUPLICATE = "duplicate", _("Closed as a duplicate")
    BAN = "ban", _("Banned")
    UNBAN = "unban", _("Ban lifted")
    DISMISS = "dismiss", _("Flags dismissed")
    ACCEPT = "accept", _("Solution accepted by staff")
    ARTICLE = "article", _("Draft article created")


class ModerationAction(models.Model):
    """The audit log: every moderator's action, never edited."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ModerationKind.choices)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_id}"


class ForumProfile(models.Model):
    """A member's standing in the forum: reputation (see services.forum_reputation) and a ban."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    reputation = models.IntegerField(default=0)
    is_banned = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reputation}"


class SimilarIndexVersion(models.Model):
    """One row: bumped whenever the set of searchable thread titles changes (per-process caches)."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)
