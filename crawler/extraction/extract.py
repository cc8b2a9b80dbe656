"""Layered article extraction.

For every field the layers are consulted in this order, and the first layer that yields a usable
value wins, except where a rule below says otherwise:

1. ``selector``   -- the source's own CSS/XPath selectors from its YAML file;
2. ``structured`` -- JSON-LD (NewsArticle, ReportageNewsArticle, Article, ..., incl. @graph) and microdata;
3. ``meta``       -- OpenGraph, article:*, parsely-*, sailthru.*, dc.* meta tags;
4. ``generic``    -- trafilatura for the body, htmldate for dates, visible bylines and headings.

Rules where layers disagree:
- Body: the visible text (trafilatura) is preferred, because JSON-LD ``articleBody`` often loses
  paragraph breaks or is truncated; ``articleBody`` wins when the visible text is missing or has
  under half its words (paywalls, script-rendered pages).
- Dates: a date-only value gives way to a later layer's value with a time on the same day.
- Authors: the first layer with person names wins; organizations are collected from every layer
  consulted up to it. A closing "Story By: X" line in the body is the byline when nothing else is.
- Title: a weighted vote of og:title, the JSON-LD headline, the <h1> (not one inside a breadcrumb
  trail), twitter:title and <title>, after site-name suffixes (" | Site", " - Site") are removed;
  og:title wins unless the others all agree on another title (xpaths.TITLE_WEIGHTS).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector

from crawler.article import GENERIC, META, SELECTOR, STRUCTURED, URL, Article, article_id
from crawler.exceptions import ExtractionError
from crawler.extraction import xpaths as X
from crawler.fingerprint import body_fingerprints
from crawler.normalize.bylines import normalize_byline
from crawler.normalize.dates import DateResult, not_before, parse_date
from crawler.normalize.encoding import decode_html
from crawler.normalize.language import detect_language
from crawler.normalize.text import clean_line, clean_text, word_count
from crawler.normalize.urls import MAX_URL_CHARS, registered_host, resolve_canonical


@dataclass(frozen=True)
class SiteRules:
    """What extraction needs to know about a source (a subset of its YAML file)."""

    id: str = ""
    name: str = ""
    language: str | None = None
    timezone: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)


NO_RULES = SiteRules()


def extract_from_bytes(
    body: bytes,
    url: str,
    content_type: str | None = None,
    rules: SiteRules = NO_RULES,
    fetched_at: dt.datetime | None = None,
    **kw: Any,
) -> Article:
    """Decode bytes (see decode_html) and extract."""
    return extract_article(decode_html(body, content_type), url, rules, fetched_at, **kw)


# Comments and processing instructions are dropped at parse time: left in the tree they split text
# runs, and trafilatura then loses whole paragraphs on some pages (measured: 301 of 579 words kept).
# huge_tree: without it libxml2 stops at 256 nested elements (unclosed <div>s or <font>s reach that) and at
# text runs over 10 MB, and everything after is silently lost; with it the limit is 2,048 elements.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True)
# every element is an HtmlElement, chosen in C: lxml.html's own lookup is a Python method called for each
# element that gets a Python object (about 5,000 calls per real page; extraction of the 127 news pages
# took 39.1 ms a page with it, 35.7 ms without); what it adds is form-field classes (<input>.value...),
# which extraction never uses
_PARSER.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction))


def parse_html(html: str) -> lxml.html.HtmlElement:
    if not isinstance(html, str) or not html.strip():
        raise ExtractionError("empty page")
    html = html.replace("\x00", "")
    if html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        tree = lxml.html.fromstring(html, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None
    if tree is None or tree.find(".//body") is None and len(tree) == 0:
        raise ExtractionError("no HTML document")
    return tree


# ---------------------------------------------------------------- layers: collection
@functools.lru_cache(maxsize=64)
def _xpath(expression: str) -> lxml.etree.XPath:
    """An expression of ours, compiled once instead of for every page (on a small page, compiling one
    costs from a third of to as much as evaluating it)."""
    return lxml.etree.XPath(expression)


def _meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and value.strip():
            out.setdefault(key.strip().lower(), []).append(value.strip())
    return out


def _first_meta(meta: dict[str, list[str]], keys: Iterable[str]) -> str | None:
    for k in keys:
        for v in meta.get(k, ()):
            if v:
                return v
    return None


def _all_meta(meta: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    return [v for k in keys for v in meta.get(k, ())]


# what CMSs wrap a script's JSON in for old browsers: <![CDATA[ ]]>, commented out for JavaScript as
# //<![CDATA[ ... //]]> (Rails' javascript_tag) or /*<![CDATA[*/ ... /*]]>*/, or an HTML comment <!-- -->
_SCRIPT_OPEN = re.compile(r"\s*(?://|/\*)?\s*(?:<!\[CDATA\[|<!--)\s*(?:\*/)?")
_SCRIPT_CLOSE = re.compile(r"(?://|/\*)?\s*(?:\]\]>|-->)\s*(?:\*/)?$")
_SCRIPT_CLOSE_ENDS = ("]]>", "-->", "*/")


def _unwrapped_script(raw: str) -> str:
    """A stripped script text without its wrapper. The closing one is looked for in the last characters
    only: a pattern anchored at the end, searched through a whole script, is tried at each of its
    characters (about 0.3 ms for a JSON-LD object with the article's body in it)."""
    opening = _SCRIPT_OPEN.match(raw)
    if opening:
        raw = raw[opening.end():]
    if raw.endswith(_SCRIPT_CLOSE_ENDS):
        closing = _SCRIPT_CLOSE.search(raw, max(0, len(raw) - 64))
        if closing:
            raw = raw[:closing.start()]
    return raw


def _jsonld_objects(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in _xpath('//script[contains(translate(@type, "JSONLD", "jsonld"), "ld+json")]')(tree):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = _unwrapped_script(raw)
        try:
            data = json.loads(raw)
        except RecursionError:  # nested deeper than Python's stack: nobody's article metadata
            continue
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except (ValueError, RecursionError):
                continue
        objects.extend(_flatten(data))
    return objects


def _flatten(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten(main, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    best, best_score = None, -1
    for obj in objects:
        types = _types(obj)
        if not types & X.STRUCTURED_ARTICLE_TYPES:
            continue
        score = 0
        if types & {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle"}:
            score += 4
        elif types & {"article", "blogposting", "liveblogposting", "report"}:
            score += 3
        score += bool(obj.get("headline")) + bool(obj.get("datePublished")) + bool(obj.get("author"))
        score += 2 * bool(obj.get("articleBody"))
        if "webpage" in types and score < 3:
            score -= 2
        if score > best_score:
            best, best_score = obj, score
    return best


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text")
    return clean_line(value) or None if isinstance(value, (str, int, float)) else None


_CMS_ACCOUNT = re.compile(r"/(?:author|authors|profile|user|users)/"
                          r"(?:admin|administrator|webmaster|editor|wpadmin|root)(?:/|$)", re.I)
_CMS_ACCOUNT_NAME = re.compile(r"^\s*(?:admin|administrator|webmaster|wpadmin|root|superuser)\s*$", re.I)


def _sibling_bylines(tree: lxml.html.HtmlElement, names: list[str]) -> list[str]:
    """All names of the byline boxes that stand next to the box showing one of ``names``.

    A page may show two reporters in two sibling ``<div class="byline">`` boxes while its structured
    data names one. Only boxes that share their parent and class with the matched one count (2 to 5),
    so "more from" lists elsewhere on the page never join in."""
    keys = {_name_key(n) for n in names}
    for el in tree.iter("a", "span", "address", "strong"):
        text = el.text_content()
        if len(text) > 80 or _name_key(text) not in keys:
            continue
        box = next((a for a in [el, *list(el.iterancestors())[:4]]
                    if re.search(r"byline|author", a.get("class") or "", re.I)), None)
        parent = box.getparent() if box is not None else None
        if box is None or parent is None:
            continue
        peers = [c for c in parent if isinstance(c.tag, str) and c.get("class") == box.get("class")]
        if not 2 <= len(peers) <= 5:
            continue
        found: list[str] = []
        for peer in peers:
            found += normalize_byline(_visible_text(peer))["authors"]
        return list(dict.fromkeys(found))
    return []


def _links_cms_account(node: Any) -> bool:
    """A byline element that links to a CMS login's author page (/author/admin/) names no reporter."""
    if not isinstance(node, lxml.html.HtmlElement):
        return False
    return any(_CMS_ACCOUNT.search(a.get("href") or "") for a in node.iter("a"))


def _ld_people(value: Any) -> tuple[list[str], list[str]]:
    persons: list[str] = []
    orgs: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            parsed = normalize_byline(item)
            persons += parsed["authors"]
            orgs += parsed["organizations"]
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = ", ".join(str(n) for n in name)
            if not isinstance(name, str):
                given, family = item.get("givenName"), item.get("familyName")
                name = " ".join(x for x in (given, family) if isinstance(x, str)) or None
            if not name:
                continue
            if _CMS_ACCOUNT.search(str(item.get("url") or item.get("@id") or "")) or _CMS_ACCOUNT_NAME.match(name):
                continue  # a CMS login ("admin", /author/admin/) published the page; it is nobody's byline
            if _types(item) & {"organization", "newsmediaorganization", "corporation"}:
                parsed = normalize_byline(name)
                orgs += parsed["organizations"] or parsed["authors"]
            else:
                parsed = normalize_byline(name)
                persons += parsed["authors"]
                orgs += parsed["organizations"]
    return persons, orgs


def _select(tree: lxml.html.HtmlElement, selector: str) -> list[Any]:
    try:
        if selector.startswith(("xpath:", "/", "(")):
            return list(tree.xpath(selector.removeprefix("xpath:")))
        return list(CSSSelector(selector)(tree))
    except (lxml.etree.XPathError, lxml.etree.XPathEvalError, ValueError, SyntaxError):
        return []
    except Exception:  # noqa: BLE001 - cssselect raises its own error types
        return []


def _node_text(node: Any) -> str:
    if isinstance(node, str):
        return clean_line(node)
    if isinstance(node, lxml.html.HtmlElement):
        return clean_line(node.text_content())
    return clean_line(str(node))


# class tokens of screen-reader-only text; whole tokens, so "overflow-hidden" or "hidden-xs" stay visible
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:[\w-]*visually-?hidden[\w-]*|[\w-]*sr-only[\w-]*|[\w-]*screen-?reader[\w-]*|"
                           r"hidden|is-hidden|u-hidden|a11y-hidden)(?=\s|$)", re.I)


def _visible_text(node: Any) -> str:
    """A node's text without screen-reader-only helpers ("capital", "Author:" labels for assistive tech)."""
    if not isinstance(node, lxml.html.HtmlElement):
        return _node_text(node)
    hidden = {el for el in node.iter() if el is not node and isinstance(el.tag, str)
              and _HIDDEN_CLASS.search(el.get("class") or "")}
    if not hidden:
        return _node_text(node)
    parts: list[str] = []

    def walk(el: Any) -> None:
        if el in hidden:
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return clean_line(" ".join(parts))


def _node_block_text(node: Any) -> str:
    if not isinstance(node, lxml.html.HtmlElement):
        return _node_text(node)
    paras = [clean_line(p.text_content()) for p in node.iter("p", "h2", "h3", "li", "blockquote")]
    paras = [p for p in paras if p]
    return "\n\n".join(paras) if paras else clean_text(node.text_content())


# ---------------------------------------------------------------- title
def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    site_keys = [_name_key(s) for s in site_names if s]
    for sep in X.TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            tail_key = _name_key(tail)
            if tail_key and any(tail_key in k for k in site_keys):
                return head.strip()
            first, _, rest = title.partition(sep)
            first_key = _name_key(first)
            if first_key and first_key in site_keys:
                return rest.strip()
    return title


_TITLE_SEP = re.compile(r"^\s*(\||-|–|—|:|：|·|•|::|»|«|ㅣ|\*)")


_TITLE_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})


def _in_breadcrumb(node: Any) -> bool:
    """An <h1> in a breadcrumb trail (or styled as one) names the page for navigation and SEO; it is not
    the visible headline."""
    names = node.xpath("ancestor-or-self::*/@class | ancestor-or-self::*/@id")
    return any("breadcrumb" in name.lower() for name in names)


def _title_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TITLE_QUOTES).casefold().split())


