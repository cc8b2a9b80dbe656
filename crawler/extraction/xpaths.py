"""Selectors and patterns kept as data (like trafilatura's xpaths.py): the generic layer's knowledge."""

from __future__ import annotations

import re

# <meta> names/properties per field, in order of preference.
META_AUTHOR = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
    "byl", "citation_author", "og:article:author", "twitter:creator", "cxenseparse:author", "articleauthor",
)
META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date", "pubdate", "publishdate",
    "publish-date", "article.published", "article_date_original", "og:published_time",
    "datepublished", "cxenseparse:recs:publishtime", "citation_publication_date", "displaydate",
)
META_MODIFIED = ("article:modified_time", "og:updated_time", "dcterms.modified", "last-modified",
                 "datemodified", "og:article:modified_time")
META_SECTION = ("article:section", "og:article:section", "parsely-section", "sailthru.section", "section")
META_TAGS = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")
META_DESCRIPTION = ("og:description", "description", "twitter:description")
META_IMAGE = ("og:image", "twitter:image", "og:image:url")
META_SITE_NAME = ("og:site_name", "application-name", "publisher")
META_LANGUAGE = ("og:locale", "content-language", "language", "dc.language")

STRUCTURED_ARTICLE_TYPES = {
    "newsarticle", "reportagenewsarticle", "article", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "socialmediaposting", "liveblogposting",
    "techarticle", "scholarlyarticle", "report", "webpage",
}

# Visible bylines: the generic layer looks here when structured data and meta tags say nothing.
# Written on the attribute axis ("//@class[...]/..", the elements whose class attribute ...) rather than as
# "//*[contains(@class, ...)]": the same elements in the same order, but libxml2 then tests only the
# attributes that exist instead of every element of the page, 3x faster (on the 308 data-set pages the
# byline and date expressions below take 3.2 ms per page instead of 9.7 ms).
BYLINE_XPATHS = (
    '//@rel[. = "author"]/..',
    '//@itemprop[. = "author"]/..//@itemprop[. = "name"]/..',
    '//@itemprop[. = "author"]/..',
    '//@class[contains(concat(" ", normalize-space(.), " "), " byline ")]/..',
    '//@class[contains(., "byline__name") or contains(., "author-name") or contains(., "author__name")'
    ' or contains(., "authorName") or contains(., "article-author") or contains(., "byline-name")]/..',
    '//@class[contains(., "byline")]/.. | //@id[contains(., "byline")]/..',
    '//@class[. = "author" or contains(., " author") or starts-with(., "author ")]/..',
    '//address',
)
DATE_XPATHS = (
    "//time/@datetime",
    '//@itemprop[. = "datePublished"]/../@content',
    '//@itemprop[. = "datePublished"]/../@datetime',
    '//@itemprop[. = "datePublished"]/..',
)

# Blocks beside the story that the generic body extraction never sees: fact boxes and info boxes,
# picture captions, newsletter sign-up boxes, by class name (and <figcaption>). (Measured on the two data
# sets: of about 700 such blocks with text, 14 are part of an annotated body, all of them captions.)
BOILERPLATE_CLASS_RE = re.compile(r"fact-?box|info-?box|caption|newsletter", re.I)
BOILERPLATE_TAGS = frozenset({"figcaption"})

# Whole lines of page chrome that must never be part of a body: audio players, share bars,
# subscription and "read more" prompts. Matched against a whole paragraph, case-insensitively.
CHROME_LINES = [
    r"listen to (this|the) (article|story)( now)?",
    r"getting your (trinity )?audio player ready\W*",
    r"(powered by )?trinity audio",
    r"spread the love",
    r"(share|share this|share this (article|story|post)|share on \w+|tweet|email|print|whatsapp|"
    r"facebook|twitter|linkedin|reddit|pinterest|telegram)(\s*[|·•/]?\s*(facebook|twitter|x|linkedin|"
    r"email|whatsapp|reddit|pinterest|telegram|print|copy link))*\W*",
    r"(click|tap) (here )?to (share|subscribe|read more|listen)\b.*",
    r"(read|see) (more|also|next)\s*[:»>.…]*.{0,120}",
    r"related( articles| stories| content| news)?\s*:?.{0,80}",
    r"subscribe( now| to our newsletter| for .{0,60})?\W*",
    r"sign up (for|to) .{0,80}",
    r"(follow|like) us on .{0,80}",
    r"advertisement\W*|ad\W*|sponsored\W*|continue reading( below)?\W*|scroll to continue.*",
    r"(\d+ )?(min|minute)s? read\W*",
    r"\d{1,2}:\d{2}\s*min\.*(\s+verfügbar bis.{0,40})?",  # a media player's duration line
    r"(download|get) (our|the) app.{0,80}",
    r"copy(ing)? link( copied)?\W*|link copied\W*",
    r"(photo|photos|image|file photo|credit|foto|fotos|bild|фото|crédit photo|crédito|zdjęcie)\s*:\s*.{0,120}",
    # reading time, advertising labels, copyright notices, "found an error?" prompts, in several languages
    r"(lesedauer|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura|leestijd|lesetid|lästid|"
    r"czas czytania)\s*:?\s*(ca\.\s*)?\d+\s*\w*\.?",
    r"anzeige|werbung|publicité|passer la publicité|publicidad|pubblicità|reklama|annonse|annons|"
    r"advertentie|реклама|article content",
    r"[<(\[]?\s*(©|ⓒ|\(c\)|copyright\b).{0,160}",
    r".{0,80}\ball rights reserved\b.{0,80}",
    r"fehler gefunden\W*(jetzt melden\W*)?",
    r"you (may|might) also (like|be interested in)\W*.*",
    r"loading\W*|please wait\W*",
    r"comments?\s*\(?\d*\)?\W*",
    # "read also: <other story>" teasers in other languages
    r"(les også|læs også|läs också|lue myös|lees ook|lesen sie auch|lies auch|mehr zum thema|lire aussi|"
    r"à lire aussi|leggi anche|lea también|leia também|czytaj (więcej|też|także)|čtěte také|"
    r"okuyun|daha fazla oku)\s*[:»>.…-]?.{0,160}",
    # labels of teaser lists, and copy-link / log-in prompts
    r"(auch interessant|das könnte sie auch interessieren|weiterführende links|mehr themen|mehr dazu|"
    r"more on this( story)?|most read|meistgelesen|mest lest|mest läst)\s*[:»>.…-]?.{0,80}",
    r"(log in|sign in) or (create|register) an account.{0,80}|create an account to continue.{0,80}",
    r"기사 url이 복사되었습니다\W*",
    r"\W{1,3}",  # a lone dash or bullet left from a list of links
]
CHROME_RE = re.compile(r"^\s*(?:" + "|".join(CHROME_LINES) + r")\s*$", re.I)

