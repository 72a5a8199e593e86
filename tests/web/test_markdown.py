import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tierdesk.web.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
        "<iframe src='https://evil'></iframe>",
    ],
)
def test_dangerous_markup_is_never_rendered_as_markup(source):
    html = render_markdown(source)
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "<style" not in html
    assert not re.search(r"<[^>]*\son\w+=", html), "no tag may carry an event handler"
    assert 'href="javascript' not in html


def test_markdown_features_survive():
    html = render_markdown("**bold** `code` [docs](https://example.com)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert 'href="https://example.com"' in html
    assert "<li>one</li>" in html


@given(st.text(max_size=300))
def test_any_text_renders_without_raw_tags_from_input(text):
    html = render_markdown(text)
    assert "<script" not in html.lower()


def test_only_links_that_leave_the_site_are_nofollow():
    html = render_markdown(
        "[out](https://example.com/a) [mail](mailto:a@example.com) [proto](//cdn.example)"
        " [in](/help/en/pay/) [anchor](#part) [near](pay/)"
    )
    for href in ("https://example.com/a", "mailto:a@example.com", "//cdn.example"):
        assert f'<a href="{href}" rel="nofollow noopener noreferrer">' in html
    for href in ("/help/en/pay/", "#part", "pay/"):
        assert f'<a href="{href}">' in html
