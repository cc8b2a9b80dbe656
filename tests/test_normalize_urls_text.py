from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.text import clean_line, clean_text, visible_chars, word_count
from crawler.normalize.urls import canonicalize_url, resolve_canonical, without_tracking

URL_CASES = [
    ("https://example.com/world/story", "https://example.com/world/story"),
    ("HTTPS://Example.COM/world/story", "https://example.com/world/story"),
    ("https://example.com:443/world/story", "https://example.com/world/story"),
    ("http://example.com:80/world/story", "http://example.com/world/story"),
    ("http://example.com:8080/world/story", "http://example.com:8080/world/story"),
    ("https://example.com/world/story/", "https://example.com/world/story"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/world/story#comments", "https://example.com/world/story"),
    ("https://example.com/world/story?utm_source=x&utm_medium=y", "https://example.com/world/story"),
    ("https://example.com/world/story?fbclid=abc", "https://example.com/world/story"),
    ("https://example.com/world/story?gclid=abc&id=5", "https://example.com/world/story?id=5"),
    ("https://example.com/world/story?b=2&a=1", "https://example.com/world/story?a=1&b=2"),
    ("https://example.com/world/story?mc_cid=1&mc_eid=2", "https://example.com/world/story"),
    ("https://example.com/world/story/amp", "https://example.com/world/story"),
    ("https://example.com/world/story/amp/", "https://example.com/world/story"),
    ("https://example.com/amp/world/story", "https://example.com/world/story"),
    ("https://example.com/world/story.amp", "https://example.com/world/story"),
    ("https://example.com/world/story.amp.html", "https://example.com/world/story.html"),
    ("https://example.com/world/story?amp=1", "https://example.com/world/story"),
    ("https://amp.example.com/world/story", "https://example.com/world/story"),
    ("https://example.com//world//story", "https://example.com/world/story"),
    ("ftp://example.com/file", None),
    ("not a url", None),
    ("", None),
    ("http://[::1", None),
    # dot segments resolved, never above the root; IPv6 hosts keep their brackets; spaces and control
    # characters percent-encoded in the path; a host with a space is no host
    ("https://example.com/world/./2024/../story", "https://example.com/world/story"),
    ("https://example.com/../../story", "https://example.com/story"),
    ("https://example.com/world/v1.2/story.html", "https://example.com/world/v1.2/story.html"),
    ("https://[2001:db8::1]:8080/world/", "https://[2001:db8::1]:8080/world"),
    ("https://example.com/world story\x00", "https://example.com/world%20story%00"),
    ("https://exa mple.com/world", None),
]


@pytest.mark.parametrize("url,expected", URL_CASES)
def test_canonicalize(url: str, expected: str | None) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://x.org/world/a/?utm_source=t&id=3#frag", "https://x.org/world/a/?id=3"),  # path kept as written
    ("https://x.org/p?fbclid=1", "https://x.org/p"),
    ("HTTPS://X.org/Story/", "https://X.org/Story/"),  # host and path as written
    ("http://[bad", "http://[bad"),
])
def test_without_tracking_is_the_url_to_request(url: str, expected: str) -> None:
    assert without_tracking(url) == expected


def test_rel_canonical_same_site_only() -> None:
    page = "https://www.example.com/world/story?utm_source=x"
    assert resolve_canonical(page, "/world/story-final") == "https://www.example.com/world/story-final"
    assert resolve_canonical(page, "https://example.com/world/story") == "https://example.com/world/story"
    assert resolve_canonical(page, "https://spam.example.org/") == "https://www.example.com/world/story"
    assert resolve_canonical(page, None) == "https://www.example.com/world/story"
    assert resolve_canonical(page, "") == "https://www.example.com/world/story"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100))
def test_canonicalize_never_raises_and_is_idempotent(text: str) -> None:
    got = canonicalize_url(text)
    if got is not None:
        assert canonicalize_url(got) == got


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"https?://[a-z]{1,8}\.(com|org)(/[a-z0-9-]{1,10}){0,4}/?(\?[a-z_]{1,6}=[a-z0-9]{0,4}"
                     r"(&[a-z_]{1,6}=[a-z0-9]{0,4}){0,3})?(#[a-z]{0,5})?", fullmatch=True))
def test_canonical_urls_are_idempotent(url: str) -> None:
    got = canonicalize_url(url)
    assert got is not None and "#" not in got and "utm_" not in got
    assert canonicalize_url(got) == got


TEXT_CASES = [
    ("  a   b  ", "a b"),
    ("caf\u0065\u0301", "caf\u00e9"),
    ("zero\u200bwidth", "zerowidth"),
    ("soft\u00adhyphen", "softhyphen"),
    ("a&amp;b &quot;c&quot;", 'a&b "c"'),
    ("ctrl\x00\x07chars", "ctrl chars"),
    ("\ufeffbom", "bom"),
    ("\u2067isolated\u2069 \u202eoverride\u202c", "isolated override"),
    (None, ""),
]


@pytest.mark.parametrize("raw,expected", TEXT_CASES)
def test_clean_line(raw: str | None, expected: str) -> None:
    assert clean_line(raw) == expected


def test_visible_chars() -> None:
    assert visible_chars("Jane Doe\nJohn Roe") == "Jane Doe\nJohn Roe"
    assert visible_chars("\ue900 Jane\u200b\x00 Doe\U000e0041") == " Jane Doe"
    assert visible_chars("Renée 李明 محمد") == "Renée 李明 محمد"


def test_clean_text_keeps_paragraphs() -> None:
    assert clean_text("First  para\n\n\n Second\r\npara line\n\n") == "First para\n\nSecond\n\npara line"
    assert word_count("Hello, world — it's 2021.") == 5


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_clean_text_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\u200b" not in once and "\x00" not in once


@given(st.lists(st.sampled_from(["Said,", "said", "(AP)", "U.S.", "İstanbul", "—", "x_y", "日本語。東京", "\u00a0",
                                 " ", "\n\n", "2024-05-01", "don't"]), max_size=40).map("".join) | st.text())
def test_word_count_is_the_number_of_regex_words(text: str) -> None:
    expected = len(re.findall(r"\w+", text))
    assert word_count(text) == expected
    assert word_count(text) == expected  # the second time from the per-process chunk counts