def _vote_title(candidates: list[tuple[str, float, str]]) -> tuple[str, str] | None:
    """The headline most of the page's own title sources agree on: (layer, text).

    Candidates are (layer, weight, text) in order of preference (visible h1, JSON-LD headline, og:title,
    twitter:title, <title>, the CMS's headline in meta tags: `headline`, `title`, `parsely-title`...). A
    candidate that is another one plus a separator and a tail ("Headline | Site", "Headline – DW –
    28.04.2023") counts as that shorter one. Titles are compared without case, Unicode-width or
    typographic-quote differences. Ties go to the earlier candidate.
    """
    texts = [t for _, _, t in candidates]
    trimmed = []
    for layer, weight, text in candidates:
        key = _title_key(text)
        for other in texts:
            okey = _title_key(other)
            if okey and len(okey) < len(key) and key.startswith(okey) and \
                    _TITLE_SEP.match(text[len(other):] if text.startswith(other) else text[len(okey):]):
                text, key = other, okey
        trimmed.append((layer, weight, text, key))
    votes: dict[str, float] = {}
    for _, weight, _, key in trimmed:
        votes[key] = votes.get(key, 0.0) + weight
    best = None
    for layer, _, text, key in trimmed:  # earliest candidate of the best-voted key
        if best is None or votes[key] > votes[best[2]]:
            best = (layer, text, key)
    return (best[0], best[1]) if best else None


