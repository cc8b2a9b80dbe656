"""Extraction of the demo site's pages (incl. the seed story) and the extract/normalize commands."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crawler.demo_site.site import SEED_AUTHOR, build_articles, render_article
from crawler.exceptions import ExtractionError
from crawler.extraction import extract_article
from tests.helpers import json_lines, newsindex

SEED_TEXT = (Path(__file__).resolve().parent.parent / "crawler" / "demo_site" / "seed.txt").read_text(encoding="utf-8")
CHROME = ["Listen to this Article Now", "Getting your Trinity Audio player ready", "Spread the love", "Story By",
          "Facebook", "WhatsApp", "Subscribe", "Related stories", "All rights reserved"]


def _page(i: int) -> tuple[str, str]:
    art = build_articles()[i]
    return render_article(art, "127.0.0.1:8000"), f"http://127.0.0.1:8000{art.path}"


def test_seed_story_is_clean(tmp_path: Path) -> None:
    html, url = _page(0)
    path = tmp_path / "seed.html.gz"
    path.write_bytes(gzip.compress(html.encode()))
    out = json_lines(newsindex("extract", "--url", url, str(path)).stdout)[0]
    assert out["authors"] == [SEED_AUTHOR]
    assert out["published_at"] == "2021-07-29T10:15:00+00:00"
    assert out["title"] == "Officials from China and the Taliban met in a sign of improving ties."
    assert out["section"] == "International News"
    body = out["body"]
    for chrome in CHROME:
        assert chrome not in body
    lines = [ln.strip() for ln in SEED_TEXT.splitlines() if ln.strip()]
    expected_paragraphs = lines[lines.index("Spread the love") + 1: -1]
    assert lines[-1] == "Story By: Norvisi Mawunyegah"
    assert body.split("\n\n") == expected_paragraphs
    assert out["provenance"]["body"] == "generic"
    assert out["language"] == "en"


@pytest.mark.parametrize("index", range(1, 10))
def test_demo_themes(index: int) -> None:
    html, url = _page(index)
    art = build_articles()[index]
    got = extract_article(html, url)
    assert got.title == art.title
    assert got.authors == art.authors
    assert got.published_at == art.published.isoformat()
    assert got.body is not None and got.body.split("\n\n") == [art.lead, *art.paragraphs]
    if art.organization:
        assert art.organization in got.organizations


@pytest.mark.parametrize("html", ["", "   ", "\x00\x00"])
def test_not_a_page(html: str) -> None:
    with pytest.raises(ExtractionError):
        extract_article(html, "http://x/")


@pytest.mark.parametrize("html", ["<html><body><p>unclosed <div><p>", "<<<>>>", "plain text, no tags at all",
                                  "<html><head><script type='application/ld+json'>{broken</script></head></html>",
                                  "<?xml version='1.0' encoding='utf-8'?><html><body><h1>x</h1></body></html>"])
def test_malformed_html_never_crashes(html: str) -> None:
    try:
        got = extract_article(html, "http://x/")
    except ExtractionError as exc:  # a clear error is fine; any other exception is not
        assert str(exc)
    else:
        assert got.url == "http://x/"


_WORDS = "Words of the story told at length here. " * 20


@pytest.mark.parametrize("ld", ["[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000])
def test_json_ld_nested_beyond_the_stack_is_skipped(ld: str) -> None:
    html = (f'<html><head><script type="application/ld+json">{ld}</script></head>'
            f"<body><h1>A headline of the story</h1><p>{_WORDS}</p></body></html>")
    got = extract_article(html, "http://x/")
    assert got.title == "A headline of the story"
    assert got.body is not None and got.word_count == 160


@pytest.mark.parametrize("tag", ["div", "font"])
def test_text_past_deeply_nested_unclosed_tags_is_kept(tag: str) -> None:
    # 1,000 unclosed tags: libxml2's default depth limit (256) used to drop the article silently
    html = (f"<html><body><h1>A headline of the story</h1>{f'<{tag}>' * 1000}<p>{_WORDS}</p>"
            f"{f'</{tag}>' * 1000}</body></html>")
    got = extract_article(html, "http://x/")
    assert got.body is not None and got.word_count == 160


def test_manifest_goes_on_after_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(_page(1)[0], encoding="utf-8")
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"\x1f\x8b not gzip")
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("\n".join(json.dumps(x) for x in [
        {"path": str(good), "url": "http://x/world/2021/07/28/a"}, {"path": str(bad)},
        {"path": str(tmp_path / "missing.html")}, {"path": str(good)}]) + "\n")
    rows = json_lines(newsindex("extract", "--manifest", str(manifest)).stdout)
    assert len(rows) == 4
    assert rows[0]["title"] and rows[0]["path"] == str(good)
    assert "error" in rows[1] and "error" in rows[2]
    assert rows[3]["title"] == rows[0]["title"]


def test_normalize_commands() -> None:
    out = json_lines(newsindex("normalize", "byline", "Story By: Norvisi Mawunyegah").stdout)[0]
    assert out == {"authors": ["Norvisi Mawunyegah"], "organizations": []}
    out = json_lines(newsindex("normalize", "date", "July 29, 2021 10:00 IST", "--tz", "Europe/Dublin").stdout)[0]
    assert out == {"value": "2021-07-29T09:00:00+00:00", "error": None}
    out = json_lines(newsindex("normalize", "date", "2 hours ago", "--now", "2021-08-01T12:00:00Z").stdout)[0]
    assert out["value"] == "2021-08-01T10:00:00+00:00"
    out = json_lines(newsindex("normalize", "date", "junk").stdout)[0]
    assert out["value"] is None and out["error"]


def test_help_lists_subcommands() -> None:
    out = newsindex("--help").stdout
    for cmd in ("demo", "crawl", "search", "extract", "normalize", "dev-es", "index", "replay", "stats", "health",
                "schedule"):
        assert cmd in out
