"""Downloader middleware: honor Retry-After on 429/503 before Scrapy's retry middleware retries."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

from scrapy.http import Request, Response


def retry_after_seconds(value: bytes | str | None, cap: float = 120.0) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped; None if absent/bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), cap))


class RetryAfterMiddleware:
    """On 429/503 with Retry-After: pause the domain's download slot for that long (once).

    The slot's next download is pushed past the wait; afterwards the slot runs at its usual pace again
    (the retry itself is Scrapy's RetryMiddleware's, which re-queues the request on the same slot).
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                self.crawler.stats.inc_value("newsindex/retry_after/honored")
                slot_key = request.meta.get("download_slot")
                slots = getattr(self.crawler.engine.downloader, "slots", {})
                slot = slots.get(slot_key) if slot_key else None
                if slot is not None:
                    # Scrapy's slot waits `delay - now + lastseen` before its next download, and only
                    # when it has a delay at all: a tiny one makes the pause apply without slowing it later
                    slot.delay = max(slot.delay, 0.001)
                    slot.lastseen = max(slot.lastseen, time.monotonic() + wait)
                request.meta["retry_after_wait"] = wait
        return response


class OffsiteRedirectMiddleware:
    """Refuse a redirect that leaves the source's allowed domains (counted by the spider's errback)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        spider = self.crawler.spider
        if response.status in (301, 302, 303, 307, 308) and b"Location" in response.headers:
            from urllib.parse import urljoin, urlsplit

            from scrapy.exceptions import IgnoreRequest

            target = urljoin(request.url, (response.headers.get(b"Location") or b"").decode("latin-1"))
            host = (urlsplit(target).hostname or "").lower()
            domains = getattr(spider, "allowed_domains", None) or []
            if domains and not any(host == d or host.endswith("." + d) for d in domains):
                raise IgnoreRequest(f"offsite redirect to {target}")
        return response
