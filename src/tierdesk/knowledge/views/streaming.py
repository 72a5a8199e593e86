"""A stored file answered with HTTP Range support (RFC 9110 §14), for <video> seeking.

Uploads are never public (settings.MEDIA_URL is not routed, whitenoise serves only static
files) and Django's FileResponse always sends the whole file with 200, which a browser cannot
seek in before it has downloaded everything. This answers `Range: bytes=a-b`, `a-` and `-n`
with 206 and the bytes asked, an unsatisfiable range with 416, and several ranges (rare; no
browser asks them for media) with the whole file, as RFC 9110 allows. `If-Range` with a
stale validator gets the whole file too. The file is read in chunks, never whole into memory.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The (first, last) byte asked by a Range header; None to send it all; "416" when
    the range cannot be satisfied."""
    match = RANGE.match(header.replace(" ", ""))
    if match is None:  # several ranges, another unit, or garbage: ignored, the whole file
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            return "416"
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "416"
    return start, end


def _chunks(stored: FieldFile, start: int, length: int) -> Iterator[bytes]:
    # Opened here, as the response is sent: a response never sent holds no file open.
    with stored.storage.open(str(stored.name), "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data


def ranged_file_response(
    request: HttpRequest,
    stored: FieldFile,
    *,
    content_type: str | None = None,
    public: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """The stored file, whole (200) or the range asked (206); Http404 when it is missing."""
    name = str(stored.name or "")
    try:
        size = stored.size
        modified = stored.storage.get_modified_time(name)
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing.") from None
    etag = quote_etag(f"{int(modified.timestamp())}-{size}")
    last_modified = http_date(modified.timestamp())
    kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"

    asked = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    if asked and if_range and if_range not in (etag, last_modified):
        asked = ""  # the client's copy is stale: it gets the whole new file
    wanted = byte_range(asked, size) if asked else None

    response: HttpResponse | StreamingHttpResponse
    if wanted == "416":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
        length = max(0, end - start + 1)
        if request.method == "HEAD":
            response = HttpResponse(status=206 if wanted else 200)
        else:
            response = StreamingHttpResponse(
                _chunks(stored, start, length), status=206 if wanted else 200
            )
        response["Content-Length"] = str(length)
        if wanted:
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Type"] = kind
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file is inert: no script, no plugin, no frame.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    return response
