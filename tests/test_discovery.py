"""Link discovery heuristics (pure functions, no server)."""

from __future__ import annotations

import pytest

from crawler.discovery import extract_links, looks_like_article


@pytest.mark.parametrize("url,text,expected", [
    ("https://example.com/world/2025/01/02/talks-resume", "", True),
    ("https://example.com/world/ceasefire-talks-resume-in-cairo", "", True),
    ("https://example.com/news/world-12345678", "Ceasefire talks resume in Cairo", True),
    ("https://example.com/news/world-12345678", "More", False),
    ("https://example.com/world/", "World", False),
    ("https://example.com/tag/ceasefire-talks-resume-in-cairo", "", False),
    ("https://example.com/files/ceasefire-talks-resume-in-cairo.pdf", "", False),
    ("not a url at all", "", False),
])
def test_looks_like_article(url: str, text: str, expected: bool) -> None:
    assert looks_like_article(url, text) is expected


def test_extract_links_resolves_against_base_and_skips_non_links() -> None:
    html = ('<html><head><base href="https://example.com/world/"></head><body>'
            '<a href="2025/01/02/talks">Talks  resume</a><a href="#top">Top</a><a href="mailto:x@y.z">Mail</a>'
            '<a rel="Next" href="?page=2">Next</a><a>no href</a></body></html>')
    assert extract_links(html, "https://example.com/ignored/") == [
        ("https://example.com/world/2025/01/02/talks", "Talks resume", ""),
        ("https://example.com/world/?page=2", "Next", "next"),
    ]


def test_extract_links_past_deeply_nested_unclosed_tags() -> None:
    # libxml2's default depth limit (256 nested elements) used to end the page there, links and all
    html = "<html><body>" + "<div>" * 600 + '<a href="/world/2025/01/02/deep-story">Deep story</a></body></html>'
    assert extract_links(html, "https://example.com/") == [
        ("https://example.com/world/2025/01/02/deep-story", "Deep story", "")]


@pytest.mark.parametrize("html", ["", "<<<>>>", "\x00", "<a href='http://[::1'>broken</a>"])
def test_extract_links_never_raises(html: str) -> None:
    assert isinstance(extract_links(html, "https://example.com/"), list)
