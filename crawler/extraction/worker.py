"""What an extraction worker process runs: one page to an Article with its search stems.

Kept apart from the Scrapy pipelines so a spawned worker imports only the extraction code, not Scrapy
(about 0.25 s of CPU less per worker start).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

from crawler.article import Article, Page
from crawler.extraction.extract import SiteRules, extract_article
from indexer.base import stem_fields


def exit_with_parent(parent_pid: int) -> None:
    """Extraction worker initializer: end this worker when the crawl process is gone (even SIGKILLed),
    so no orphan is left holding memory."""
    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="newsindex-parent-watch", daemon=True).start()


def extract_page(item: Page, rules: SiteRules) -> Article:
    """Extraction of one page; runs in the crawl process or in an extraction worker process.

    The article's stemmed search fields are computed here too, so the crawl process and the
    indexer's bulk requests do not pay for them."""
    fetched = dt.datetime.fromisoformat(item.fetched_at)
    article = extract_article(item.html, item.url, rules, fetched, item.run_id,
                              section_hint=item.section_hint, listed_date=item.listed_date)
    set_stems(article)
    return article


def set_stems(article: Article) -> None:
    stems = stem_fields(article.title, article.lead, article.body, article.language)
    article.title_stem, article.text_stem = stems["title_stem"], stems["text_stem"]
