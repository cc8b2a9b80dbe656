"""Link discovery heuristics (pure functions): article-looking URLs, pagination, feeds, sitemaps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.normalize.dates import parse_date
from crawler.normalize.urls import canonicalize_url, same_site

NON_ARTICLE_PATH = re.compile(
    r"/(tag|tags|topic|topics|category|categories|author|authors|profile|search|login|signin|signup|register|"
    r"subscribe|subscription|account|newsletter|newsletters|about|contact|privacy|terms|cookies|help|live-tv|"
    r"video|videos|podcasts?|gallery|galleries|weather|horoscope|games|puzzles|crosswords?|shop|jobs|page|"
    r"feed|rss|amp-stories)(/|$)",
    re.I,
)
BINARY_EXT = re.compile(r"\.(pdf|jpe?g|png|gif|webp|svg|mp3|mp4|m4a|mov|avi|zip|gz|docx?|xlsx?|pptx?|exe|dmg|"
                        r"ics|css|js|json|xml|rss)$", re.I)
DATED_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-](0?[1-9]|[12]\d|3[01]))?(/|-)")
SLUG = re.compile(r"/[^/]*[a-z0-9]+(-[a-z0-9]+){3,}[^/]*/?$", re.I)
NUMERIC_ID = re.compile(r"(\d{6,}|[-_/](a|id|art|article)?\d{5,})(\.html?)?/?$", re.I)
PAGINATION_TEXT = re.compile(r"^\s*(next|next page|more|older|older posts|load more|suivant|weiter|nächste|"
                             r"siguiente|próxima|successiva|volgende|»|›|>)\s*$", re.I)
PAGINATION_URL = re.compile(r"([?&](page|p|pg|offset)=\d+|/page/\d+/?$)", re.I)


def looks_like_article(url: str, anchor_text: str = "") -> bool:
    """URL-shape heuristics for zero-config crawling: dated paths, long slugs, numeric ids."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    path = parts.path
    if not path or path == "/" or BINARY_EXT.search(path) or NON_ARTICLE_PATH.search(path):
        return False
    if DATED_PATH.search(path) and len(path.rstrip("/").rsplit("/", 1)[-1]) >= 5:
        return True
    if SLUG.search(path):
        return True
    if NUMERIC_ID.search(path) and len(anchor_text.split()) >= 3:
        return True
    return False


# huge_tree: a listing whose unclosed tags nest deeper than 256 elements keeps the links past that depth
_LINK_PARSER = lxml.html.HTMLParser(huge_tree=True)


def extract_links(html: str, base_url: str) -> list[tuple[str, str, str]]:
    """(absolute URL, anchor text, rel) for every <a href> of a page; never raises."""
    try:
        tree = lxml.html.fromstring(html, parser=_LINK_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = next(iter(tree.xpath("//base/@href")), None) or base_url
    out = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            absolute = urljoin(base, href)
        except ValueError:
            continue
        out.append((absolute, " ".join(a.text_content().split()), (a.get("rel") or "").lower()))
    return out


def is_pagination(url: str, text: str, rel: str, section_url: str) -> bool:
    if "next" in rel.split():
        return True
    if not same_site(url, section_url):
        return False
    same_section = urlsplit(url).path.rstrip("/").split("/page/")[0] == urlsplit(section_url).path.rstrip("/")
    return bool(PAGINATION_TEXT.match(text)) or (same_section and bool(PAGINATION_URL.search(url)))


def _localname(el: lxml.etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def parse_feed(body: bytes) -> Iterator[tuple[str, str | None]]:
    """(link, date) of RSS 2.0 / RSS 1.0 / Atom entries; nothing for unparseable input."""
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False,
                                                                       no_network=True))
    except (lxml.etree.XMLSyntaxError, ValueError):
        return
    if root is None:
        return
    for el in root.iter():
        name = _localname(el)
        if name not in ("item", "entry"):
            continue
        link = date = None
        for child in el:
            cname = _localname(child)
            if cname == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = link or href.strip()
                elif child.text and child.text.strip():
                    link = link or child.text.strip()
            elif cname in ("pubdate", "published", "date", "issued", "updated") and child.text:
                date = date or child.text.strip()
            elif cname == "guid" and not link and child.text and child.text.startswith("http") and \
                    child.get("isPermaLink", "true") != "false":
                link = child.text.strip()
        if link:
            yield link, date


def parse_sitemap(body: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """('index'|'urlset'|'invalid', [(loc, date)]) where date is news:publication_date or lastmod."""
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False,
                                                                       no_network=True, huge_tree=False))
    except (lxml.etree.XMLSyntaxError, ValueError):
        return "invalid", []
    if root is None:
        return "invalid", []
    kind = _localname(root)
    entries = []
    for el in root:
        if _localname(el) not in ("url", "sitemap"):
            continue
        loc = date = None
        for child in el.iter():
            cname = _localname(child)
            if cname == "loc" and child.text:
                loc = loc or child.text.strip()
            elif cname == "publication_date" and child.text:
                date = child.text.strip()
            elif cname == "lastmod" and child.text and not date:
                date = child.text.strip()
        if loc:
            entries.append((loc, date))
    if kind == "sitemapindex":
        return "index", entries
    if kind == "urlset":
        return "urlset", entries
    return "invalid", []


def too_old(date_text: str | None, max_age_days: int | None, now: dt.datetime) -> bool:
    """True when a listed date is known and older than the source's max_article_age_days."""
    if not max_age_days or not date_text:
        return False
    res = parse_date(date_text, now=now)
    return res.value is not None and res.value < now - dt.timedelta(days=max_age_days)


def canonical(url: str) -> str:
    return canonicalize_url(url) or url
