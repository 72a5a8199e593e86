"""Attachments: checked for size and type (read from the content), stored under MEDIA_ROOT."""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from datetime import datetime
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..choices import EventKind, Status
from ..models import Attachment, Case, Message
from ..permissions import may_reply_as_customer, may_work
from .history import event_record
from .workflow import case_lock

# Formats without magic bytes: the content must be text, and the name tells which text it is.
TEXT_TYPES_BY_EXTENSION = {".csv": "text/csv", ".json": "application/json"}
# ZIP-based office formats: a ZIP holding this member is that format.
ZIP_MEMBER_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
UNKNOWN_TYPE = "application/octet-stream"
_HEAD_BYTES = 8192  # as much as `filetype` reads


def _zip_type(upload: UploadedFile) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return UNKNOWN_TYPE
    for member, content_type in ZIP_MEMBER_TYPES.items():
        if member in names:
            return content_type
    return "application/zip"


def _is_text(upload: UploadedFile) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_content_type(upload: UploadedFile, filename: str) -> str:
    """The file's type read from its bytes; never from its name or the browser's claim.

    Binary formats are known by their magic bytes (`filetype`); a ZIP is a DOCX, XLSX or PPTX
    when it holds that format's main member. Text has no magic: a file whose bytes are UTF-8
    without NUL is text, and only then does the name's extension say which text (CSV, JSON,
    else plain). Anything else is application/octet-stream.
    """
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(upload)
        kind = filetype.guess(head)
        if kind is not None:
            return str(kind.mime)
        if head and _is_text(upload):
            extension = PurePath(filename).suffix.lower()
            return TEXT_TYPES_BY_EXTENSION.get(extension, "text/plain")
        return UNKNOWN_TYPE
    finally:
        upload.seek(0)


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
    case = case_lock(case)
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
    content_type = detect_content_type(upload, filename)
    if content_type not in settings.ATTACHMENT_CONTENT_TYPES:
        raise ValidationError(
            {
                "file": _("The file's content is of type %(t)s, which is not accepted.")
                % {"t": content_type}
            }
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
        event_record(case=case, actor=actor, at=now, kind=EventKind.ATTACHMENT, after=filename)
    except BaseException:
        # The row is not written: do not leave its file behind.
        attachment.file.delete(save=False)
        raise
    return attachment
