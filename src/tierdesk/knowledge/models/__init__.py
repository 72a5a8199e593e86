"""The help center's tables: articles and their translations, guides, videos, search misses.

A package of one module per concern; every model is importable from `tierdesk.knowledge.models`.
"""

from __future__ import annotations

from .articles import Article as Article
from .articles import ArticleFeedback as ArticleFeedback
from .articles import ArticleTag as ArticleTag
from .articles import ArticleTranslation as ArticleTranslation
from .articles import ArticleVersion as ArticleVersion
from .articles import Category as Category
from .articles import SearchMiss as SearchMiss
from .deflection import Deflection as Deflection
from .guides import ChapterRead as ChapterRead
from .guides import Guide as Guide
from .guides import GuideChapter as GuideChapter
from .localizing import localized as localized
from .search import SearchEntry as SearchEntry
from .search import SearchIndexVersion as SearchIndexVersion
from .search import SearchKind as SearchKind
from .videos import TranscriptCue as TranscriptCue
from .videos import Video as Video
from .videos import VideoChapter as VideoChapter
