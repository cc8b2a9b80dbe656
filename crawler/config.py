"""One place for runtime settings: environment variables with documented defaults.

Scrapy settings (crawler/settings.py) read the same values through :func:`load`, so the CLI,
the spiders, the pipelines and the tests all see one configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from crawler.exceptions import ConfigError

ENV_DATA_DIR = "NEWSINDEX_DATA_DIR"
ENV_ES_URL = "NEWSINDEX_ES_URL"
ENV_ES_API_KEY = "NEWSINDEX_ES_API_KEY"
ENV_ES_USERNAME = "NEWSINDEX_ES_USERNAME"
ENV_ES_PASSWORD = "NEWSINDEX_ES_PASSWORD"
ENV_ES_CA_CERTS = "NEWSINDEX_ES_CA_CERTS"
ENV_ES_TIMEOUT = "NEWSINDEX_ES_TIMEOUT"
ENV_ES_INDEX = "NEWSINDEX_ES_INDEX"
ENV_SOURCES_DIR = "NEWSINDEX_SOURCES_DIR"
ENV_CONTACT = "NEWSINDEX_CONTACT"
ENV_WEBHOOK_URL = "NEWSINDEX_ALERT_WEBHOOK"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    es_urls: tuple[str, ...] = ()
    es_api_key: str | None = field(default=None, repr=False)
    es_username: str | None = None
    es_password: str | None = field(default=None, repr=False)
    es_ca_certs: str | None = None
    es_timeout: float = 30.0
    es_index: str = "news-articles"
    sources_dir: Path | None = None
    contact: str = "https://github.com/newsindex/newsindex"
    webhook_url: str | None = field(default=None, repr=False)

    @property
    def backend(self) -> str:
        return "elasticsearch" if self.es_urls else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "newsindex.sqlite3"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def dead_letter_path(self) -> Path:
        return self.data_dir / "dead-letter.jsonl"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    def redacted(self) -> dict[str, object]:
        """Settings safe to log: secrets are replaced by '***'."""
        return {
            "data_dir": str(self.data_dir),
            "backend": self.backend,
            "es_urls": [_strip_userinfo(u) for u in self.es_urls],
            "es_api_key": "***" if self.es_api_key else None,
            "es_username": self.es_username,
            "es_password": "***" if self.es_password else None,
            "es_ca_certs": self.es_ca_certs,
            "es_index": self.es_index,
        }


def _strip_userinfo(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def load(env: dict[str, str] | None = None) -> Config:
    """Read the configuration from the environment (``os.environ`` by default)."""
    env = dict(os.environ if env is None else env)
    urls = tuple(u.strip() for u in env.get(ENV_ES_URL, "").split(",") if u.strip())
    for u in urls:
        if not u.startswith(("http://", "https://")):
            raise ConfigError(f"{ENV_ES_URL}: expected http(s):// URL(s) separated by commas, got {u!r}")
    timeout_raw = env.get(ENV_ES_TIMEOUT, "30")
    try:
        timeout = float(timeout_raw)
    except ValueError:
        raise ConfigError(f"{ENV_ES_TIMEOUT}: expected a number of seconds, got {timeout_raw!r}") from None
    sources = env.get(ENV_SOURCES_DIR)
    return Config(
        data_dir=Path(env.get(ENV_DATA_DIR) or "./data").resolve(),
        es_urls=urls,
        es_api_key=env.get(ENV_ES_API_KEY) or None,
        es_username=env.get(ENV_ES_USERNAME) or None,
        es_password=env.get(ENV_ES_PASSWORD) or None,
        es_ca_certs=env.get(ENV_ES_CA_CERTS) or None,
        es_timeout=timeout,
        es_index=env.get(ENV_ES_INDEX) or "news-articles",
        sources_dir=Path(sources).resolve() if sources else None,
        contact=env.get(ENV_CONTACT) or "https://github.com/newsindex/newsindex",
        webhook_url=env.get(ENV_WEBHOOK_URL) or None,
    )
