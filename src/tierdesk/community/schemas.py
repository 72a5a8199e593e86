"""The shapes of the forum's API. A poster is a display name and badges: never an e-mail or a
customer account."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from tierdesk.config.api_types import BodyId, Text

VoteValue = Literal[-1, 0, 1]
FlagReasonValue = Literal["spam", "rude", "off_topic", "other"]
PostAction = Literal["hide", "unhide", "dismiss", "ban", "unban"]
ThreadAction = Literal["lock", "unlock", "move", "merge", "duplicate"]
StateValue = Literal["solved", "unsolved", "unanswered"]


class PosterOut(Schema):
    name: str = Field(description="The display name (never an e-mail or a customer account).")
    staff: bool
    expert: bool
    reputation: int


class ForumCategoryOut(Schema):
    slug: str
    name: str
    description: str
    product_area: str
    language: str


class ThreadOut(Schema):
    id: int
    title: str
    category: str = Field(description="The category's slug.")
    language: str
    author: PosterOut
    tags: list[str]
    reply_count: int
    score: int
    solved: bool
    locked: bool
    hidden: bool = Field(description="Only moderators see hidden threads.")
    duplicate_of: int | None
    created_at: datetime
    last_activity_at: datetime
    url: str


class PostOut(Schema):
    id: int
    author: PosterOut
    is_question: bool
    accepted: bool
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="Rendered and sanitised.")
    score: int
    my_vote: int
    hidden: bool
    created_at: datetime
    edited_at: datetime | None
    images: list[str] = Field(description="The attached images' addresses.")


class ThreadDetailOut(ThreadOut):
    question: PostOut | None
    accepted: PostOut | None = Field(description="The accepted solution, shown first.")
    replies: list[PostOut] = Field(description="A page of the other replies, oldest first.")
    reply_pages: int


class ThreadIn(Schema):
    category: Annotated[Text, Field(max_length=80)]
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    body: Annotated[Text, Field(min_length=1, max_length=20_000)]
    tags: list[Annotated[Text, Field(max_length=50)]] = Field(default_factory=list, max_length=5)


class ReplyIn(Schema):
    body: Annotated[Text, Field(min_length=1, max_length=20_000)]


class PostEditIn(Schema):
    body: Annotated[Text, Field(min_length=1, max_length=20_000)]
    title: Annotated[Text, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="The thread's new title (the question only; ignored otherwise)."
    )


class RevisionOut(Schema):
    """A post's text before one edit, newest first; the editor by display name."""

    title: str = Field(description="The thread's title then (the question's revisions only).")
    body: str
    editor: str
    created_at: datetime


class FollowOut(Schema):
    following: bool


class VoteIn(Schema):
    value: VoteValue = Field(description="1 up, -1 down, 0 takes the vote back.")


class VoteOut(Schema):
    score: int


class AcceptIn(Schema):
    post: BodyId | None = Field(None, description="A reply's id; null takes the mark back.")


class FlagIn(Schema):
    reason: FlagReasonValue
    note: Annotated[Text, Field(max_length=300)] = ""


class FlagOut(Schema):
    id: int
    reason: str


class PostModerationIn(Schema):
    action: PostAction
    note: Annotated[Text, Field(max_length=300)] = ""


class ThreadModerationIn(Schema):
    action: ThreadAction
    category: Annotated[Text, Field(max_length=80)] | None = None
    target: BodyId | None = Field(None, description="The other thread (merge, duplicate).")
    note: Annotated[Text, Field(max_length=300)] = ""


class FlaggedPostOut(Schema):
    post: int
    thread: int
    author: PosterOut
    body: str
    open_flags: int
    reasons: list[str]


class SimilarOut(Schema):
    id: int
    title: str
    solved: bool
    url: str


class PostImageOut(Schema):
    """An image attached to a post."""

    id: int
    url: str = Field(description="Where the image is served (to whoever may read the post).")
    markdown: str = Field(
        description=(
            "A markdown link to the image, to put in the post's text with PATCH posts/{id}. "
            "Attached images are shown under the post; the forum's markdown shows no inline images."
        )
    )
    name: str = Field(description="The uploaded file's name.")
    content_type: str = Field(description="Read from the file's bytes, not from its name.")
    size: int = Field(description="In bytes.")


class ModerationEntryOut(Schema):
    """One moderator action of the audit log; people by display name only."""

    id: int
    action: str = Field(
        description=(
            "hide, unhide, lock, unlock, move, merge, duplicate, ban, unban, dismiss (flags), "
            "accept (a solution, by staff) or article (a draft made from the thread)."
        )
    )
    action_label: str = Field(description="The action in the reader's language.")
    moderator: str = Field(description="The moderator's display name (never an e-mail).")
    thread: int | None = Field(description="The thread acted on (null if none or deleted).")
    post: int | None = Field(description="The post acted on (null if none or deleted).")
    member: str | None = Field(
        description="The member acted on (a hidden post's author, one banned), by display name."
    )
    note: str
    created_at: datetime
