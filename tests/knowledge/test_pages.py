"""The reader's and the staff's pages: the visibility matrix over every page, languages,
the head (canonical, hreflang, Open Graph), feedback with and without htmx, view counts,
history and restore, and bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import ArticleFeedback, ArticleTag, Category, SearchMiss
from tierdesk.knowledge.services.articles import translation_save, translation_unpublish

from .conftest import EXPECTED, READERS, make_article, translate, translation_of

AUTHORS = {reader for reader, allowed in EXPECTED.items() if allowed == set(Visibility)}


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user.is_authenticated:
        client.force_login(user)
    return client


def article_urls(translation: Any) -> dict[str, str]:
    args = [translation.language, translation.slug]
    return {
        "article": reverse("knowledge:article", args=args),
        "feedback": reverse("knowledge:feedback", args=args),
        "versions": reverse("knowledge:versions", args=args),
        "restore": reverse("knowledge:version-restore", args=[*args, 1]),
    }


@pytest.mark.parametrize("reader", READERS)
def test_every_page_honours_the_one_rule(readers, reader):
    """For each Visibility: a page the reader may not see is a 404, never a hint."""
    user = readers[reader]
    client = client_for(user)
    for visibility in Visibility:
        category = Category.objects.create(slug=f"c-{visibility}", name_en=f"C {visibility}")
        article = make_article(category, title=f"About {visibility}", visibility=visibility)
        translation = translation_of(article)
        translation_save(article=article, language="en", title=f"About {visibility}", body="v2")
        urls = article_urls(translation)
        may_read = visibility in EXPECTED[reader]
        author = reader in AUTHORS
        expected = {
            ("get", urls["article"]): 200 if may_read else 404,
            ("get", reverse("knowledge:category", args=[category.slug])): 200 if may_read else 404,
            ("post", urls["feedback"]): 302 if may_read else 404,
            ("get", urls["versions"]): 200 if author else 404,
            ("post", urls["restore"]): 302 if author else 404,
            ("get", reverse("knowledge:reviews")): 200 if author else 404,
            ("post", reverse("knowledge:review-done", args=[article.pk])): 302 if author else 404,
        }
        for (method, url), status in expected.items():
            data = {"helpful": "yes"} if url == urls["feedback"] else {}
            response = getattr(client, method)(url, data)
            assert response.status_code == status, (reader, visibility, method, url)
            if status == 404:
                assert translation.title not in response.content.decode()


@pytest.mark.parametrize("reader", READERS)
def test_drafts_are_pages_for_authors_only(readers, category, reader):
    translation = translation_of(make_article(category, title="Secret draft", publish=False))
    response = client_for(readers[reader]).get(article_urls(translation)["article"])
    assert response.status_code == (200 if reader in AUTHORS else 404)
    if reader in AUTHORS:
        assert 'name="robots" content="noindex"' in response.content.decode()


def test_a_language_the_site_does_not_have_is_a_404(db, category):
    translation_of(make_article(category, title="Pay"))
    assert Client().get("/help/fr/pay/").status_code == 404


def test_italian_reader_of_an_english_only_article_is_told(readers, category):
    translation = translation_of(make_article(category, title="Only English"))
    html = client_for(readers["visitor"], "it").get(article_urls(translation)["article"])
    page = html.content.decode()
    assert 'id="language-notice"' in page
    assert "Languages of this article" not in page and "Lingue di questo articolo" not in page
    assert 'hreflang="x-default"' not in page


def test_a_translation_in_the_readers_language_is_linked_and_switchable(readers, category):
    article = make_article(category, title="Pay an invoice", summary="How to pay.")
    italian = translate(article, "it", "Pagare una fattura")
    english = translation_of(article)
    page = client_for(readers["visitor"], "it").get(article_urls(english)["article"])
    html = page.content.decode()
    assert 'id="language-notice"' in html
    assert f'href="{article_urls(italian)["article"]}"' in html
    # The switch, the head: canonical, hreflang both ways with x-default, Open Graph.
    assert 'aria-current="page" lang="en"' in html
    assert '<link rel="canonical" href="http://testserver/help/en/pay-an-invoice/">' in html
    assert 'hreflang="it" href="http://testserver/help/it/pagare-una-fattura/"' in html
    assert 'hreflang="en" href="http://testserver/help/en/pay-an-invoice/"' in html
    assert 'hreflang="x-default" href="http://testserver/help/en/pay-an-invoice/"' in html
    assert '<meta property="og:title" content="Pay an invoice">' in html
    assert '<meta property="og:locale:alternate" content="it_IT">' in html
    assert '<meta name="description" content="How to pay.">' in html
    assert "noindex" not in html
    # In their own language there is no notice.
    own = client_for(readers["visitor"], "it").get(article_urls(italian)["article"])
    assert 'id="language-notice"' not in own.content.decode()


def test_a_translation_the_reader_may_not_read_is_not_offered(readers, category):
    article = make_article(category, title="Pay an invoice")
    italian = translate(article, "it", "Pagare una fattura")
    translation_unpublish(translation=italian)
    page = client_for(readers["visitor"], "it").get(
        article_urls(translation_of(article))["article"]
    )
    html = page.content.decode()
    assert "pagare-una-fattura" not in html


def test_non_public_articles_are_not_indexed(readers, category):
    translation = translation_of(make_article(category, visibility=Visibility.SIGNED_IN))
    html = client_for(readers["free_member"]).get(article_urls(translation)["article"])
    assert 'name="robots" content="noindex"' in html.content.decode()


def test_breadcrumbs_updated_date_and_related_articles(readers, category):
    sso = ArticleTag.objects.create(slug="sso", name="SSO")
    article = make_article(category, title="Main", tags=[sso])
    other = Category.objects.create(slug="security", name_en="Security")
    make_article(other, title="Tagged elsewhere", tags=[sso])
    make_article(category, title="Same shelf")
    make_article(category, title="Agents only", visibility=Visibility.AGENTS)
    make_article(Category.objects.create(slug="x", name_en="X"), title="Unrelated")
    html = client_for(readers["paid_member"]).get(article_urls(translation_of(article))["article"])
    page = html.content.decode()
    assert '<a href="/help/c/billing/">Billing</a>' in page
    assert "<time datetime=" in page
    related = page[page.index('id="related"') :]
    assert related.index("Tagged elsewhere") < related.index("Same shelf")
    assert "Agents only" not in page and "Unrelated" not in page


def test_view_count_once_per_view_and_not_for_drafts(readers, category, author):
    translation = translation_of(make_article(category))
    client = Client()
    client.get(article_urls(translation)["article"])
    client.get(article_urls(translation)["article"])
    client.head(article_urls(translation)["article"])
    translation.refresh_from_db()
    assert translation.view_count == 2
    draft = translation_of(make_article(category, title="Draft", publish=False))
    client_for(author).get(article_urls(draft)["article"])
    draft.refresh_from_db()
    assert draft.view_count == 0


def test_feedback_without_javascript_redirects_with_a_toast(readers, category):
    translation = translation_of(make_article(category))
    client = client_for(readers["free_member"])
    url = article_urls(translation)["feedback"]
    response = client.post(url, {"helpful": "no", "comment": "Missing a step."}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/help/en/how-to-pay/#feedback")
    assert "Thank you for your feedback." in response.content.decode()
    assert "You answered no." in response.content.decode()
    client.post(url, {"helpful": "yes"})
    row = ArticleFeedback.objects.get()
    assert row.helpful and row.comment == ""


def test_feedback_with_htmx_swaps_the_box(readers, category):
    translation = translation_of(make_article(category))
    client = Client()
    url = article_urls(translation)["feedback"]
    for _ in range(2):
        response = client.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="feedback"')
        assert 'role="status"' in html
    # One visitor, one session: counted once; the session key itself is not stored.
    row = ArticleFeedback.objects.get()
    assert row.user is None and client.session.session_key not in row.session_hash
    translation.refresh_from_db()
    assert translation.helpful_count == 1


def test_bad_feedback_is_the_forms_error(readers, category):
    translation = translation_of(make_article(category))
    url = article_urls(translation)["feedback"]
    client = client_for(readers["agent"])
    response = client.post(url, {"helpful": "no", "comment": "x" * 1001}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    response = client.post(url, {}, follow=True)
    assert "Choose yes or no." in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_history_diff_and_restore(readers, category, author):
    article = make_article(category, title="Steps", body="one\ntwo\n", actor=author)
    translation_save(article=article, language="en", title="Steps", body="one\nthree\n")
    translation = translation_of(article)
    client = client_for(author)
    urls = article_urls(translation)
    html = client.get(urls["versions"]).content.decode()
    assert '<span class="d-block diff-remove">-two</span>' in html
    assert '<span class="d-block diff-add">+three</span>' in html
    same = client.get(urls["versions"], {"old": 2, "new": 2}).content.decode()
    assert "No differences" in same
    response = client.post(urls["restore"], follow=True)
    assert "Version 1 restored as version 3." in response.content.decode()
    translation.refresh_from_db()
    assert translation.body == "one\ntwo\n"
    assert list(translation.versions.values_list("number", flat=True)) == [3, 2, 1]
    page = client.get(urls["article"]).content.decode()
    edit = reverse("admin:knowledge_articletranslation_change", args=[translation.pk])
    assert f'href="{edit}"' in page and urls["versions"] in page


def test_review_list_and_mark_reviewed(readers, category, author):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(category, title="Stale", review_interval_days=1)
    article.created_at = timezone.now() - timedelta(days=3)
    article.save(update_fields=["created_at"])
    client = client_for(author)
    assert "Stale" in client.get(reverse("knowledge:reviews")).content.decode()
    response = client.post(reverse("knowledge:review-done", args=[article.pk]), follow=True)
    assert "Marked as reviewed." in response.content.decode()
    assert "Nothing is due for review." in response.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("reader", ["visitor", "paid_member", "staff_admin"])
def test_article_page_queries_do_not_grow(readers, category, reader):
    tags = [ArticleTag.objects.create(slug=f"t{n}", name=f"T{n}") for n in range(3)]
    article = make_article(category, title="Main", tags=tags)
    translate(article, "it", "Principale")
    client = client_for(readers[reader])
    url = article_urls(translation_of(article))["article"]
    make_article(category, title="Related 0", tags=tags[:1])
    few = _queries(client, url)
    for n in range(1, 6):
        related = make_article(category, title=f"Related {n}", tags=tags)
        translate(related, "it", f"Correlato {n}")
    assert _queries(client, url) == few


@pytest.mark.parametrize("reader", ["visitor", "paid_member"])
def test_category_page_queries_do_not_grow(readers, category, reader):
    client = client_for(readers[reader], "it")
    url = reverse("knowledge:category", args=[category.slug])
    make_article(category, title="First")
    few = _queries(client, url)
    for n in range(10):
        article = make_article(category, title=f"Article {n}")
        if n % 2:
            translate(article, "it", f"Articolo {n}")
    assert _queries(client, url) == few
    html = client.get(url).content.decode()
    assert html.count('class="list-group-item') == 11


def test_head_answers_every_help_page_and_records_nothing(readers, category):
    """HEAD (link checkers, previews, monitors) gets 200 like GET, with no body, and counts
    neither a view nor a search that found nothing."""
    translation = translation_of(make_article(category, title="How to pay"))
    staff = client_for(readers["staff_admin"])
    visitor = Client()
    urls = {
        visitor: [
            "/",
            reverse("knowledge:index"),
            reverse("knowledge:search") + "?q=pay",
            reverse("knowledge:search") + "?q=zzzqqq",
            reverse("knowledge:category", args=[category.slug]),
            reverse("knowledge:article", args=[translation.language, translation.slug]),
            reverse("knowledge:guides"),
            reverse("knowledge:videos"),
            "/sitemap.xml",
            "/robots.txt",
        ],
        staff: [
            reverse("knowledge:gaps"),
            reverse("knowledge:reviews"),
            reverse("knowledge:deflection"),
            reverse("knowledge:versions", args=[translation.language, translation.slug]),
        ],
    }
    for client, pages in urls.items():
        for url in pages:
            response = client.head(url)
            assert response.status_code == 200, url
            assert response.content == b"", url
    translation.refresh_from_db()
    assert translation.view_count == 0
    assert not SearchMiss.objects.exists()


def test_history_of_a_single_version_offers_no_comparison(readers, category):
    translation = translation_of(make_article(category, title="Only once"))
    client = client_for(readers["staff_admin"])
    url = reverse("knowledge:versions", args=[translation.language, translation.slug])
    html = client.get(url).content.decode()
    assert "One version so far: nothing to compare yet." in html
    assert "Compare" not in html
