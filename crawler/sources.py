"""Source definitions: one YAML file per outlet under config/sources/, validated with clear errors.

A broken file raises :class:`SourceConfigError` naming the file, the field and what was expected;
:func:`load_all` collects those errors instead of letting one file stop the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from crawler.exceptions import SourceConfigError
from crawler.extraction.extract import SiteRules
from crawler.monitors import is_number, threshold_problem

SELECTOR_FIELDS = ("title", "body", "byline", "date", "section", "lead")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Politeness:
    download_delay: float | None = None
    concurrent_requests_per_domain: int | None = None
    obey_robots_txt: bool = True


@dataclass(frozen=True)
class MonitorOverrides:
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    allowed_domains: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    timezone: str | None = None
    schedule: str | None = None
    max_pages: int = 500
    max_depth: int = 3
    max_article_age_days: int | None = None
    politeness: Politeness = Politeness()
    monitors: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    @property
    def rules(self) -> SiteRules:
        return SiteRules(id=self.id, name=self.name, language=self.language, timezone=self.timezone,
                         selectors=dict(self.selectors))

    def is_article_url(self, url: str) -> bool:
        if any(re.search(p, url) for p in self.deny):
            return False
        return any(re.search(p, url) for p in self.allow) if self.allow else True


def _expect(cond: bool, path: str, fld: str, expected: str) -> None:
    if not cond:
        raise SourceConfigError(path, fld, expected)


def _str_list(data: dict[str, Any], key: str, path: str, urls: bool = False) -> tuple[str, ...]:
    value = data.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    _expect(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value), path, key,
            "a list of strings")
    if urls:
        for v in value:
            _expect(v.startswith(("http://", "https://")), path, key, f"http(s) URLs, got {v!r}")
    return tuple(v.strip() for v in value)


def _int(data: dict[str, Any], key: str, path: str, default: int | None, minimum: int = 0) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    _expect(isinstance(value, int) and not isinstance(value, bool) and value >= minimum, path, key,
            f"an integer >= {minimum}")
    return int(value)


POLITENESS_FIELDS: dict[str, tuple[Any, str]] = {
    "download_delay": (lambda v: is_number(v) and v >= 0, "a number of seconds >= 0"),
    "concurrent_requests_per_domain": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
                                       "a whole number >= 1"),
    "obey_robots_txt": (lambda v: isinstance(v, bool), "true or false"),
}

KNOWN_FIELDS = {
    "id", "name", "allowed_domains", "start_urls", "feeds", "sitemaps", "article_url_patterns", "selectors",
    "language", "timezone", "schedule", "max_pages", "max_depth", "max_article_age_days", "politeness",
    "monitors",
}


def parse_source(data: Any, path: str, source_id: str | None = None) -> Source:
    """Validate one source mapping (as read from YAML)."""
    _expect(isinstance(data, dict), path, "<file>", "a YAML mapping of fields")
    unknown = sorted(str(k) for k in set(data) - KNOWN_FIELDS)
    _expect(not unknown, path, ", ".join(unknown), f"one of the known fields {sorted(KNOWN_FIELDS)}")
    sid = data.get("id", source_id)
    _expect(isinstance(sid, str) and bool(_ID.match(sid)), path, "id",
            "lower-case letters, digits, '-' or '_' (the file name without .yaml)")
    name = data.get("name")
    _expect(isinstance(name, str) and bool(name.strip()), path, "name", "a non-empty string")
    domains = _str_list(data, "allowed_domains", path)
    _expect(bool(domains), path, "allowed_domains", "at least one domain, e.g. [example.com]")
    start_urls = _str_list(data, "start_urls", path, urls=True)
    feeds = _str_list(data, "feeds", path, urls=True)
    sitemaps = _str_list(data, "sitemaps", path, urls=True)
    _expect(bool(start_urls or feeds or sitemaps), path, "start_urls/feeds/sitemaps",
            "at least one start URL, feed or sitemap")
    patterns = data.get("article_url_patterns") or {}
    _expect(isinstance(patterns, dict), path, "article_url_patterns", "a mapping with 'allow' and/or 'deny' lists")
    allow = _str_list(patterns, "allow", path)
    deny = _str_list(patterns, "deny", path)
    for key, regexes in (("allow", allow), ("deny", deny)):
        for rx in regexes:
            try:
                re.compile(rx)
            except re.error as exc:
                raise SourceConfigError(path, f"article_url_patterns.{key}",
                                        f"valid regular expressions ({exc})") from None
    selectors = data.get("selectors") or {}
    _expect(isinstance(selectors, dict), path, "selectors", f"a mapping of {SELECTOR_FIELDS} to CSS/XPath")
    for key, value in selectors.items():
        _expect(key in SELECTOR_FIELDS, path, f"selectors.{key}", f"one of {SELECTOR_FIELDS}")
        _expect(isinstance(value, str) and bool(value.strip()), path, f"selectors.{key}",
                "a CSS selector or an XPath ('xpath:...' or starting with '/')")
    language = data.get("language")
    _expect(language is None or (isinstance(language, str) and bool(re.fullmatch(r"[a-z]{2}", language))),
            path, "language", "an ISO 639-1 code such as 'en'")
    tz = data.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(str(tz))
        except Exception:  # noqa: BLE001
            raise SourceConfigError(path, "timezone", f"an IANA zone such as 'Europe/London', got {tz!r}") from None
    schedule = data.get("schedule")
    if schedule is not None:
        from croniter import croniter

        _expect(isinstance(schedule, str) and croniter.is_valid(schedule), path, "schedule",
                "a cron expression such as '*/30 * * * *'")
    pol = data.get("politeness") or {}
    _expect(isinstance(pol, dict), path, "politeness", "a mapping")
    for key, (check, expected) in POLITENESS_FIELDS.items():
        _expect(key not in pol or pol[key] is None or check(pol[key]), path, f"politeness.{key}", expected)
    unknown = sorted(str(k) for k in set(pol) - set(POLITENESS_FIELDS))
    _expect(not unknown, path, "politeness." + ", ".join(unknown), f"one of {sorted(POLITENESS_FIELDS)}")
    politeness = Politeness(
        download_delay=pol.get("download_delay"),
        concurrent_requests_per_domain=pol.get("concurrent_requests_per_domain"),
        obey_robots_txt=pol.get("obey_robots_txt", True) is not False,
    )
    monitors = data.get("monitors") or {}
    _expect(isinstance(monitors, dict), path, "monitors", "a mapping of monitor thresholds")
    for key, value in monitors.items():
        problem = threshold_problem(key, value)
        _expect(problem is None, path, f"monitors.{key}", problem or "")
    return Source(
        id=sid, name=name.strip(), allowed_domains=domains, start_urls=start_urls, feeds=feeds, sitemaps=sitemaps,
        allow=allow, deny=deny, selectors=dict(selectors), language=language, timezone=tz, schedule=schedule,
        max_pages=_int(data, "max_pages", path, 500, 1) or 500, max_depth=_int(data, "max_depth", path, 3) or 0,
        max_article_age_days=_int(data, "max_article_age_days", path, None, 1),
        politeness=politeness, monitors=dict(monitors), path=path,
    )


def load_file(path: Path) -> Source:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceConfigError(str(path), "<file>", f"valid YAML ({exc})".replace("\n", " ")) from None
    except UnicodeDecodeError as exc:
        raise SourceConfigError(str(path), "<file>", f"UTF-8 text ({exc})") from None
    except RecursionError:
        raise SourceConfigError(str(path), "<file>", "YAML nested less deeply") from None
    except OSError as exc:
        raise SourceConfigError(str(path), "<file>", f"a readable file ({exc})") from None
    return parse_source(data, str(path), path.stem)


def sources_dirs(extra: Path | None = None) -> list[Path]:
    dirs = []
    if extra:
        dirs.append(extra)
    dirs.append(Path(str(resources.files("config") / "sources")))
    return dirs


def load_all(extra: Path | None = None) -> tuple[dict[str, Source], list[SourceConfigError]]:
    """Every source of the sources folders; broken files come back as errors, not exceptions."""
    found: dict[str, Source] = {}
    errors: list[SourceConfigError] = []
    for d in sources_dirs(extra):
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.yaml")):
            if path.stem in found:
                continue
            try:
                found[path.stem] = load_file(path)
            except SourceConfigError as exc:
                errors.append(exc)
    return found, errors


def get_source(source_id: str, extra: Path | None = None) -> Source:
    for d in sources_dirs(extra):
        path = d / f"{source_id}.yaml"
        if path.exists():
            return load_file(path)
    raise SourceConfigError(f"{source_id}.yaml", "<file>", f"a source file in {[str(d) for d in sources_dirs(extra)]}")