# ---------------------------------------------------------------- body
_BLOCK_TAGS = frozenset({"p", "div", "h2", "h3", "h4", "section", "header", "blockquote", "li"})
_NOT_STANDFIRST = frozenset({"a", "figure", "figcaption", "aside", "nav", "footer", "button", "label"})
_NOT_STANDFIRST_CLASS = re.compile(r"caption|figure|img|image|photo|credit|related|advert|breadcrumb", re.I)


_VISIBLE_TEXT = lxml.etree.XPath("/html/body/descendant::text()[contains(., $needle)]")


def _standfirst(tree: lxml.html.HtmlElement, descriptions: list[str]) -> str | None:
    """The page's description as the reader sees it above the article (the standfirst/teaser paragraph):
    the text of the visible block that shows one of the descriptions, with what that block adds to it
    ("Berlin. " + description). None when no description is shown as such: it may be a caption, a
    teaser elsewhere, or nowhere on the page."""
    for description in dict.fromkeys(descriptions):
        if word_count(description) < 8:
            continue
        key = _title_key(description)
        for hit in _VISIBLE_TEXT(tree, needle=description[:40])[:5]:
            parent = hit.getparent()
            if parent is None or parent.tag in ("script", "style", "template", "noscript", "title", "textarea"):
                continue
            if any(a.tag in _NOT_STANDFIRST or _NOT_STANDFIRST_CLASS.search(a.get("class") or "")
                   for a in [parent, *parent.iterancestors()]):
                continue
            node = parent
            while node.tag not in _BLOCK_TAGS and node.getparent() is not None:
                node = node.getparent()
            text = clean_line(node.text_content())
            if key in _title_key(text) and len(text) <= len(description) + 40:
                return text
    return None


def _body_paragraphs(text: str) -> list[str]:
    return [p for p in (clean_line(p) for p in re.split(r"\n\s*\n|\n", text or "")) if p]


def _strip_chrome(paragraphs: list[str], titles: Iterable[str]) -> tuple[list[str], str | None]:
    """Remove page chrome lines and a repeated headline (any of the page's titles) at the top; pull a
    closing/opening credit line out as the byline."""
    out: list[str] = []
    byline = None
    n = len(paragraphs)
    title_keys = {_title_key(t) for t in titles if t}
    for i, p in enumerate(paragraphs):
        if X.CHROME_RE.match(p):
            continue
        if len(out) < 3 and _title_key(p) in title_keys:  # "at the top": among the first lines kept
            continue
        near_edge = len(out) < 3 or i >= n - 3
        m = X.BYLINE_LINE_RE.match(p) if near_edge and len(p) < 160 else None
        if m:
            credited = normalize_byline(m.group("name") or m.group("name2") or m.group("name3") or m.group("name4"))
            if credited["authors"] or credited["organizations"]:
                byline = byline or p
                continue
        if near_edge and (X.DATELINE_RE.match(p) or X.DATESTAMP_RE.match(p)):
            continue
        if i >= n - 3 and X.SOURCE_CREDIT_RE.match(p):
            continue
        out.append(p)
    return out, byline


_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.){400,})"')
_FIGURE_CLASS = re.compile(r"caption|figure|img-box|image|photo|credit|related|ad-|advert", re.I)


def _script_html_body(tree: lxml.html.HtmlElement) -> str:
    """The longest article-like HTML held in an inline script's string literal (Next.js flight data,
    hydration state): paragraphs and sub-headings as text, figure captions left out. "" when none."""
    best = ""
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower():
            continue
        code = script.text or ""
        if "\\u003cp" not in code and "<p" not in code:
            continue
        for m in _JS_STRING.finditer(code):
            raw = m.group(1)
            if "\\u003cp" not in raw and "<p" not in raw:
                continue
            try:
                markup = json.loads(f'"{raw}"')
                frag = lxml.html.fragment_fromstring(markup, create_parent="div")
            except (ValueError, lxml.etree.ParserError):
                continue
            paras = []
            for el in frag.iter("p", "h2", "h3", "h4", "li", "blockquote"):
                if any(_FIGURE_CLASS.search(a.get("class") or "") for a in [el, *el.iterancestors()]):
                    continue
                text = clean_line(el.text_content())
                if text:
                    paras.append(text)
            text = "\n\n".join(paras)
            if len(text) > len(best):
                best = text
    return best


