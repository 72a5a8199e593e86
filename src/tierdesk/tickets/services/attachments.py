"""Attachments: checked for size and type, stored under MEDIA_ROOT (outside the web root)."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..choices import Status
from ..models import Attachment, Case, Message
from ..permissions import may_reply_as_customer, may_work
from .cases import _lock
from .history import event_record


def _content_type(upload: UploadedFile, filename: str) -> str:
    # The browser's claim is not trusted alone: the extension must agree with an allowed type.
    guessed, _encoding = mimetypes.guess_type(filename)
    return guessed or (upload.content_type or "application/octet-stream")


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    case: Case,
    upload: UploadedFile,
    message: Message | None = None,
    public: bool = True,
    now: datetime | None = None,
) -> Attachment:
    """Attach a file to a case (customers: public only), within the size and type limits."""
    now = now or timezone.now()
    case = _lock(case)
    agent = may_work(actor, case)
    if not agent and not (may_reply_as_customer(actor, case) and public):
        raise PermissionDenied(_("You may not add files to this case."))
    if case.status == Status.CLOSED:
        raise ValidationError({"file": _("The case is closed.")})
    if message is not None and message.case_id != case.pk:
        raise ValidationError({"message": _("That message belongs to another case.")})
    filename = get_valid_filename(PurePath(upload.name or "file").name)[:150] or "file"
    size = upload.size or 0
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb).1f MB.")
                % {"mb": settings.ATTACHMENT_MAX_BYTES / 1_048_576}
            }
        )
    content_type = _content_type(upload, filename)
    if content_type not in settings.ATTACHMENT_CONTENT_TYPES:
        raise ValidationError(
            {"file": _("Files of type %(t)s are not accepted.") % {"t": content_type}}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        message=message,
        uploaded_by=actor,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        is_public=public,
        created_at=now,
    )
    attachment.file.save(filename, upload, save=False)
    try:
        attachment.save()
        event_record(case=case, actor=actor, at=now, kind="attachment", after=filename)
    except BaseException:
        # The row is not written: do not leave its file behind.
        attachment.file.delete(save=False)
        raise
    return attachment
