"""The video pages: the videos, a video with its chapters and transcript, and the files the
page loads (the video with Range support, its poster, its captions as WebVTT).

The files are answered here, after access_video, never from a public media folder: a video for
paid plans stays theirs whoever guesses its address.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from ..choices import Visibility
from ..models.localizing import reader_language
from ..selectors.access import access_video, may_author
from ..selectors.videos import start_seconds, video_list, video_page_data
from .common import HELP_HOME_URL_NAME, routed
from .streaming import ranged_file_response

VIDEO_PAGE_SIZE = 24
# The poster types a page may show; anything else (an SVG could carry script) is not served.
POSTER_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
VIDEO_TYPES = {".webm": "video/webm", ".mp4": "video/mp4", ".m4v": "video/mp4", ".ogv": "video/ogg"}


def _suffix(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def video_type(name: str) -> str:
    """The MIME type of a video file by its name (video/webm, video/mp4)."""
    return VIDEO_TYPES.get(_suffix(name), "application/octet-stream")


@require_safe
def video_list_page(request: HttpRequest) -> HttpResponse:
    """/help/videos/: the videos the reader may see, their language first."""
    language = reader_language(get_language())
    page = Paginator(video_list(request.user, language), VIDEO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "reader_language": language,
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(reverse("knowledge:videos")),
    }
    return render(request, "knowledge/videos.html", context)


@require_safe
def video_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/help/videos/<slug>/: the player, its chapters and transcript; ?t=<seconds> starts there."""
    user = request.user
    video = access_video(user, slug=slug, drafts=True)
    data = video_page_data(video, start=start_seconds(request.GET.get("t")))
    context = {
        "video": video,
        "data": data,
        "video_type": video_type(video.file.name) if video.file else "",
        "help_home_url": routed(HELP_HOME_URL_NAME),
        "canonical_url": request.build_absolute_uri(reverse("knowledge:video", args=[slug])),
        "noindex": video.visibility != Visibility.PUBLIC or not video.published,
        "is_author": may_author(user),
        "admin_url": routed("admin:knowledge_video_change", video.pk) if may_author(user) else "",
    }
    return render(request, "knowledge/video.html", context)


@require_safe
def video_file(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """The uploaded video, with Range support so the player can seek."""
    video = access_video(request.user, slug=slug, drafts=True)
    if not video.file:
        raise Http404("This video is not a file.")
    public = video.visibility == Visibility.PUBLIC and video.published
    return ranged_file_response(
        request, video.file, content_type=video_type(video.file.name), public=public
    )


@require_safe
def video_poster(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """The video's poster image (PNG, JPEG or WebP)."""
    video = access_video(request.user, slug=slug, drafts=True)
    kind = POSTER_TYPES.get(_suffix(video.poster.name)) if video.poster else None
    if kind is None:
        raise Http404("No poster.")
    public = video.visibility == Visibility.PUBLIC and video.published
    return ranged_file_response(request, video.poster, content_type=kind, public=public)


@require_safe
def video_captions(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored WebVTT transcript, for the player's <track kind="captions">."""
    video = access_video(request.user, slug=slug, drafts=True)
    if not video.transcript_vtt.strip():
        raise Http404("No transcript.")
    response = HttpResponse(video.transcript_vtt, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    public = video.visibility == Visibility.PUBLIC and video.published
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    return response
