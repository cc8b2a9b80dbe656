"""Text analysis shared by both backends: tokenization and Snowball stemming in Python.

Both stores index the same stemmed forms (``title_stem``, ``text_stem``) computed here, so a query
behaves the same on Elasticsearch and on SQLite, and on any Elasticsearch distribution (the
test distribution ships without the analysis-common module and its language analyzers).
A query term matches when any of its stems in the supported languages (or in the ``--lang``
filter's language) equals a document token's stem in the document's language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from crawler.normalize.text import per_chunk

LANGUAGES = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "pt": "portuguese", "it": "italian",
    "nl": "dutch", "ru": "russian", "ar": "arabic", "sv": "swedish", "da": "danish", "no": "norwegian",
    "fi": "finnish", "tr": "turkish", "hu": "hungarian", "ro": "romanian", "el": "greek", "id": "indonesian",
}
QUERY_LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "ru", "ar")
_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 32


def fold(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold()


def tokens(text: str | None) -> list[str]:
    # folding the whole text once equals folding each \w token, and is far cheaper
    return _TOKEN.findall(fold(text)) if text else []


@lru_cache(maxsize=32)
def _stemmer(lang: str):
    name = LANGUAGES.get(lang)
    return snowballstemmer.stemmer(name) if name else None


def stem(token: str, lang: str | None) -> str:
    s = _stemmer(lang or "")
    return s.stemWord(token) if s else token


_STEM_CACHE: dict[str, dict[str, str]] = {}
_STEM_CACHE_MAX = 200_000  # words per language; the cache is dropped and rebuilt past this


def _stems_of(lang: str | None):
    """A cached one-word stemmer for ``lang`` (shares stem_text's cache)."""
    s = _stemmer(lang or "")
    if not s:
        return lambda tok: tok
    cache = _STEM_CACHE.setdefault(lang or "", {})

    def one(tok: str) -> str:
        got = cache.get(tok)
        if got is None:
            got = cache[tok] = s.stemWord(tok)
        return got

    return one


def clear_caches() -> None:
    """Forget every cached stem (benchmarks start each round cold)."""
    _STEM_CACHE.clear()


def stem_text(text: str | None, lang: str | None) -> str:
    """Whitespace-joined stems of ``text`` in ``lang`` (identity for unsupported languages).

    The same words as stemming each of ``tokens(text)``, but the text is split on whitespace (C speed)
    and each raw chunk is cached with its stemmed words: ``"(u.s.,"`` maps once to ``"u s"``, a chunk
    without a word to ``""``. A document whose chunks are all known costs one casefold, one split and
    one join; the extra spaces left by empty chunks mean nothing to a whitespace tokenizer.
    """
    if not text:
        return ""
    s = _stemmer(lang or "")

    def stems_of(chunk: str) -> str:
        words = _TOKEN.findall(fold(chunk))
        return " ".join(s.stemWords(words) if s else words)

    return " ".join(per_chunk(text.casefold().split(), _STEM_CACHE.setdefault(lang or "", {}), stems_of,
                              _STEM_CACHE_MAX))


def term_variants(term: str, lang: str | None = None) -> list[str]:
    """Every stem a query term may be indexed as: the term itself and its stem per language."""
    t = fold(term)
    langs = (lang,) if lang in LANGUAGES else QUERY_LANGUAGES
    return list(dict.fromkeys([t] + [stem(t, x) for x in langs]))


def phrase_variants(words: list[str], lang: str | None = None) -> list[list[str]]:
    langs = (lang,) if lang in LANGUAGES else QUERY_LANGUAGES
    out = [[fold(w) for w in words]] + [[stem(fold(w), x) for w in words] for x in langs]
    unique: list[list[str]] = []
    for v in out:
        if v not in unique:
            unique.append(v)
    return unique


def parse_query(text: str | None) -> tuple[list[str], list[list[str]]]:
    """User text -> (terms, phrases). Quotes make phrases; every other character is plain text.

    Operators (AND/OR/NOT, -, *, parentheses) carry no meaning: they are words or punctuation.
    """
    text = (text or "")[:1000]
    phrases: list[list[str]] = []
    for quoted in re.findall(r'"([^"]*)"', text):
        words = tokens(quoted)
        if len(words) > 1:
            phrases.append(words[:MAX_QUERY_TERMS])
    rest = re.sub(r'"[^"]*"', " ", text)
    rest = re.sub(r"\b(AND|OR|NOT)\b", " ", rest)  # operator words mean nothing here
    terms = tokens(rest)
    for quoted in re.findall(r'"([^"]*)"', text):
        if len(tokens(quoted)) == 1:
            terms += tokens(quoted)
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS], phrases[:8]


def highlight(body: str | None, terms: list[str], phrases: list[list[str]], lang: str | None,
              width: int = 220) -> str:
    """A snippet of ``body`` around the first matching word, matches wrapped in <mark>...</mark>."""
    body = body or ""
    if not body:
        return ""
    wanted = set()
    for t in terms + [w for p in phrases for w in p]:
        wanted.update(term_variants(t))
        wanted.add(stem(fold(t), lang))
    flat = " ".join(body[:50_000].split())
    stems = _stems_of(lang)
    spans = []
    for m in _TOKEN.finditer(flat):
        tok = fold(m.group(0))
        if tok in wanted or stems(tok) in wanted:
            spans.append((m.start(), m.end()))
            if len(spans) > 40:
                break
    if not spans:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(0, spans[0][0] - width // 3)
    if start:
        start = flat.find(" ", start) + 1 or start
    end = min(len(flat), start + width)
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(flat[pos:a])
        out.append(f"<mark>{flat[a:b]}</mark>")
        pos = b
    out.append(flat[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(flat) else "")
