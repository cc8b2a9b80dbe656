"""Shared fixtures: the real Elasticsearch (from NEWSINDEX_ES_URL, set by tests/run.sh), the demo site,
isolated data directories. The suite itself runs with the embedded store as the default; tests that
want Elasticsearch ask for the ``es_url`` fixture."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ES_URL = os.environ.pop("NEWSINDEX_ES_URL", None)
REQUIRE_ES = os.environ.get("NEWSINDEX_TESTS_REQUIRE_ES") == "1" or os.environ.get("CI") == "true"
REPO = Path(__file__).resolve().parent.parent
for var in ("NEWSINDEX_DATA_DIR", "NEWSINDEX_SOURCES_DIR", "NEWSINDEX_ALERT_WEBHOOK", "NEWSINDEX_ES_INDEX"):
    os.environ.pop(var, None)


@pytest.fixture(scope="session")
def es_url() -> str:
    if not ES_URL:
        if REQUIRE_ES:
            pytest.fail("NEWSINDEX_ES_URL is not set: the Elasticsearch tests must run (use ./tests/run.sh)")
        pytest.skip("no Elasticsearch: run ./tests/run.sh or set NEWSINDEX_ES_URL")
    return ES_URL


@pytest.fixture
def es_index(es_url: str) -> Iterator[str]:
    """A unique alias name per test; its indices and template are deleted afterwards."""
    from elasticsearch import Elasticsearch

    alias = f"test-{uuid.uuid4().hex[:10]}"
    yield alias
    client = Elasticsearch(es_url)
    client.options(ignore_status=404).indices.delete(index=f"{alias}-v*")
    client.options(ignore_status=404).indices.delete_index_template(name=alias)
    client.close()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("NEWSINDEX_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def demo_server():
    from crawler.demo_site.site import DemoServer

    with DemoServer() as server:
        yield server


@pytest.fixture
def demo_sources(tmp_path: Path, demo_server, monkeypatch: pytest.MonkeyPatch) -> Path:
    from crawler.demo_site.site import source_yaml

    d = tmp_path / "sources"
    d.mkdir()
    (d / "demo.yaml").write_text(source_yaml(demo_server.base_url), encoding="utf-8")
    monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(d))
    return d
