"""The Django admin of the help center: where staff write articles, guides and videos.

Writes that carry rules go through the services: a translation's title or body saved here
writes a version (services.articles), publishing goes through translation_publish, a video's
transcript is parsed into cues by video_transcript_set. Versions, feedback, chapters read and
search misses are shown, never edited.
"""

from . import articles, guides, videos

__all__ = ["articles", "guides", "videos"]