def _without_boilerplate(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The tree without the blocks beside the story (xpaths.BOILERPLATE_CLASS_RE/_TAGS) and without teaser
    cards; tails stay."""
    doomed: list[Any] = []
    # the class pattern is tried once per distinct class value: a page repeats a few hundred values on
    # thousands of elements (1.3 instead of 2.3 ms per real page)
    verdicts: dict[str, bool] = {}
    for el in tree.iter():
        value = el.get("class")
        if value:
            hit = verdicts.get(value)
            if hit is None:
                hit = verdicts[value] = X.BOILERPLATE_CLASS_RE.search(value) is not None
            if hit:
                doomed.append(el)
                continue
        if el.tag in X.BOILERPLATE_TAGS:
            doomed.append(el)
    # teaser cards: a link wrapped around paragraphs or headings (another story's summary)
    doomed += _xpath("//a[.//p or .//h2 or .//h3 or .//h4]")(tree)
    for node in doomed:
        if node.getparent() is not None and node.tag not in ("html", "body"):
            node.drop_tree()
    # ruby annotations (furigana) flow inline as the page prints them without ruby support:
    # base（reading）, instead of breaking the sentence into lines
    for node in list(tree.iter("ruby", "rb", "rt", "rp", "rtc")):
        node.drop_tag()
    return tree


_PART_TAGS = ("p", "h2", "h3", "h4", "blockquote")


def _split_parts(tree: lxml.html.HtmlElement) -> list[list[list[str]]]:
    """Article text split over containers of one kind with ads, paywall markers or teasers between them:
    containers that hold 300+ characters of paragraphs of their own and sit at the same place in wrappers
    of the same kind (same tag and first class name, up to 6 levels up, below one common ancestor). Per
    such run, each container's own paragraph texts, in document order. Read before the body extraction
    prunes the tree."""
    own: dict[Any, int] = {}
    for para in tree.iter("p"):
        parent = para.getparent()
        if parent is not None and parent.tag in ("div", "section", "article") and parent.get("class"):
            own[parent] = own.get(parent, 0) + len(para.text_content())
    containers = [c for c, n in own.items() if n >= 300]
    if len(containers) < 2:
        return []
    runs: dict[tuple[Any, ...], list[Any]] = {}
    for c in containers:
        sig: list[str] = []
        node = c
        for _ in range(6):
            parent = node.getparent()
            if parent is None:
                break
            sig.append(f"{node.tag}.{(node.get('class') or '').split()[:1]}")
            runs.setdefault((parent, *sig), []).append(c)  # the ancestor in the key keeps its proxy alive
            node = parent
    parts: list[list[list[str]]] = []
    taken: set[Any] = set()
    for key in sorted(runs, key=len):  # the closest common ancestor first
        members = [m for m in runs[key] if m not in taken]
        if len(members) >= 2:
            taken.update(members)
            parts.append([[t for t in (clean_line(ch.text_content()) for ch in m if ch.tag in _PART_TAGS) if t]
                          for m in members])
    return parts


def _join_parts(text: str, parts: list[list[list[str]]]) -> str:
    """The extracted text with the containers of a split article it left out put back in their place:
    when it holds most of one container's paragraphs, the others of the run follow (or precede) it."""
    ours = _body_paragraphs(text)
    joined = False
    for members in parts:
        where = {_title_key(t): i for i, t in enumerate(ours)}
        found = [[where[k] for k in (_title_key(t) for t in m) if k in where] for m in members]
        # a container too short to count (no paragraphs here) is neither held nor missing
        held = [bool(f) and len(f) >= 0.5 * len(m) for m, f in zip(members, found, strict=True)]
        if not any(held) or all(h or not m for m, h in zip(members, held, strict=True)):
            continue
        first_held = min(found[held.index(True)])
        inserts: dict[int, list[str]] = {}  # index in ours -> paragraphs to put before it
        last = None
        for m, f, h in zip(members, found, held, strict=True):
            if h:
                last = max(f)
            else:
                at = last + 1 if last is not None else first_held
                inserts.setdefault(at, []).extend(t for t in m if _title_key(t) not in where)
        merged: list[str] = []
        for i in range(len(ours) + 1):
            merged += inserts.get(i, [])
            merged += ours[i:i + 1]
        ours, joined = merged, True
    return "\n".join(ours) if joined else text


@functools.lru_cache(maxsize=4)
def _trafilatura_base_options(precision: bool, fast: bool) -> Any:
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", fast=fast, precision=precision, comments=False, formatting=False,
                     tables=True, dedup=False, with_metadata=False)


def _trafilatura_options(precision: bool, fast: bool, url: str) -> Any:
    """trafilatura's options for one page: built once per mode (building them reads its config file
    settings each time, ~6% of a small page's extraction), copied with the page's URL."""
    options = copy.copy(_trafilatura_base_options(precision, fast))
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")  # only for its log lines, as it does itself
    return options


def _generic_body(tree: lxml.html.HtmlElement, url: str, html: str) -> tuple[str, int, dict[str, Any]]:
    """(text, its word count, trafilatura's document) of the generic body extraction."""
    import trafilatura

    def run(precision: bool, source: Any, fast: bool = False) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(source, options=_trafilatura_options(precision, fast, url))
        if not doc:
            return {}
        return doc if isinstance(doc, dict) else doc.as_dict()

    tree = _without_boilerplate(tree)
    parts = _split_parts(tree)
    # trafilatura's own extractor alone (fast mode: no readability/jusText comparison) is as good on
    # articles it finds whole and twice as quick; the comparison runs, on a fresh tree, only when it
    # came out short
    doc = run(True, tree, fast=True)
    words = word_count(doc.get("text"))
    if words < 100:
        doc = run(True, _without_boilerplate(parse_html(html)))
        words = word_count(doc.get("text"))
    if words < 100:
        # precision mode kept almost nothing: on some layouts it discards the article itself; the
        # balanced mode's text wins when it is several times longer
        balanced = run(False, _without_boilerplate(parse_html(html)))  # a fresh tree: the first pass pruned this one
        balanced_words = word_count(balanced.get("text"))
        if balanced_words >= 3 * max(words, 10):
            doc, words = balanced, balanced_words
    text = doc.get("text") or ""
    if parts:
        joined = _join_parts(text, parts)
        if joined != text:
            text, words = joined, word_count(joined)
    return text, words, doc


# ---------------------------------------------------------------- dates
def _date_candidates(
    rules: SiteRules,
    tree: lxml.html.HtmlElement,
    ld: dict[str, Any] | None,
    meta: dict[str, list[str]],
) -> Iterator[tuple[str, Any]]:
    sel = rules.selectors.get("date")
    if sel:
        for node in _select(tree, sel):
            if isinstance(node, lxml.html.HtmlElement) and node.get("datetime"):
                yield SELECTOR, node.get("datetime")
            else:
                yield SELECTOR, _node_text(node)
    if ld:
        yield STRUCTURED, _ld_text(ld.get("datePublished")) or _ld_text(ld.get("dateCreated"))
    yield META, _first_meta(meta, X.META_PUBLISHED)
    for xp in X.DATE_XPATHS:
        for node in _xpath(xp)(tree)[:2]:
            yield GENERIC, _node_text(node)


