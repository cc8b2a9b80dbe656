"""Run spiders in-process (the `newsindex crawl` and `newsindex demo` commands use this)."""

from __future__ import annotations

import os
from typing import Any


def project_settings(overrides: dict[str, Any] | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for k, v in (overrides or {}).items():
        settings.set(k, v, priority="cmdline")
    return settings


def run_crawls(jobs: list[dict[str, Any]], overrides: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run each job (spider kwargs) in one process; returns per-crawl stats dicts."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.news import NewsSpider

    settings = project_settings(overrides)
    slots = politeness_slots(jobs)
    if slots:
        settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    import logging

    level = settings.get("LOG_LEVEL", "WARNING")
    for name in ("scrapy", "twisted", "crawler", "indexer", "py.warnings", "filelock", "elastic_transport"):
        logging.getLogger(name).setLevel(level)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "crawler", "indexer", "py.warnings", "filelock", "elastic_transport"):
        logging.getLogger(name).setLevel(level)
    crawlers = []
    for kwargs in jobs:
        crawler = process.create_crawler(NewsSpider)
        crawlers.append(crawler)
        process.crawl(crawler, **kwargs)
    process.start()
    return [dict(c.stats.get_stats()) if c.stats else {} for c in crawlers]


def politeness_slots(jobs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per-domain download slots (Scrapy's DOWNLOAD_SLOTS) from each source's politeness overrides."""
    from pathlib import Path

    from crawler import config as runtime_config
    from crawler.exceptions import SourceConfigError
    from crawler.sources import get_source, load_file

    slots: dict[str, dict[str, float]] = {}
    for job in jobs:
        try:
            if job.get("source_file"):
                source = load_file(Path(job["source_file"]))
            elif job.get("source"):
                source = get_source(job["source"], runtime_config.load().sources_dir)
            else:
                continue
        except SourceConfigError:
            continue  # the spider reports the broken file itself
        pol = source.politeness
        slot: dict[str, float] = {}
        if pol.download_delay is not None:
            slot["delay"] = float(pol.download_delay)
        if pol.concurrent_requests_per_domain:
            slot["concurrency"] = int(pol.concurrent_requests_per_domain)
        if slot:
            for domain in source.allowed_domains:
                slots[domain] = slot
    return slots
