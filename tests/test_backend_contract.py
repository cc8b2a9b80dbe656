"""One contract, two backends: the same tests on SQLite FTS5 and on the real Elasticsearch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.article import Article, article_id
from crawler.config import load
from crawler.exceptions import QueryError
from indexer.base import RESULT_FIELDS, SearchRequest


def make_doc(slug: str, title: str, body: str, *, source: str = "s1", lang: str = "en", section: str = "World",
             authors: list[str] | None = None, published: str = "2021-07-29T10:00:00+00:00",
             fetched: str = "2021-07-30T00:00:00+00:00", updated: str | None = None) -> dict[str, Any]:
    url = f"https://news.example/{slug}"
    art = Article(url=url, canonical_url=url, id=article_id(url), source_id=source, source_name=source.upper(),
                  section=section, title=title, body=body, authors=authors or ["Jane Doe"], language=lang,
                  published_at=published, updated_at=updated, fetched_at=fetched, word_count=len(body.split()))
    return art.to_document()


CORPUS = [
    make_doc("a", "Troops begin withdrawal from Afghanistan",
             "Foreign soldiers are withdrawing after twenty years. The withdrawal will end in August.",
             authors=["Ali Khan"], published="2021-07-20T08:00:00+00:00"),
    make_doc("b", "China hosts Taliban delegation in Tianjin",
             "Wang Yi met the Taliban as US forces withdraw. Talks covered security and the peace process.",
             authors=["Norvisi Mawunyegah"], published="2021-07-29T10:15:00+00:00"),
    make_doc("c", "Les troupes se retirent d'Afghanistan",
             "Le retrait des soldats étrangers se poursuit. Les troupes retirées rentrent chez elles.",
             lang="fr", source="s2", section="Monde", authors=["Jean Dupont"], published="2021-07-25T12:00:00+00:00"),
    make_doc("d", "Drought hits harvest in Kenya",
             "Farmers in Kenya report the worst harvest in decades as the drought continues.",
             source="s2", section="Africa", authors=["Amara Okafor"], published="2021-06-01T09:00:00+00:00"),
    make_doc("e", "Президент выступил с обращением",
             "Президент России выступил с обращением к гражданам страны.",
             lang="ru", source="s3", authors=["Иван Петров"], published="2021-07-10T09:00:00+00:00"),
]


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        from indexer.sqlite_backend import SQLiteBackend

        b: Any = SQLiteBackend(tmp_path / "store.sqlite3")
    else:
        url = request.getfixturevalue("es_url")
        alias = request.getfixturevalue("es_index")
        from indexer.es_backend import ElasticsearchBackend

        b = ElasticsearchBackend(load({"NEWSINDEX_ES_URL": url}), alias=alias)
    b.init()
    yield b
    b.close()


@pytest.fixture
def loaded(backend: Any) -> Any:
    report = backend.upsert([dict(d) for d in CORPUS])
    assert report.indexed == len(CORPUS) and not report.rejected
    backend.refresh()
    return backend


def titles(res: dict[str, Any]) -> list[str]:
    return [r["title"] for r in res["results"]]


def test_upsert_is_idempotent(loaded: Any) -> None:
    report = loaded.upsert([dict(d) for d in CORPUS])
    loaded.refresh()
    assert report.indexed + report.skipped_older == len(CORPUS)
    assert loaded.count() == len(CORPUS)


def test_newer_wins_older_loses(loaded: Any) -> None:
    base = CORPUS[0]
    newer = dict(base, title="Troops complete withdrawal", updated_at="2021-07-21T08:00:00+00:00")
    assert loaded.upsert([newer]).indexed == 1
    older = dict(base, title="Stale copy", fetched_at="2021-07-01T00:00:00+00:00")
    report = loaded.upsert([older])
    loaded.refresh()
    assert report.skipped_older == 1 and report.indexed == 0
    assert loaded.get(base["id"])["title"] == "Troops complete withdrawal"
    assert loaded.count() == len(CORPUS)


def test_result_shape(loaded: Any) -> None:
    res = loaded.search(SearchRequest(text="Taliban"))
    assert res["total"] == 1
    row = res["results"][0]
    assert set(row) == set(RESULT_FIELDS)
    assert row["source"] == "s1" and row["authors"] == ["Norvisi Mawunyegah"]
    assert row["published_at"].startswith("2021-07-29T10:15")
    assert "<mark>Taliban</mark>" in row["snippet"]


def test_english_stemming(loaded: Any) -> None:
    res = loaded.search(SearchRequest(text="withdraw"))
    assert set(titles(res)) == {"Troops begin withdrawal from Afghanistan", "China hosts Taliban delegation in Tianjin"}
    assert "<mark>withdraw" in res["results"][0]["snippet"] or "<mark>Withdraw" in res["results"][0]["snippet"]


def test_french_inflections(loaded: Any) -> None:
    res = loaded.search(SearchRequest(text="retirer", lang="fr"))
    assert titles(res) == ["Les troupes se retirent d'Afghanistan"]
    assert loaded.search(SearchRequest(text="soldat"))["total"] == 1  # "soldats" in the body


def test_title_ranks_above_body(loaded: Any) -> None:
    res = loaded.search(SearchRequest(text="Afghanistan withdrawal"))
    assert titles(res)[0] == "Troops begin withdrawal from Afghanistan"


def test_filters(loaded: Any) -> None:
    assert loaded.search(SearchRequest(source="s2"))["total"] == 2
    assert loaded.search(SearchRequest(lang="fr"))["total"] == 1
    assert loaded.search(SearchRequest(section="Africa"))["total"] == 1
    assert titles(loaded.search(SearchRequest(author="Ali Khan"))) == ["Troops begin withdrawal from Afghanistan"]
    assert loaded.search(SearchRequest(author="ali khan"))["total"] == 1
    assert loaded.search(SearchRequest(text="harvest", source="s1"))["total"] == 0


def test_date_ranges(loaded: Any) -> None:
    assert loaded.search(SearchRequest(since="2021-07-21"))["total"] == 2
    assert loaded.search(SearchRequest(until="2021-07-10"))["total"] == 2
    assert loaded.search(SearchRequest(since="2021-07-20", until="2021-07-25"))["total"] == 2
    with pytest.raises(QueryError):
        loaded.search(SearchRequest(since="not a date"))


def test_empty_query_sorted_by_date_and_paginated(loaded: Any) -> None:
    res = loaded.search(SearchRequest(limit=2))
    assert res["total"] == len(CORPUS)
    dates = [r["published_at"] for r in res["results"]]
    assert dates == sorted(dates, reverse=True) and dates[0].startswith("2021-07-29")
    page2 = loaded.search(SearchRequest(limit=2, offset=2))
    assert not set(titles(res)) & set(titles(page2))
    everything = titles(loaded.search(SearchRequest(limit=10)))
    assert everything[2:4] == titles(page2)


def test_sort_by_date_with_text(loaded: Any) -> None:
    res = loaded.search(SearchRequest(text="withdraw", sort="date"))
    assert titles(res) == ["China hosts Taliban delegation in Tianjin", "Troops begin withdrawal from Afghanistan"]


def test_phrase(loaded: Any) -> None:
    assert titles(loaded.search(SearchRequest(text='"peace process"'))) == ["China hosts Taliban delegation in Tianjin"]
    assert loaded.search(SearchRequest(text='"process peace"'))["total"] == 0


@pytest.mark.parametrize("query", [
    'taliban"', "(taliban", "taliban)", "taliban AND", "OR", "-", "*", "tali*", "NOT taliban", "a:b", "\\",
    "title:taliban", "{\"query\": 1}", "' OR 1=1 --", "x" * 5000, "Taliban " * 300, "\x00", "🙂", "塔利班", "طالبان",
    "script:doc['x']", "NEAR(a b)", "^", "~", "/regex/",
])
def test_hostile_queries_never_crash(loaded: Any, query: str) -> None:
    res = loaded.search(SearchRequest(text=query))
    assert isinstance(res["total"], int) and isinstance(res["results"], list)


def test_operators_are_text(loaded: Any) -> None:
    assert titles(loaded.search(SearchRequest(text="Taliban AND"))) == ["China hosts Taliban delegation in Tianjin"]
    assert loaded.search(SearchRequest(text="(taliban"))["total"] == 1


def test_non_latin(loaded: Any) -> None:
    assert titles(loaded.search(SearchRequest(text="Президент"))) == ["Президент выступил с обращением"]


def test_bad_request_options(loaded: Any) -> None:
    for req in (SearchRequest(sort="popularity"), SearchRequest(limit=0), SearchRequest(limit=10**6),
                SearchRequest(offset=-1)):
        with pytest.raises(QueryError):
            loaded.search(req)


def test_delete_by_source(loaded: Any) -> None:
    assert loaded.delete_by_source("s2") == 2
    loaded.refresh()
    assert loaded.count() == len(CORPUS) - 2
    assert loaded.search(SearchRequest(source="s2"))["total"] == 0


def test_run_records(backend: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    for i in range(3):
        backend.write_run({"run_id": f"r{i}", "source": "s1", "started_at": (now + dt.timedelta(minutes=i)).isoformat(),
                           "finish_reason": "finished", "items_stored": i, "coverage": {"authors": 0.5}})
    runs = backend.list_runs("s1", 2)
    assert [r["run_id"] for r in runs] == ["r2", "r1"]