def _resolve_date(candidates: Iterable[tuple[str, Any]], tz: str | None, now: dt.datetime
                  ) -> tuple[DateResult | None, str | None, str | None]:
    best: DateResult | None = None
    best_src = best_raw = None
    for src, raw in candidates:
        if not raw:
            continue
        res = parse_date(raw, tz=tz, now=now)
        if res.value is None:
            continue
        if best is None:
            best, best_src, best_raw = res, src, str(raw)
            if not res.date_only:
                return best, best_src, best_raw
        elif not res.date_only and res.value.date() == best.value.date():  # type: ignore[union-attr]
            return res, src, str(raw)
    return best, best_src, best_raw


def _printed_offset(value: dt.datetime, candidates: Iterable[tuple[str, Any]], now: dt.datetime
                    ) -> dt.timedelta | None:
    """The UTC offset of a time printed without one (``value``, read as UTC), when the page prints the same
    wall-clock time with its offset elsewhere: NTV's JSON-LD says "2023-04-28 18:11:01.0" and its
    <meta name="date"> "2023-04-28T18:11:01+02:00"."""
    wall = value.replace(tzinfo=None, second=0, microsecond=0)
    for _src, raw in candidates:
        res = parse_date(raw, now=now) if raw else None
        if res is not None and res.value is not None and res.offset is not None and \
                (res.value + res.offset).replace(tzinfo=None, second=0, microsecond=0) == wall:
            return res.offset
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|-)")


# ---------------------------------------------------------------- main
# Longer than this, a field is not what it claims to be: a title over 400 characters is a paragraph (the
# <h1> rule too), a section name over 100 a sentence or a keyword list (the next layer is asked); a
# description over 2,000 characters is cut, an image URL over urls.MAX_URL_CHARS (2,048) dropped.
MAX_TITLE_CHARS = 400
MAX_SECTION_CHARS = 100
MAX_LEAD_CHARS = 2000
# A page crediting more people than this lists a CMS's whole staff (or is hostile), not a story's
# reporters; the first ones are kept and the article says so in its warnings. The raw byline is kept for
# reading, not for searching: a longer one is cut.
MAX_CREDITS = 50
MAX_BYLINE_CHARS = 1000