# A date stamp on a line of its own at the top or bottom of the text ("Stand: 22.04.2024, 06:00 Uhr",
# "Uppdaterad 15.59 | Publicerad 14.14", "10.11.2025 17:59"), and a closing source credit ("Quelle: ntv.de").
_STAMP_LABEL = (r"(stand|aktualisiert|veröffentlicht|publiziert|erschienen|publicerad|uppdaterad|publisert|"
                r"oppdatert|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|"
                r"bijgewerkt|opublikowano|zaktualizowano|updated|published|posted)(\s+(am|le|el|il|on))?\s*:?\s*")
_STAMP_VALUE = (r"(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
                r"\d{1,2}[:.h]\d{2}(\s*(uhr|h|am|pm|utc|gmt|cet|cest|bst|et))?)")
_STAMP = rf"({_STAMP_LABEL})?{_STAMP_VALUE}"
DATESTAMP_RE = re.compile(rf"^\W*{_STAMP}([\s,|·•–—/-]+((um|at|à|kl\.?|klo|alle|a las|o)\s+)?{_STAMP})*\W*$", re.I)
SOURCE_CREDIT_RE = re.compile(
    r"^\s*\(?(quelle|quellen|kilde|kilder|källa|källor|source|sources|fuente|fuentes|fonte|fonti|bron|bronnen|"
    r"źródło|źródła|kaynak)\s*:\s*.{0,80}$", re.I)

_NAME = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]+){1,3}"

# A closing credit line inside the body: it becomes the byline and leaves the body.
BYLINE_LINE_RE = re.compile(
    r"^\s*(?:story|written|reported|words|text|report|article)\s+by\s*[:\-–—]?\s*(?P<name>.{2,120})$"
    r"|^\s*by\s*[:\-–—]?\s+(?P<name2>[A-Z][^\n.!?]{1,80})$"
    r"|^\s*(?:author|autor|auteur)\s*:\s*(?P<name3>.{2,120})$"
    # "Von Nina Magoley", "Par Jean Dupont et Marie Curie": other languages' "by", with nothing but
    # capitalized names after it (so "Von Berlin aus gesehen ..." is no byline)
    rf"|^\s*(?:von|par|por|door|av|af|przez)\s+(?P<name4>(?-i:{_NAME}(?:\s*(?:,|&|und|and|et|y|e|og|och|en)\s*{_NAME})*))\s*$",
    re.I,
)
# A byline-like paragraph with a date ("By X | Published ...") also leaves the body.
DATELINE_RE = re.compile(
    r"^\s*(published|updated|posted|last updated|first published)\b.{0,80}\d{4}.{0,40}$", re.I
)

# Votes of the page's title sources (see extract._vote_title): the visible h1, the JSON-LD headline,
# og:title, twitter:title, the <title> element. og:title is the title the publisher declares for the
# article; it wins unless the headline, the h1 and the <title> all agree on another one. (Measured on the
# DEV news pages: equal weights 101/127 titles, these 111/127: 14 pages gained, 4 lost.)
# The CMS's headline field in meta tags (<meta name="headline">, itemprop="headline", name="title",
# parsely/sailthru/Dublin Core titles: the first present) weighs as the JSON-LD headline, the same field
# (DEV: 111 -> 114/127 titles, no page lost; present on 32 pages).
TITLE_WEIGHTS = {"h1": 1.0, "headline": 1.5, "og:title": 3.0, "twitter:title": 0.5, "title": 0.5, "meta_title": 1.5}
META_TITLE = ("headline", "title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title")
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " * ")

# A visible date field labelled as the publication date ("Datum 28.04.2023", "Published: 29 July 2021",
# "Veröffentlicht am 3. Mai 2024"): a generic date layer before htmldate. Update labels ("Stand",
# "Updated") are not publication dates and are left out.
_PUBLISHED_LABEL = (r"(datum|date|published|publication date|date published|veröffentlicht|erschienen|publiziert|"
                    r"publié|publicado|pubblicato|gepubliceerd|opublikowano|publicerad|publisert)")
DATE_LABEL_START = re.compile(rf"\s*+{_PUBLISHED_LABEL}\b", re.I)
# the value: a number within its first three words ("28.04.2023", "Monday, November 18th, 2019"), not prose
LABELLED_DATE_RE = re.compile(rf"^{_PUBLISHED_LABEL}(\s+(am|on|le|el|em|il|op))?\s*:?\s+"
                              r"(?P<value>(?=(?:[^\W\d_]+\.?,?\s+){0,2}\d).{6,50})$", re.I)
