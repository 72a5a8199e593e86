"""Routes of the video tutorials: the list, a video's page, and the files that page loads."""

from django.urls import URLPattern, path

from ..views import videos

urlpatterns: list[URLPattern] = [
    path("videos/", videos.video_list_page, name="videos"),
    path("videos/<slug:slug>/", videos.video_page, name="video"),
    path("videos/<slug:slug>/file/", videos.video_file, name="video-file"),
    path("videos/<slug:slug>/poster/", videos.video_poster, name="video-poster"),
    path("videos/<slug:slug>/captions.vtt", videos.video_captions, name="video-captions"),
]