def extract_article(
    html: str,
    url: str,
    rules: SiteRules = NO_RULES,
    fetched_at: dt.datetime | None = None,
    run_id: str | None = None,
    section_hint: str | None = None,
    listed_date: str | None = None,
) -> Article:
    """Extract an :class:`Article` from a page's HTML. Raises ExtractionError only for non-pages."""
    now = fetched_at or dt.datetime.now(dt.UTC)
    tree = parse_html(html)
    prov: dict[str, str] = {}
    warnings: list[str] = []
    meta = _meta(tree)
    ld = _article_object(_jsonld_objects(tree))
    sels = rules.selectors

    # canonical URL and id
    canonical_href = next(iter(_xpath('//link[@rel="canonical"]/@href')(tree)), None) or _first_meta(meta, ["og:url"])
    canonical = resolve_canonical(url, canonical_href) or url
    art = Article(url=url, canonical_url=canonical, id=article_id(canonical), source_id=rules.id,
                  source_name=rules.name, fetched_at=now.astimezone(dt.UTC).isoformat(),
                  run_id=run_id)

    # title
    site_names = [s for s in [rules.name, _first_meta(meta, X.META_SITE_NAME)] if s]
    if ld and isinstance(ld.get("publisher"), dict):
        pub_name = _ld_text(ld["publisher"].get("name"))
        if pub_name:
            site_names.append(pub_name)
    title = None
    title_variants: list[str] = []  # every title the page gives, to drop a repeated headline from the body
    if sels.get("title"):
        title = next((t for t in map(_node_text, _select(tree, sels["title"])) if t), None)
        prov["title"] = SELECTOR
    if title:
        title = _strip_site_suffix(clean_line(title), site_names)
    else:
        h1 = next((h for h in (clean_line(e.text_content()) for e in tree.iter("h1") if not _in_breadcrumb(e))
                   if 3 <= len(h) <= MAX_TITLE_CHARS), None)
        ld_title = _ld_text(ld.get("headline") or ld.get("name")) if ld else None
        w = X.TITLE_WEIGHTS
        title_sources = [(GENERIC, w["h1"], h1), (STRUCTURED, w["headline"], ld_title),
                         (META, w["og:title"], _first_meta(meta, ["og:title"])),
                         (META, w["twitter:title"], _first_meta(meta, ["twitter:title"])),
                         (GENERIC, w["title"], clean_line(tree.findtext(".//title") or "")),
                         (META, w["meta_title"], _first_meta(meta, X.META_TITLE))]
        voters = [(layer, weight, _strip_site_suffix(clean_line(text), site_names))
                  for layer, weight, text in title_sources if text and 0 < len(clean_line(text)) <= MAX_TITLE_CHARS]
        title_variants = [text for _, _, text in voters]
        voted = _vote_title(voters)
        if voted:
            prov["title"], title = voted
    art.title = title or None

    # lead
    lead = None
    if sels.get("lead"):
        lead = next((t for t in map(_node_text, _select(tree, sels["lead"])) if t), None)
    descriptions = [clean_line(d) for d in [_ld_text(ld.get("description")) if ld else None,
                                            *_all_meta(meta, X.META_DESCRIPTION)] if d]
    standfirst = None if sels.get("lead") else _standfirst(tree, descriptions)
    lead = lead or standfirst or next(iter(descriptions), None)
    art.lead = _cut(clean_line(lead), MAX_LEAD_CHARS) or None

    # authors: collected before the body extraction, which mutates the tree
    persons: list[str] = []
    orgs: list[str] = []
    byline_raw = None
    if sels.get("byline"):
        texts = [t for t in map(_node_text, _select(tree, sels["byline"])) if t]
        if texts:
            byline_raw = " | ".join(dict.fromkeys(texts))
            parsed = normalize_byline("; ".join(dict.fromkeys(texts)))
            persons, orgs = parsed["authors"], parsed["organizations"]
            prov["authors"] = SELECTOR
    if sels.get("byline") and not persons:
        warnings.append("selector matched nothing: byline")
    site_keys = _site_keys(site_names, url, meta)
    outlet_only: tuple[int, str] | None = None
    if not persons and ld and ld.get("author"):
        p, o = _ld_people(ld.get("author"))
        # the outlet named as a Person ("Krautreporter"): the layers below may name the reporter; if they
        # name none, the structured data's credit of the outlet stands alone, as it outranks theirs
        credited = ", ".join(p + o)
        p, outlets = _split_site(p, site_keys)
        orgs += o + outlets
        outlet_only = (len(orgs), byline_raw or credited) if outlets and not p else None
        if p:
            persons, prov["authors"] = p, STRUCTURED
            byline_raw = byline_raw or credited
            shown = _sibling_bylines(tree, p)  # structured data naming one of two bylines shown side by side
            if len(shown) > len(p) and {_name_key(x) for x in p} <= {_name_key(x) for x in shown}:
                persons = shown
    if not persons:
        # every author meta value counts: pages list the outlet ("한국일보") next to the reporter
        for value in _all_meta(meta, X.META_AUTHOR):
            if value.startswith(("http://", "https://", "@")):
                continue
            if value == value.lower() and _SLUG.fullmatch(value):  # "emma-mackenzie": a profile URL's slug
                value = value.replace("-", " ")
            parsed = normalize_byline(value)
            names, outlets = _split_site(parsed["authors"], site_keys)
            orgs += parsed["organizations"] + outlets
            if names:
                persons, prov["authors"] = _merged_names(persons, names), META
                byline_raw = byline_raw or value
    if not persons:
        for xp in X.BYLINE_XPATHS:
            nodes = [n for n in _xpath(xp)(tree)[:4] if not _links_cms_account(n)]
            texts = [t for t in (_visible_text(n) for n in nodes)
                     if t and len(t) < 200 and not (xp == "//address" and re.search(r"\d", t))]
            if not texts:
                continue
            parsed = normalize_byline("; ".join(dict.fromkeys(texts)))
            orgs += parsed["organizations"]
            if parsed["authors"]:
                persons, prov["authors"], byline_raw = parsed["authors"], GENERIC, byline_raw or texts[0]
                break

    # dates (before the body: htmldate wants the untouched tree)
    visible = _visible_credit_lines(tree)
    if not persons:
        for line in visible:
            parsed = normalize_byline(line)
            orgs += parsed["organizations"]
            if parsed["authors"]:
                persons, prov["authors"], byline_raw = parsed["authors"], GENERIC, byline_raw or line
                break
    if outlet_only and not _split_site(persons, site_keys)[0]:  # "By Euronews with Agencies" names no one either
        persons = []
        del orgs[outlet_only[0]:]
        byline_raw, prov["authors"] = outlet_only[1], STRUCTURED

    def candidates() -> Iterator[tuple[str, Any]]:
        yield from _date_candidates(rules, tree, ld, meta)
        if listed_date:
            yield "feed", listed_date
        for value in itertools.islice(_labelled_dates(tree), 2):
            yield GENERIC, value
        found = _htmldate(tree, url)
        if found:
            yield GENERIC, found
        for line in visible:
            for part in re.split(r"\s[·•|]\s|\s[-–—]\s", line):
                yield GENERIC, part
        m = _URL_DATE.search(url)
        if m:
            yield URL, "-".join(m.groups())

    published, src, raw = _resolve_date(candidates(), rules.timezone, now)
    offset = None  # the page's UTC offset, for its times printed without one
    if published is not None and published.value is not None and not published.date_only \
            and published.offset is None and not rules.timezone:
        offset = _printed_offset(published.value, _date_candidates(rules, tree, ld, meta), now)
        if offset is not None:
            published = published._replace(value=published.value - offset, offset=offset)
    if published is not None and published.value is not None:
        art.published_at, art.published_at_raw, prov["published_at"] = published.iso(), raw, src or GENERIC
    modified_raw = (_ld_text(ld.get("dateModified")) if ld else None) or _first_meta(meta, X.META_MODIFIED)
    if modified_raw:
        upd = parse_date(modified_raw, tz=rules.timezone, now=now)
        if offset is not None and upd.value is not None and upd.offset is None and not upd.date_only:
            upd = upd._replace(value=upd.value - offset, offset=offset)
        kept = not_before(upd.value, published.value if published else None)
        art.updated_at = kept.isoformat() if kept else None
        if upd.value is not None and kept is None:
            warnings.append("updated_at before published_at: dropped")

    # section, tags, image, language hints
    section_candidates: list[tuple[str, Any]] = []
    if sels.get("section"):
        section_candidates += [(SELECTOR, t) for t in map(_node_text, _select(tree, sels["section"]))]
    if ld:
        section_candidates.append((STRUCTURED, _ld_text(ld.get("articleSection"))))
    section_candidates += [(META, _first_meta(meta, X.META_SECTION)), (GENERIC, section_hint)]
    # the first layer's name; one over MAX_SECTION_CHARS is a sentence or a keyword list, not a section
    art.section = None
    for layer, value in section_candidates:
        name = clean_line(value)
        if name and len(name) <= MAX_SECTION_CHARS:
            art.section, prov["section"] = name, layer
            break
    tags: list[str] = []
    for value in _all_meta(meta, X.META_TAGS):
        tags += [clean_line(t) for t in value.split(",")]
    if ld and ld.get("keywords"):
        kw = ld["keywords"]
        tags += [clean_line(t) for t in (kw if isinstance(kw, list) else kw.split(",") if isinstance(kw, str) else [])
                 if isinstance(t, str)]
    art.tags = list(dict.fromkeys(t for t in tags if t and len(t) < 80))[:30]
    image = _first_meta(meta, X.META_IMAGE)
    if not image and ld:
        img = ld.get("image")
        image = _ld_text(img.get("url") if isinstance(img, dict) else img)
    art.image_url = _http_url(url, image)
    html_lang = tree.get("lang") or _first_meta(meta, X.META_LANGUAGE) or (
        _ld_text(ld.get("inLanguage")) if ld else None)

    # site body selector
    body = ""
    if sels.get("body"):
        nodes = _select(tree, sels["body"])
        body = "\n\n".join(t for t in (_node_block_text(n) for n in nodes) if t)
        if body:
            prov["body"] = SELECTOR
    generic_doc: dict[str, Any] = {}
    if not body:
        body, words, generic_doc = _generic_body(tree, url, html)
        prov["body"] = GENERIC
        ld_body = clean_text(ld.get("articleBody")) if ld and isinstance(ld.get("articleBody"), str) else ""
        ld_words = word_count(ld_body)
        if ld_words >= 30 and words < 0.5 * ld_words:
            body, prov["body"], words = ld_body, STRUCTURED, ld_words
        if words < 50:  # script-rendered page: the article HTML may sit in a JS/JSON string
            scripted = _script_html_body(tree)
            if word_count(scripted) >= max(50, 2 * words):
                body, prov["body"] = scripted, GENERIC
    paragraphs, credit_line = _strip_chrome(_body_paragraphs(body), [art.title or "", *title_variants])
    lead_credit = _lead_credit(tree, paragraphs)
    if lead_credit is not None:
        i, parsed = lead_credit
        if not persons or (prov.get("authors") == GENERIC and persons != parsed["authors"]):
            # the body's own opening credit outranks a guess from page chrome, not structured data
            persons, prov["authors"], byline_raw = parsed["authors"], GENERIC, paragraphs[i]
        if set(parsed["authors"]) <= set(persons):
            del paragraphs[i]
    if standfirst and prov["body"] == GENERIC and paragraphs and \
            _title_key(standfirst)[:80] not in _title_key(" ".join(paragraphs[:3])):
        paragraphs.insert(0, standfirst)  # the standfirst the reader sees above the article text
    art.body = "\n\n".join(paragraphs) or None
    if credit_line:
        parsed = normalize_byline(credit_line)
        if not persons and parsed["authors"]:
            persons, prov["authors"] = parsed["authors"], GENERIC
        orgs += parsed["organizations"]
        byline_raw = byline_raw or credit_line
    if not persons and generic_doc.get("author"):
        parsed = normalize_byline(generic_doc["author"])
        if parsed["authors"]:
            persons, prov["authors"] = parsed["authors"], GENERIC
            byline_raw = byline_raw or generic_doc["author"]
    persons, outlets = _split_site(persons, site_keys)
    orgs += outlets  # the outlet credited as an author
    if persons:  # next to named reporters, the outlet's own name says nothing the `source` field does not
        orgs = [o for o in orgs if not _is_site(o, site_keys)]
    # one credit per name in any spelling: structured data may list a reporter twice ("Jane Doe", "JANE DOE")
    persons, orgs = _merged_names([], persons), _merged_names([], orgs)
    if len(persons) > MAX_CREDITS or len(orgs) > MAX_CREDITS:
        warnings.append(f"{len(persons)} authors and {len(orgs)} organizations credited: "
                        f"the first {MAX_CREDITS} of each kept")
    art.authors, art.organizations = persons[:MAX_CREDITS], orgs[:MAX_CREDITS]
    byline_raw = clean_line(byline_raw)
    art.byline_raw = (byline_raw if len(byline_raw) <= MAX_BYLINE_CHARS
                      else byline_raw[:MAX_BYLINE_CHARS - 1] + "…") or None

    art.language = detect_language(f"{art.title or ''}\n{art.body or ''}", html_lang or rules.language)
    if art.language:
        prov["language"] = GENERIC
    art.word_count, art.content_hash, art.simhash = body_fingerprints(art.body)
    art.provenance = prov
    art.warnings = warnings
    return art


