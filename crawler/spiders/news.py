"""The generic news spider: one source file (or start URLs in zero-config mode) drives it.

    scrapy crawl news -a source=<id>            # config/sources/<id>.yaml (or NEWSINDEX_SOURCES_DIR)
    scrapy crawl news -a source_file=path.yaml
    scrapy crawl news -a start_urls=URL[,URL]   # zero-config: heuristics find the article links

It only discovers and fetches: article responses leave as :class:`crawler.article.Page` items and the
item pipelines extract, normalize, validate, deduplicate and index them. Every response it cannot use
is counted in the stats under ``newsindex/dropped/<reason>``.

Custom spiders for odd sites subclass :class:`NewsSpider` and override :meth:`article_links`
(which links of a listing page are articles) and/or :meth:`listing_links` (which to follow).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import config as runtime_config
from crawler.article import Page
from crawler.discovery import (
    BINARY_EXT,
    canonical,
    extract_links,
    is_pagination,
    looks_like_article,
    parse_feed,
    parse_sitemap,
    too_old,
)
from crawler.normalize.encoding import decode_html
from crawler.normalize.urls import without_tracking
from crawler.seen import SeenStore, open_seen_store
from crawler.sources import Source, get_source, load_file

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def zero_config_source(start_urls: list[str]) -> Source:
    hosts = sorted({(urlsplit(u).hostname or "") for u in start_urls} - {""})
    digest = hashlib.sha1(",".join(sorted(start_urls)).encode()).hexdigest()[:8]
    sid = f"adhoc-{(hosts[0] if hosts else 'site').replace('.', '-')[:40]}-{digest}"
    return Source(id=sid, name=hosts[0] if hosts else sid, allowed_domains=tuple(hosts),
                  start_urls=tuple(start_urls), max_pages=300, max_depth=3, path="<zero-config>")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str | None = None, source_file: str | None = None, start_urls: str | None = None,
                 recrawl: str | bool = False, run_id: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        cfg = runtime_config.load()
        if source_file:
            self.source = load_file(Path(source_file))
        elif source:
            self.source = get_source(source, cfg.sources_dir)
        elif start_urls:
            urls = [u.strip() for u in str(start_urls).split(",") if u.strip()]
            self.source = zero_config_source(urls)
        else:
            raise ValueError("news spider needs -a source=<id>, -a source_file=<path> or -a start_urls=<urls>")
        self.zero_config = self.source.path == "<zero-config>"
        self.allowed_domains = list(self.source.allowed_domains)
        self.recrawl = str(recrawl).lower() in ("1", "true", "yes")
        self.run_id = run_id or f"{self.source.id}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-" \
                                f"{uuid.uuid4().hex[:6]}"
        self.cfg = cfg
        self.seen_store: SeenStore | None = None
        self.requested: set[str] = set()
        self.listing_pages = 0

    # ------------------------------------------------------------ helpers
    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler and self.crawler.stats:
            self.crawler.stats.inc_value(key, n)

    def _drop(self, reason: str, url: str) -> None:
        self._stat(f"newsindex/dropped/{reason}")
        self.logger.info("dropped %s: %s", reason, url)

    def _seen(self, url: str) -> bool:
        if self.seen_store is None:
            self.seen_store = open_seen_store(self.cfg.state_dir, self.source.id)
        return self.seen_store.seen(url)

    def is_article(self, url: str, text: str = "") -> bool:
        if not self._allowed(url):
            return False
        if BINARY_EXT.search(urlsplit(url).path):
            self._stat("newsindex/discovery/binary_links_skipped")
            return False
        if self.source.allow or self.source.deny:
            return self.source.is_article_url(url)
        return looks_like_article(url, text)

    def _allowed(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.source.allowed_domains)

    def article_request(self, url: str, listed_date: str | None = None, section: str | None = None
                        ) -> scrapy.Request | None:
        key = canonical(url)
        if key in self.requested:
            self._stat("newsindex/discovery/duplicate_links")
            return None
        self.requested.add(key)
        if not self.recrawl and self._seen(key):
            self._stat("newsindex/discovery/already_seen")
            return None
        if too_old(listed_date, self.source.max_article_age_days, dt.datetime.now(dt.UTC)):
            self._drop("too_old", url)
            return None
        self._stat("newsindex/discovery/article_requests")
        return self._request(url, self.parse_article,
                             {"listed_date": listed_date, "section_hint": section, "newsindex_article": True})

    def listing_request(self, url: str, callback, depth: int) -> scrapy.Request | None:
        key = canonical(url)
        if key in self.requested or depth > self.source.max_depth:
            if depth > self.source.max_depth:
                self._drop("listing_depth_limit", url)
            return None
        if self.listing_pages >= self.source.max_pages:
            self._drop("listing_page_limit", url)
            return None
        self.requested.add(key)
        self.listing_pages += 1
        return self._request(url, callback, {"listing_depth": depth})

    def _request(self, url: str, callback, meta: dict) -> scrapy.Request:
        meta["dont_obey_robotstxt"] = not self.source.politeness.obey_robots_txt
        # dont_filter: our own canonical-URL set dedupes; Scrapy's fingerprint would keep utm variants
        return scrapy.Request(without_tracking(url), callback=callback, errback=self.on_error, dont_filter=True,
                              meta=meta)

    # ------------------------------------------------------------ start
    async def start(self):  # Scrapy >= 2.13
        for req in self.start_requests_list():
            yield req

    def start_requests_list(self) -> list[scrapy.Request]:
        reqs = []
        for url in self.source.start_urls:
            r = self.listing_request(url, self.parse_listing, 0)
            if r:
                reqs.append(r)
        for url in self.source.feeds:
            r = self.listing_request(url, self.parse_feed, 0)
            if r:
                reqs.append(r)
        for url in self.source.sitemaps:
            r = self.listing_request(url, self.parse_sitemap, 0)
            if r:
                reqs.append(r)
        return reqs

    # ------------------------------------------------------------ listings
    def article_links(self, response: TextResponse) -> Iterator[tuple[str, str]]:
        """(url, anchor text) of the article links on a listing page. Override for odd sites."""
        for url, text, _rel in extract_links(response.text, response.url):
            if self.is_article(url, text):
                yield url, text

    def listing_links(self, response: TextResponse) -> Iterator[str]:
        """Further listing pages to follow (pagination). Override for odd sites."""
        for url, text, rel in extract_links(response.text, response.url):
            if self._allowed(url) and is_pagination(url, text, rel, response.url):
                yield url

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not self._usable(response):
            return
        assert isinstance(response, TextResponse)
        self._stat("newsindex/listing_pages")
        depth = int(response.meta.get("listing_depth", 0))
        found = 0
        for url, _text in self.article_links(response):
            found += 1
            req = self.article_request(url)
            if req:
                yield req
        if found == 0:
            self._stat("newsindex/listing_pages_without_articles")
        for url in self.listing_links(response):
            if self.is_article(url):
                continue
            req = self.listing_request(url, self.parse_listing, depth + 1)
            if req:
                yield req

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self._stat("newsindex/feeds")
        entries = list(parse_feed(response.body))
        if not entries:
            self._drop("invalid_feed", response.url)
        for link, date in entries:
            patterned = bool(self.source.allow or self.source.deny)
            if self._allowed(link) and (not patterned or self.source.is_article_url(link)):
                req = self.article_request(link, listed_date=date)
                if req:
                    yield req

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        self._stat("newsindex/sitemaps")
        body = response.body
        if response.url.endswith(".gz") or body[:2] == b"\x1f\x8b":
            import gzip

            try:
                body = gzip.decompress(body)[: 50 * 1024 * 1024]
            except OSError:
                self._drop("invalid_sitemap", response.url)
                return
        kind, entries = parse_sitemap(body)
        depth = int(response.meta.get("listing_depth", 0))
        if kind == "invalid":
            self._drop("invalid_sitemap", response.url)
            return
        for loc, date in entries:
            if kind == "index":
                if self._allowed(loc):
                    req = self.listing_request(loc, self.parse_sitemap, depth + 1)
                    if req:
                        yield req
            elif self.is_article(loc):
                req = self.article_request(loc, listed_date=date)
                if req:
                    yield req

    # ------------------------------------------------------------ articles
    def _usable(self, response: Response) -> bool:
        ctype = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            self._drop("non_html", response.url)
            return False
        if not isinstance(response, TextResponse):
            self._drop("non_html", response.url)
            return False
        if not response.body.strip():
            self._drop("empty_page", response.url)
            return False
        return True

    def parse_article(self, response: Response) -> Iterator[Page]:
        if not self._usable(response):
            return
        assert isinstance(response, TextResponse)
        if response.meta.get("redirect_urls") and not self._allowed(response.url):
            self._drop("offsite_redirect", response.url)
            return
        try:
            text = decode_html(response.body, response.headers.get(b"Content-Type"))
        except (UnicodeDecodeError, LookupError):
            self._drop("undecodable", response.url)
            return
        yield Page(
            url=response.url,
            html=text,
            source_id=self.source.id,
            source_name=self.source.name,
            fetched_at=dt.datetime.now(dt.UTC).isoformat(),
            run_id=self.run_id,
            status=response.status,
            section_hint=response.meta.get("section_hint"),
            listed_date=response.meta.get("listed_date"),
        )

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            status = failure.value.response.status
            self._drop(f"http_{status}", url)
        elif failure.check(IgnoreRequest):
            msg = str(failure.value).lower()
            if "offsite redirect" in msg:
                self._drop("offsite_redirect", url)
            elif "redirect" in msg:
                self._drop("redirect_loop", url)
            elif "offsite" in msg or "filtered" in msg:
                self._drop("offsite_redirect", url)
            elif "robots" in msg:
                self._drop("robots_txt", url)
            elif "maxsize" in msg or "cancel" in msg:
                self._drop("too_large", url)
            else:
                self._drop("ignored", url)
        else:
            self._drop(f"error_{type(failure.value).__name__}", url)

    def closed(self, reason: str) -> None:
        if self.seen_store is not None:
            self.seen_store.close()
