"""Source files: the schema's errors name the file, the field and what was expected; a broken file never
stops the others. Monitor thresholds from source files and from settings are checked the same way."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.exceptions import SourceConfigError
from crawler.extensions import monitor_settings
from crawler.monitors import threshold_problem
from crawler.sources import load_all, load_file, parse_source

GOOD: dict[str, Any] = {"name": "Example World", "allowed_domains": ["example.com"],
                        "start_urls": ["https://example.com/world/"]}


@pytest.mark.parametrize(("change", "field", "expected"), [
    ({"nme": "typo"}, "nme", "one of the known fields"),
    ({1: "x", "foo": "y"}, "1, foo", "one of the known fields"),
    ({"name": ""}, "name", "a non-empty string"),
    ({"allowed_domains": {"a": 1}}, "allowed_domains", "a list of strings"),
    ({"start_urls": ["example.com/world"]}, "start_urls", "http(s) URLs"),
    ({"start_urls": [], "feeds": None}, "start_urls/feeds/sitemaps", "at least one start URL"),
    ({"article_url_patterns": {"allow": ["(unclosed"]}}, "article_url_patterns.allow", "valid regular expressions"),
    ({"selectors": {"headline": "h1"}}, "selectors.headline", "one of"),
    ({"language": "english"}, "language", "ISO 639-1"),
    ({"timezone": "Mars/Olympus"}, "timezone", "an IANA zone"),
    ({"schedule": "99 99 * * *"}, "schedule", "a cron expression"),
    ({"max_pages": 0}, "max_pages", "an integer >= 1"),
    ({"max_pages": 1e309}, "max_pages", "an integer >= 1"),
    ({"politeness": {"download_dely": 2}}, "politeness.download_dely", "one of"),
    ({"politeness": {"download_delay": -1}}, "politeness.download_delay", "a number of seconds >= 0"),
    ({"politeness": {"download_delay": float("inf")}}, "politeness.download_delay", "a number of seconds >= 0"),
    ({"politeness": {"concurrent_requests_per_domain": "two"}}, "politeness.concurrent_requests_per_domain",
     "a whole number >= 1"),
    ({"politeness": {"obey_robots_txt": "false"}}, "politeness.obey_robots_txt", "true or false"),
    ({"monitors": {"min_item": 5}}, "monitors.min_item", "one of the monitor thresholds"),
    ({"monitors": {"min_items": "five"}}, "monitors.min_items", "a number"),
    ({"monitors": {"max_error_ratio": 2}}, "monitors.max_error_ratio", "a ratio from 0 to 1"),
    ({"monitors": {"drift_fields": "authors"}}, "monitors.drift_fields", "a list of coverage field names"),
])
def test_schema_errors_name_the_field_and_what_was_expected(change: dict[Any, Any], field: str,
                                                              expected: str) -> None:
    with pytest.raises(SourceConfigError) as err:
        parse_source({**GOOD, **change}, "config/sources/example.yaml", "example")
    assert err.value.path == "config/sources/example.yaml"
    assert err.value.field == field
    assert expected in err.value.expected
    assert str(err.value).startswith(f"config/sources/example.yaml: field '{field}': expected ")


def test_a_valid_source_keeps_its_values() -> None:
    src = parse_source({**GOOD, "politeness": {"download_delay": 1.5, "concurrent_requests_per_domain": 2,
                                               "obey_robots_txt": False},
                        "monitors": {"min_items": 5, "drift_fields": ["authors"]}}, "x.yaml", "example")
    assert (src.id, src.politeness.download_delay, src.politeness.obey_robots_txt) == ("example", 1.5, False)
    assert src.politeness.concurrent_requests_per_domain == 2
    assert src.monitors == {"min_items": 5, "drift_fields": ["authors"]}


def test_broken_files_come_back_as_errors_and_the_good_one_loads(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("name: Good\nallowed_domains: [example.com]\n"
                                        "start_urls: ['https://example.com/world/']\n", encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "deep.yaml").write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n  - x: {\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    sources, errors = load_all(tmp_path)
    assert "good" in sources
    assert not {"binary", "deep", "broken", "list"} & set(sources)
    by_file = {Path(e.path).stem: e for e in errors}
    assert set(by_file) == {"binary", "deep", "broken", "list"}
    assert "UTF-8 text" in by_file["binary"].expected
    assert "nested less deeply" in by_file["deep"].expected
    assert "valid YAML" in by_file["broken"].expected
    assert by_file["list"].expected == "a YAML mapping of fields"
    with pytest.raises(SourceConfigError):
        load_file(tmp_path / "binary.yaml")


@pytest.mark.parametrize(("name", "value", "ok"), [
    ("min_items", 0, True), ("min_items", 5, True), ("min_items", 2.0, True), ("min_items", -1, False),
    ("min_items", 1.5, False), ("min_items", True, False), ("min_items", "5", False),
    ("drift_runs", 0, False), ("drift_runs", 3, True), ("min_items", float("nan"), False),
    ("drift_runs", float("inf"), False), ("max_drop_ratio", float("nan"), False),
    ("max_error_ratio", 0.2, True), ("max_error_ratio", 1, True), ("max_error_ratio", 1.5, False),
    ("min_coverage_authors", 0.8, True), ("min_coverage_authors", None, False),
    ("drift_fields", ["authors", "selector_byline"], True), ("drift_fields", ["authors", ""], False),
    ("drift_fields", "authors", False), ("no_such_check", 1, False),
])
def test_threshold_problem(name: str, value: object, ok: bool) -> None:
    assert (threshold_problem(name, value) is None) is ok


def test_monitor_thresholds_from_settings(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings({"NEWSINDEX_MONITOR_MIN_ITEMS": "5", "NEWSINDEX_MONITOR_MAX_ERROR_RATIO": 0.2,
                         "NEWSINDEX_MONITOR_DRIFT_FIELDS": "authors, body",
                         "NEWSINDEX_MONITOR_MAX_DROP_RATIO": "lots"})
    with caplog.at_level(logging.ERROR):
        got = monitor_settings(settings)
    assert got == {"min_items": 5, "max_error_ratio": 0.2, "drift_fields": ["authors", "body"]}
    assert "NEWSINDEX_MONITOR_MAX_DROP_RATIO" in caplog.text and "a number" in caplog.text