def _name_key(name: str | None) -> str:
    return re.sub(r"\W+", "", (name or "").casefold())


_SLUG = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _http_url(page_url: str, value: str | None) -> str | None:
    """``value`` resolved against the page's URL when that gives an http(s) URL of sensible length;
    None for javascript:/data: URIs and junk."""
    if not value:
        return None
    try:
        absolute = urljoin(page_url, value.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in ("http", "https") and len(absolute) <= MAX_URL_CHARS else None


def _merged_names(names: list[str], more: list[str]) -> list[str]:
    """``names`` and then those of ``more`` not already there in another spelling: "Emma-Mackenzie" (a
    parsely-author slug) is the "Emma Mackenzie" of <meta name=author>."""
    out, keys = list(names), {_name_key(n) for n in names}
    for name in more:
        key = _name_key(name)
        if key not in keys:
            keys.add(key)
            out.append(name)
    return out


_GENERIC_HOST_LABELS = {"news", "edition", "amp", "mobile", "web", "en", "de", "fr", "es", "it", "english", "world",
                        "international", "article", "articles", "story", "beta", "www2"}


def _site_keys(site_names: list[str], url: str, meta: dict[str, list[str]]) -> set[str]:
    """Name keys of the outlet: its configured and declared names, copyright holder, and host label."""
    names = list(site_names) + _all_meta(meta, ["application-name", "copyright", "dc.publisher", "publisher"])
    keys = {_name_key(re.sub(r"^[©\s]*(?:copyright\s*)?(?:\(c\)\s*)?(?:\d{4}\s*)?", "", n, flags=re.I))
            for n in names}
    label = registered_host(url).split(".")[0]
    if label not in _GENERIC_HOST_LABELS:
        keys.add(_name_key(label))
    return {k for k in keys if len(k) >= 3}


def _is_site(name: str, site_keys: set[str]) -> bool:
    """True when ``name`` is the outlet itself ("STERN.de" on stern.de, "n-tv NACHRICHTEN" on n-tv.de)."""
    key = _name_key(name)
    return bool(key) and any(key == k or key.startswith(k) or (len(key) >= 4 and k.startswith(key))
                             for k in site_keys)


def _split_site(names: list[str], site_keys: set[str]) -> tuple[list[str], list[str]]:
    """(names that are people, names that are the outlet itself)."""
    people: list[str] = []
    outlets: list[str] = []
    for name in names:
        (outlets if _is_site(name, site_keys) else people).append(name)
    return people, outlets


def _lead_credit(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> tuple[int, Any] | None:
    """An opening body paragraph that is only a bold name ("<p><strong>Mohloai Mpesi</strong></p>"),
    right before the first full paragraph: the article's byline as many regional papers print it.
    Returns (paragraph index, parsed byline) or None."""
    opening = {p for p in paragraphs[:4] if len(p) <= 80}
    bold: set[str] = set()
    for el in _xpath("//p[strong or b]")(tree):
        text = clean_line(el.text_content())
        if text not in opening:  # only the body's first paragraphs can be its opening credit
            continue
        if text == clean_line(" ".join(b.text_content() for b in el if b.tag in ("strong", "b"))):
            bold.add(text)
    if not bold:
        return None
    for i, p in enumerate(paragraphs[:4]):
        if p not in bold:
            continue
        if i + 1 >= len(paragraphs) or len(paragraphs[i + 1].split()) < 15:
            return None
        parsed = normalize_byline(p)
        names = parsed["authors"]
        if names and not parsed["organizations"] and all(
                2 <= len(n.split()) <= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in n.split())
                for n in names):
            return i, parsed
        return None
    return None


def _htmldate(tree: lxml.html.HtmlElement, url: str) -> str | None:
    try:
        from htmldate import find_date

        found = find_date(tree, url=url, original_date=True, extensive_search=True,
                          outputformat="%Y-%m-%dT%H:%M:%S")
    except Exception:  # noqa: BLE001 - a generic layer's failure only means "no value"
        return None
    if not found:
        return None
    return found[:10] if found.endswith("T00:00:00") else found


_CREDIT_WORDS = ("by", "von", "par", "por", "door", "di", "written by", "text", "author", "authors", "autor", "autorin",
                 "autoren", "autorin/autor", "auteur", "auteurs", "autore", "autori")
_CREDIT_START = re.compile(r"^\s*(?:" + "|".join(map(re.escape, _CREDIT_WORDS)) + r")\s*:?\s+\S", re.I)
# a text node that can open a credit line: a credit word followed by a space, a colon or the node's end, or
# the first letters of one (the word goes on in the next node). Possessive \s*+: an indentation-only node
# fails at once instead of backtracking through its whitespace.
_CREDIT_CHUNK = re.compile(
    r"\s*+(?:(?:" + "|".join(map(re.escape, _CREDIT_WORDS)) + r")(?:[\s:]|$)|(?:"
    + "|".join(sorted({re.escape(w[:i]) for w in _CREDIT_WORDS for i in range(1, len(w))}, key=len, reverse=True))
    + r")\s*$)", re.I)
_CREDIT_TAGS = frozenset({"p", "div", "span", "address", "li", "small", "em", "strong"})
_DATE_FIELD_TAGS = frozenset({"p", "div", "span", "li", "small", "time", "dd", "td"})
_TEXT_NODES = lxml.etree.XPath("//text()")
_CREDIT_CONTAINER = re.compile(r"author|byline|autor|auteur|writer|credit", re.I)
# blocks listing other stories: a credit inside one ("Von Christoph Reisinger" under a most-read teaser) is
# that story's byline, not this article's
_OTHER_STORIES = re.compile(r"related|recommend|most-?read|most-?popular|more-?stories", re.I)


def _text_start(el: Any, chars: int = 40) -> str:
    """The opening of an element's text: whole chunks until ``chars`` non-space characters (or all of it).
    An anchored pattern that needs fewer non-space characters than that matches it as it would the
    whole text."""
    parts: list[str] = []
    seen = 0
    for chunk in el.itertext():
        parts.append(chunk)
        seen += sum(map(len, chunk.split()))
        if seen >= chars:
            break
    return "".join(parts)


def _blocks_opening_with(tree: lxml.html.HtmlElement, opening: re.Pattern[str], tags: frozenset[str]
                         ) -> Iterator[lxml.html.HtmlElement]:
    """The elements of ``tags`` whose text opens with a text node that ``opening`` matches, in document order.

    An element's text opens with its first non-blank text node, so only the few text nodes that match are
    looked at, each with the elements it opens: its own and the ancestors it is also the first text of
    (outermost first, as in document order). Testing every block of a large page instead costs several
    milliseconds."""
    done: set[Any] = set()
    for chunk in _TEXT_NODES(tree):
        if not opening.match(chunk):
            continue
        el = chunk.getparent()
        if el is not None and chunk.is_tail:
            el = el.getparent()
        opened = []
        while el is not None and next((c for c in el.itertext() if c.strip()), None) == chunk:
            opened.append(el)
            el = el.getparent()
        for el in reversed(opened):
            if el not in done and el.tag in tags:
                done.add(el)
                yield el


def _labelled_dates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """The values of short visible date fields labelled as the publication date ("Datum 28.04.2023",
    "Published: 29 July 2021"), in document order."""
    for el in _blocks_opening_with(tree, X.DATE_LABEL_START, _DATE_FIELD_TAGS):
        text = " ".join(el.text_content().split())
        m = X.LABELLED_DATE_RE.match(text) if len(text) <= 80 else None
        if m:
            yield m.group("value")


def _visible_credit_lines(tree: lxml.html.HtmlElement, limit: int = 3) -> list[str]:
    """Short visible blocks that start like a byline ("By X · July 29, 2021", "Autorin/Autor X").

    Lines inside an element (or near ancestor) whose class names an author or byline come first,
    then the others in document order, so a teaser "Von Iron Man zu Doctor Doom" does not outrank
    the article's own "Von Seb Dumitru". Lines inside a block of other stories (related, most read,
    recommended) are their bylines and do not count.
    """
    found: list[tuple[int, int, str]] = []
    for order, el in enumerate(_blocks_opening_with(tree, _CREDIT_CHUNK, _CREDIT_TAGS)):
        # decided on the opening words, without the whole text of a container; a match there is a match of
        # the whole text too (the pattern is anchored, and collapsing whitespace keeps it matching)
        if not _CREDIT_START.match(_text_start(el)):
            continue
        text = el.text_content()
        if len(text) > 200 and len(text := " ".join(text.split())) > 200:  # indentation does not count
            continue
        line = clean_line(text)  # screen-reader labels count: "Author of the article:" marks a credit
        if not line or any(line == f[2] for f in found):
            continue
        chain_names = [(a.get("class") or "") + " " + (a.get("id") or "") for a in [el, *el.iterancestors()]]
        if _OTHER_STORIES.search(" ".join(chain_names)):
            continue
        classes = " ".join(chain_names[:4])
        found.append((0 if _CREDIT_CONTAINER.search(classes) else 1, order, line))
        if len(found) >= 12:
            break
    return [line for _, _, line in sorted(found)[:limit]]
