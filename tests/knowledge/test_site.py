"""The public site for search engines: sitemap.xml lists only public published content (with
hreflang alternates), robots.txt points to it, and the head partial carries the same tags."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Category, Guide, GuideChapter, Video
from tierdesk.knowledge.views.common import routed

from .conftest import make_article, translate

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client: Client | None = None) -> ET.Element:
    response = (client or Client()).get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def locations(root: ET.Element) -> set[str]:
    return {loc.text or "" for loc in root.findall("s:url/s:loc", NS)}


@pytest.fixture
def everything(db):
    """Of each visibility: a category, an article in two languages, a guide, a video."""
    for visibility in Visibility:
        category = Category.objects.create(slug=f"shelf-{visibility}", name_en="Shelf")
        article = make_article(category, title=f"Article {visibility}", visibility=visibility)
        translate(article, "it", f"Articolo {visibility}")
        make_article(category, title=f"Draft {visibility}", visibility=visibility, publish=False)
        guide = Guide.objects.create(
            slug=f"guide-{visibility}", title_en="G", visibility=visibility
        )
        GuideChapter.objects.create(guide=guide, article=article)
        Video.objects.create(
            slug=f"video-{visibility}",
            title="V",
            visibility=visibility,
            external_url="https://videos.example/v",
            published=True,
        )
        Video.objects.create(
            slug=f"unpublished-{visibility}",
            title="V",
            visibility=visibility,
            external_url="https://videos.example/v",
        )


def test_the_sitemap_lists_public_published_content_only(everything, readers):
    # Whoever asks (an agent's session too), the sitemap is what a visitor may read.
    for reader in ("visitor", "agent"):
        client = Client()
        if readers[reader].is_authenticated:
            client.force_login(readers[reader])
        found = locations(sitemap(client))
        base = "http://testserver"
        assert f"{base}/help/en/article-public/" in found
        assert f"{base}/help/it/articolo-public/" in found
        assert f"{base}/help/c/shelf-public/" in found
        assert f"{base}/help/" in found
        for visibility in ("signed_in", "paid", "agents"):
            assert not any(visibility.replace("_", "-") in url for url in found), found
        assert not any("draft" in url or "unpublished" in url for url in found), found


def test_guides_and_videos_when_routed(everything):
    if not (routed("knowledge:guide", "x") and routed("knowledge:video", "x")):
        pytest.skip("guide and video pages are not routed yet")
    found = locations(sitemap())
    assert "http://testserver/help/guides/guide-public/" in found
    assert "http://testserver/help/videos/video-public/" in found


def test_articles_carry_their_languages_as_hreflang_alternates(everything):
    root = sitemap()
    for url in root.findall("s:url", NS):
        if url.findtext("s:loc", namespaces=NS) == "http://testserver/help/it/articolo-public/":
            links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            assert links == {
                "en": "http://testserver/help/en/article-public/",
                "it": "http://testserver/help/it/articolo-public/",
                "x-default": "http://testserver/help/en/article-public/",
            }
            assert url.findtext("s:lastmod", namespaces=NS)
            break
    else:
        raise AssertionError("the Italian article is missing")


def test_a_single_language_article_has_no_alternates(db, category):
    make_article(category, title="Only English")
    root = sitemap()
    assert root.findall("s:url/x:link", NS) == []


def test_robots_points_to_the_sitemap(db):
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /api/" in text
    assert "Disallow: /help/\n" not in text


@pytest.mark.parametrize("language", ["en", "it"])
def test_every_public_page_has_the_same_head(everything, language):
    """Canonical, Open Graph and its locales through the one partial (knowledge/_seo.html)."""
    locale, other = ("en_US", "it_IT") if language == "en" else ("it_IT", "en_US")
    pages = {
        "/help/": "website",
        "/help/c/shelf-public/": "website",
        "/help/guides/": "website",
        "/help/guides/guide-public/": "website",
        "/help/videos/": "website",
        "/help/videos/video-public/": "video.other",
    }
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for path, kind in pages.items():
        html = client.get(path).content.decode()
        assert html.count('<link rel="canonical"') == 1, path
        assert f'<link rel="canonical" href="http://testserver{path}">' in html, path
        assert f'<meta property="og:type" content="{kind}">' in html, path
        assert html.count('<meta property="og:title"') == 1, path
        assert f'<meta property="og:url" content="http://testserver{path}">' in html, path
        assert f'<meta property="og:locale" content="{locale}">' in html, path
        assert f'<meta property="og:locale:alternate" content="{other}">' in html, path
        assert 'name="robots" content="noindex"' not in html, path
