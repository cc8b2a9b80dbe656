"""The extraction rules one by one, each on a small page written for it (no server, pure function)."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import extract_article

PARAS = "".join(f"<p>Paragraph {i} of the story says what happened in the capital on Monday, and why it matters "
                f"to the people who live there and to their neighbours across the border.</p>" for i in range(8))


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _ld(headline: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}</script>'


@pytest.mark.parametrize(("head", "body", "title"), [
    # a site-name tail is trimmed
    ('<title>Mining blasts shatter homes - Lesotho Times</title>'
     '<meta property="og:title" content="Mining blasts shatter homes - Lesotho Times">',
     "<h1>Mining blasts shatter homes</h1>", "Mining blasts shatter homes"),
    # og:title wins over a kicker-prefixed h1 and headline
    ('<meta property="og:title" content="Trump plans a helipad">'
     + _ld("White House: Trump plans a helipad by the ballroom"),
     "<h1>White House: Trump plans a helipad by the ballroom</h1>", "Trump plans a helipad"),
    # the headline, the h1 and <title> together outvote og:title
    ('<title>Iran turns down second round of talks</title><meta property="og:title" content="The end of the talks?">'
     + _ld("Iran turns down second round of talks"),
     "<h1>Iran turns down second round of talks</h1>", "Iran turns down second round of talks"),
    # an h1 in a breadcrumb trail is not the headline
    ("<title>Storm hits the coast</title>",
     "<nav class='breadcrumb'><h1>News / World</h1></nav><h2>Storm hits the coast</h2>", "Storm hits the coast"),
    # the CMS's headline in a meta tag votes with the JSON-LD headline and <title> against og:title
    ('<meta property="og:title" content="Report: activist killed">'
     '<meta name="title" content="Protests of 2022: Report: activist killed">'
     '<title>Protests of 2022: Report: activist killed</title>' + _ld("Protests of 2022: Report: activist killed"),
     "", "Protests of 2022: Report: activist killed"),
    # ... and trims a section-and-site tail glued to og:title ("-Politics | Daily")
    ('<meta property="og:title" content="Party expels its former leader-Politics | Daily">'
     '<meta name="headline" content="Party expels its former leader">',
     "", "Party expels its former leader"),
    # a tail after " * ", and typographic quotes count as the same title
    ('<meta property="og:title" content="Kohberger\'s lawyers * The Daily Site * by Jane Roe">',
     "<h1>Kohberger’s lawyers</h1>", "Kohberger’s lawyers"),
])
def test_title_rules(head: str, body: str, title: str) -> None:
    html = page(head, f"<article>{body}{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").title == title


STANDFIRST = "The government has unveiled a plan to cut the cost of solar panels by half before the end of the decade."


def test_a_visible_standfirst_opens_the_body_and_is_the_lead() -> None:
    html = page(f'<meta name="description" content="{STANDFIRST}">',
                f"<article><h1>Solar plan</h1><div class='dek'><span>Seoul.</span> <span>{STANDFIRST}</span></div>"
                f"{PARAS}</article>")
    art = extract_article(html, "https://example.org/a")
    assert art.lead == f"Seoul. {STANDFIRST}"
    assert art.body is not None and art.body.startswith(f"Seoul. {STANDFIRST}\n\nParagraph 0")


def test_a_standfirst_with_both_kinds_of_quotes_is_found() -> None:
    dek = "The minister's \"last offer\" was turned down by the union on Monday, its leader said in the capital."
    html = page(f"<meta name='description' content='{dek.replace(chr(39), '&#39;')}'>",
                f"<article><h1>Strike goes on</h1><p class='dek'>{dek}</p>{PARAS}</article>")
    art = extract_article(html, "https://example.org/a")
    assert art.lead == dek and (art.body or "").startswith(dek)


@pytest.mark.parametrize("shown", [
    "",  # a description the page does not show
    f"<figure><img src='x.jpg'><figcaption>{STANDFIRST}</figcaption></figure>",  # shown as a caption
    f"<ul><li><a href='/b'>{STANDFIRST}</a></li></ul>",  # a teaser link
])
def test_a_description_not_shown_as_a_standfirst_stays_out_of_the_body(shown: str) -> None:
    html = page(f'<meta name="description" content="{STANDFIRST}">',
                f"<article><h1>Solar plan</h1>{shown}{PARAS}</article>")
    art = extract_article(html, "https://example.org/a")
    assert art.lead == STANDFIRST
    assert art.body is not None and STANDFIRST not in art.body


def test_the_printed_headline_is_dropped_from_the_top_of_the_body_when_og_title_is_the_title() -> None:
    html = page('<meta property="og:title" content="Your $1 bill could be worth thousands">',
                f"<div class='story'><p>Your $1 bill could be worth thousands - here is how to check</p>{PARAS}</div>"
                "<h1>Your $1 bill could be worth thousands - here is how to check</h1>")
    art = extract_article(html, "https://example.org/a")
    assert art.title == "Your $1 bill could be worth thousands"
    assert art.body is not None and art.body.startswith("Paragraph 0")


@pytest.mark.parametrize("block", [
    "<div class='article--fact-box'><h3>Facts about the flu</h3><ul><li>One in ten people catch it each "
    "winter across the country.</li></ul></div>",
    "<figure><img src='a.jpg'><figcaption>Firefighters at the scene on Monday evening in the city.</figcaption>"
    "</figure>",
    "<p class='imageCaption'>Firefighters at the scene on Monday evening in the city centre.</p>",
    "<div class='c-newsletter-signup'><p>Get the morning briefing in your inbox every day of the week.</p></div>",
])
def test_blocks_beside_the_story_stay_out_of_the_body(block: str) -> None:
    html = page("", f"<article><h1>Headline here</h1>{PARAS[:600]}{block}{PARAS[600:]}</article>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert "Paragraph 7" in body
    assert not any(w in body for w in ("Facts about", "Firefighters", "morning briefing"))


@pytest.mark.parametrize(("top", "bottom"), [
    ("Stand: 22.04.2024, 06:00 Uhr", "Quelle: ntv.de"),
    ("Uppdaterad 15.59 | Publicerad 14.14", "(Quelle: APA/sda/dpa)"),
    ("10.11.2025 17:59", "© dpa-infocom, dpa:230428-99-483045/5"),
    ("Lesedauer: 4 Minuten", "<Copyright ⓒ 한국일보. All rights reserved.>"),
    ("Passer la publicité", "Fehler gefunden? Jetzt melden."),
])
def test_date_stamps_and_source_credits_at_the_edges_leave_the_body(top: str, bottom: str) -> None:
    html = page("", f"<article><h1>Headline here</h1><p>{top}</p>{PARAS}<p>{bottom}</p></article>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert body.startswith("Paragraph 0") and body.endswith("across the border.")


@pytest.mark.parametrize("line", ["Auch interessant", "Most read:", "Log in or create an account to continue",
                                  "기사 URL이 복사되었습니다."])
def test_teaser_labels_and_account_prompts_leave_the_body(line: str) -> None:
    html = page("", f"<article><h1>Headline here</h1>{PARAS[:600]}<p>{line}</p>{PARAS[600:]}</article>")
    assert line not in (extract_article(html, "https://example.org/a").body or "")


def test_a_teaser_card_linking_another_story_stays_out_of_the_body() -> None:
    cards = "".join(
        f"<li><a href='/other-{i}'><div><p><font class='red'>RISK {i}:</font> An official said the talks could "
        f"fail again. The ministry said it was on alert as it detected a carrier group to the south, amid "
        f"concerns about a new round of war games, and said the group had entered nearby waters.</p></div></a></li>"
        for i in range(3))
    html = page("", f"<div class='article'><h1>Headline here</h1>{PARAS}<ul>{cards}</ul></div>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert "Paragraph 7" in body and "RISK" not in body


def test_a_date_stamp_below_removed_chrome_lines_still_counts_as_the_top() -> None:
    html = page("", f"<article><p>/</p><p>Share</p><h1>Headline here</h1><p>Police ask for tips</p>"
                    f"<p>Uppdaterad 15.59 | Publicerad 14.14</p>{PARAS}</article>")
    assert "Uppdaterad" not in (extract_article(html, "https://example.org/a").body or "")


def test_ruby_annotations_stay_inside_their_sentence() -> None:
    ruby = "<ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>"
    html = page("", f"<article><h1>Headline here</h1><p>【ソウル】韓国の{ruby}大統領は３日夜、緊急談話を出した。</p>"
                    f"{PARAS}</article>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert "【ソウル】韓国の尹錫悦（ユンソンニョル）大統領は３日夜、緊急談話を出した。" in body.split("\n\n")


@pytest.mark.parametrize(("line", "authors"), [
    ("Von Nina Magoley", ["Nina Magoley"]),
    ("Por Ana María López", ["Ana María López"]),
])
def test_a_byline_line_in_another_language_leaves_the_body_and_credits_it(line: str, authors: list[str]) -> None:
    html = page("", f"<article><h1>Headline here</h1><p>02:57 Min.. Verfügbar bis 06.05.2024.</p><p>{line}</p>"
                    f"{PARAS}</article>")
    art = extract_article(html, "https://example.org/a")
    assert art.authors == authors
    assert (art.body or "").startswith("Paragraph 0")


def test_a_sentence_opening_with_von_is_no_byline() -> None:
    html = page("", f"<article><h1>Headline here</h1><p>Von Berlin aus gesehen ist das klar</p>{PARAS}</article>")
    assert (extract_article(html, "https://example.org/a").body or "").startswith("Von Berlin aus")


@pytest.mark.parametrize(("text", "run", "joined"), [
    # a container of the run too short to count (no paragraphs listed) is neither kept nor missing
    ("One.\nTwo.", [[], ["One.", "Two."], ["Three."]], "One.\nTwo.\nThree."),
    ("Three.", [["One."], [], ["Three."]], "One.\nThree."),
    # nothing to join: the extracted text is returned as it was
    ("Other  text.", [["One."], ["Two."]], "Other  text."),
])
def test_split_containers_join_around_short_ones(text: str, run: list[list[str]], joined: str) -> None:
    from crawler.extraction.extract import _join_parts

    assert _join_parts(text, [run]) == joined


def test_a_date_in_a_sentence_stays() -> None:
    html = page("", f"<article><h1>Headline here</h1><p>The talks resumed on 22.04.2024 in Geneva, officials "
                    f"said on Monday.</p>{PARAS}</article>")
    assert (extract_article(html, "https://example.org/a").body or "").startswith("The talks resumed")


def test_bold_opening_name_paragraph_is_the_byline_and_leaves_the_body() -> None:
    html = page("", f"<article><h1>Headline here</h1><p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>"
                    f"{PARAS}</article>")
    art = extract_article(html, "https://example.org/a")
    assert art.authors == ["Mathatisi Sebusi", "Mohalenyane Phakela"]
    assert "Sebusi" not in (art.body or "")


def test_bold_subheading_is_no_byline() -> None:
    html = page("", f"<article><h1>Headline here</h1><p><strong>Key Points</strong></p><ul><li>one</li></ul>"
                    f"{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").authors == []


def test_cms_admin_account_is_nobodys_byline() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Headline here",
          "author": {"@id": "https://example.org/author/admin/", "name": "Site Admin D"}}
    html = page(f'<script type="application/ld+json">{json.dumps(ld)}</script>',
                f'<article><h1>Headline here</h1><span class="author"><a rel="author" href="/author/admin/">'
                f'Site Admin D</a></span><p><b>Jane Okafor</b></p>{PARAS}</article>')
    assert extract_article(html, "https://example.org/a").authors == ["Jane Okafor"]


def test_outlet_named_as_author_is_an_organization() -> None:
    html = page('<meta property="og:site_name" content="한국일보"><meta name="author" content="한국일보">'
                '<meta name="author" content="신현주 기자">', f"<article><h1>제목</h1>{PARAS}</article>")
    art = extract_article(html, "https://www.hankookilbo.com/News/Read/A1")
    assert art.authors == ["신현주"]
    assert art.organizations == []  # next to a named reporter the outlet's own credit says nothing new


def test_byline_label_with_dateline() -> None:
    html = page("", f'<article><h1>Headline here</h1><div class="article__author">Von Ines Zöttl, Washington</div>'
                    f"{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").authors == ["Ines Zöttl"]


@pytest.mark.parametrize("block", ["brick most-read", "related-articles", "recommendations", "more-stories"])
def test_a_credit_under_another_storys_teaser_is_no_byline(block: str) -> None:
    teaser = (f'<div class="{block}"><a href="/other"><h3>Other story</h3></a>'
              f'<div class="appetizer-author">Von Christoph Reisinger</div></div>')
    html = page("", f'<article><h1>Headline here</h1>{PARAS}</article>{teaser}')
    assert extract_article(html, "https://example.org/a").authors == []
    own = page("", f'<article><h1>Headline here</h1><div class="author">Von Knut Krohn</div>{PARAS}</article>{teaser}')
    assert extract_article(own, "https://example.org/a").authors == ["Knut Krohn"]


def test_screen_reader_credit_label_marks_the_credit() -> None:
    html = page("", f'<article><h1>Headline here</h1><div class="wire"><p class="visually-hidden">Author of the '
                    f'article:</p><span>The Associated Press</span></div>{PARAS}</article>')
    art = extract_article(html, "https://example.org/a")
    assert (art.authors, art.organizations) == ([], ["Associated Press"])


def test_screen_reader_helper_text_is_no_author() -> None:
    html = page("", f'<article><h1>Headline here</h1><div class="byline"><span class="u-visually-hidden">'
                    f'capital</span> <span>Jemima Kelly</span></div>{PARAS}</article>')
    assert extract_article(html, "https://example.org/a").authors == ["Jemima Kelly"]


@pytest.mark.parametrize("teaser", ["Les også: Tone Damli ofret musikkarrieren for barna", "Lesen Sie auch: Mehr dazu",
                                    "Czytaj więcej", "-"])
def test_read_also_teasers_and_stray_dashes_leave_the_body(teaser: str) -> None:
    html = page("", f"<article><h1>Headline here</h1>{PARAS[:400]}<p>{teaser}</p>{PARAS[400:]}</article>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert teaser not in body.split("\n\n")


def test_script_rendered_article_body() -> None:
    content = "".join(f"<p class=\\u0022editor-p\\u0022>Satz {i}: Die Regierung hat heute in der Hauptstadt neue "
                      f"Regeln für den Verkehr beschlossen, die ab dem Sommer gelten sollen.</p>" for i in range(10))
    script = f'<script>self.__next_f.push([1,"{content}"])</script>'
    html = page("<title>Neue Verkehrsregeln</title>", f"<div id='root'></div>{script}")
    art = extract_article(html, "https://example.org/a")
    assert (art.body or "").startswith("Satz 0: Die Regierung")
    assert art.word_count >= 150


def test_comments_in_the_markup_do_not_cut_the_body() -> None:
    paras = "".join(f"<p>Part {i} of a long report on the election, with enough words to count as text in any "
                    f"extractor that looks at paragraph length.<!-- ad slot {i} --></p><!-- between -->"
                    for i in range(12))
    html = page("", f"<article><h1>Headline here</h1>{paras}</article>")
    body = extract_article(html, "https://example.org/a").body or ""
    assert all(f"Part {i} " in body for i in range(12))


def test_indented_byline_paragraph_is_read_as_a_byline() -> None:
    indent = "\n" + " " * 64
    html = page("", f"<header><h1>Property demand rises</h1><p class='text-sm'>{indent}By TPN,{indent}in "
                    f"<a href='/news'>News</a>, <a href='/pt'>Portugal</a>, <a href='/b'>Business</a> &middot;"
                    f"{indent}<span>31 Jan 2025, 20:02</span>{indent}&middot; 0 Comments{indent}</p></header>"
                    f"<article>{PARAS}</article>")
    art = extract_article(html, "https://www.example.pt/a")
    assert art.authors == [] and art.organizations == ["TPN"]


@pytest.mark.parametrize(("byline", "authors"), [
    ("<div class='meta'><span>By</span> <a href='/p/jd'>Jane Doe</a></div>", ["Jane Doe"]),  # word and name apart
    ("<div class='meta'><b>B</b>y Jane Doe</div>", ["Jane Doe"]),  # the credit word itself split
    ("<div class='meta'><img src='/i.png'>  Von Max Muster</div>", ["Max Muster"]),  # after an empty element
    ("<div class='meta'><div><div><em>Autorin:</em> Erika Muster</div></div></div>", ["Erika Muster"]),  # nested
    ("<div class='meta'><span>Share</span> by Jane Doe</div>", []),  # not the block's opening words
])
def test_a_credit_line_opens_a_block_whatever_its_markup(byline: str, authors: list[str]) -> None:
    html = page("", f"<article><h1>Headline here</h1>{byline}{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").authors == authors


@pytest.mark.parametrize(("values", "authors"), [
    (["john-smith"], ["John Smith"]),  # a profile URL's slug
    (["Emma Mackenzie", "emma-mackenzie"], ["Emma Mackenzie"]),
    (["Emma Mackenzie", "Emma-Mackenzie"], ["Emma Mackenzie"]),  # the same person spelled another way
    (["Emma Mackenzie", "John Smith"], ["Emma Mackenzie", "John Smith"]),
])
def test_author_meta_tags_in_other_spellings_name_one_person(values: list[str], authors: list[str]) -> None:
    names = ["author", "parsely-author"][:len(values)]
    head = "".join(f'<meta name="{name}" content="{v}">' for name, v in zip(names, values, strict=True))
    art = extract_article(page(head, f"<article><h1>Headline here</h1>{PARAS}</article>"), "https://example.org/a")
    assert art.authors == authors


@pytest.mark.parametrize("wrapped", ["//<![CDATA[\n{ld}\n//]]>", "/*<![CDATA[*/{ld}/*]]>*/", "<![CDATA[{ld}]]>",
                                     "<!--{ld}-->", "{ld}", "//<![CDATA[\n{ld}" + " \n" * 60 + "//]]>"])
def test_json_ld_wrapped_for_old_browsers_is_read(wrapped: str) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Headline here", "datePublished": "2024-08-22T12:00:00+02:00"})
    html = page(f'<script type="application/ld+json">{wrapped.replace("{ld}", ld)}</script>',
                f"<article><h1>Headline here</h1>{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").published_at == "2024-08-22T10:00:00+00:00"


@pytest.mark.parametrize(("more", "authors", "organizations"), [
    ('<meta name="author" content="Shany Littman">', ["Shany Littman"], []),  # the reporter, from a lower layer
    # no one named below: the structured data's credit of the outlet stands
    ("<header><div class='contributors'>By Krautreporter with Agencies</div></header>", [], ["Krautreporter"]),
])
def test_the_outlet_named_as_the_structured_author_leaves_the_reporter_to_lower_layers(
        more: str, authors: list[str], organizations: list[str]) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Headline here",
                     "author": {"@type": "Person", "name": "Krautreporter "}})
    head = f'<meta property="og:site_name" content="Krautreporter"><script type="application/ld+json">{ld}</script>'
    html = page(head + (more if more.startswith("<meta") else ""),
                f"{'' if more.startswith('<meta') else more}<article><h1>Headline here</h1>{PARAS}</article>")
    art = extract_article(html, "https://krautreporter.de/5481-a")
    assert (art.authors, art.organizations) == (authors, organizations)


@pytest.mark.parametrize(("meta_date", "published", "updated"), [
    # the same wall-clock time printed with its offset elsewhere on the page gives the offset
    ("2023-04-28T18:11:01+02:00", "2023-04-28T16:11:01+00:00", "2023-04-28T16:43:01+00:00"),
    # another time: no evidence of the offset, read as UTC
    ("2023-04-28T09:00:00+02:00", "2023-04-28T18:11:01+00:00", "2023-04-28T18:43:01+00:00"),
])
def test_a_time_printed_without_offset_takes_the_offset_the_page_prints_with_it(
        meta_date: str, published: str, updated: str) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Headline here", "datePublished": "2023-04-28 18:11:01.0",
                     "dateModified": "2023-04-28T18:43:01"})
    head = f'<script type="application/ld+json">{ld}</script><meta name="date" content="{meta_date}">'
    art = extract_article(page(head, f"<article><h1>Headline here</h1>{PARAS}</article>"), "https://example.org/a")
    assert (art.published_at, art.updated_at) == (published, updated)


@pytest.mark.parametrize(("field", "ld_date", "published"), [
    ("<ul><li><strong>Datum</strong> 28.04.2023</li></ul>", None, "2023-04-28T00:00:00+00:00"),
    ("<p class='meta'>Published: 29 July 2021 14:05 GMT</p>", None, "2021-07-29T14:05:00+00:00"),
    ("<div><span>Veröffentlicht am</span> <span>3. Mai 2024</span></div>", None, "2024-05-03T00:00:00+00:00"),
    # a visible field is a generic layer: structured data outranks it
    ("<p>Published: 29 July 2021</p>", "2021-07-30T08:00:00Z", "2021-07-30T08:00:00+00:00"),
])
def test_a_labelled_publication_date_field_dates_the_article(field: str, ld_date: str | None, published: str) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Headline here", "datePublished": ld_date}) if ld_date else ""
    head = f'<script type="application/ld+json">{ld}</script>' if ld else ""
    # htmldate alone takes the date of a picture in the text (as on a DW page)
    picture = "<h2>Earlier <span class='date'>24.04.2019</span></h2>"
    html = page(head, f"<article><h1>Headline here</h1>{field}{PARAS}{picture}{PARAS}</article>")
    assert extract_article(html, "https://example.org/a").published_at == published


@pytest.mark.parametrize(("text", "value"), [
    ("Datum 28.04.2023", "28.04.2023"),
    ("Published: Monday, November 18th, 2019 at 11:08 a.m.", "Monday, November 18th, 2019 at 11:08 a.m."),
    ("Published on 30/04/2024 - 16:38", "30/04/2024 - 16:38"),
    ("Date night ideas for 2024", None),  # prose opening with a label word
    ("Updated: 28.04.2023", None),  # an update, not the publication
])
def test_what_a_labelled_date_field_is(text: str, value: str | None) -> None:
    from crawler.extraction.xpaths import LABELLED_DATE_RE

    m = LABELLED_DATE_RE.match(text)
    assert (m.group("value") if m else None) == value


@pytest.mark.parametrize(("authors", "expected"), [
    ([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Jane Doe"}], ["Jane Doe"]),
    ([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "JANE DOE"}], ["Jane Doe"]),
    (["Jane Doe", "Jane Doe, John Roe"], ["Jane Doe", "John Roe"]),
])
def test_a_reporter_the_structured_data_lists_twice_is_credited_once(authors: list, expected: list[str]) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Storm hits the coast", "author": authors})
    got = extract_article(page(f'<script type="application/ld+json">{ld}</script>', PARAS), "http://x/")
    assert got.authors == expected


def test_a_staff_list_credited_as_authors_is_cut_with_a_warning() -> None:
    staff = [{"@type": "Person", "name": f"{first} {last}"}
             for first in ["Anna", "Ben", "Carla", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas"]
             for last in ["Adler", "Berg", "Conrad", "Dietz", "Engel", "Fuchs", "Graf", "Hahn", "Iske", "Jung"]]
    ld = json.dumps({"@type": "NewsArticle", "headline": "Storm hits the coast", "author": staff})
    got = extract_article(page(f'<script type="application/ld+json">{ld}</script>', PARAS), "http://x/")
    assert got.authors == [p["name"] for p in staff[:50]]
    assert "100 authors and 0 organizations credited: the first 50 of each kept" in got.warnings
    assert got.byline_raw is not None and len(got.byline_raw) == 1000 and got.byline_raw.endswith("…")


@pytest.mark.parametrize(("head", "field", "expected"), [
    # a title source longer than a headline does not vote
    ('<title>Storm hits the coast</title><meta property="og:title" content="' + "Long " * 200 + '">',
     "title", "Storm hits the coast"),
    ("<title>" + "Long " * 100_000 + "</title>", "title", None),
    # a description is cut to 2,000 characters
    ('<meta name="description" content="' + "Words " * 1000 + '">', "lead", "Words " * 333 + "W…"),
    # a section name over 100 characters is not one: the next layer's is taken
    ('<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": "'
     + ", ".join(f"keyword {i}" for i in range(30)) + '"}</script><meta property="article:section" content="World">',
     "section", "World"),
    # keywords that are neither text nor a list of texts are no tags
    ('<script type="application/ld+json">{"@type": "NewsArticle", "keywords": {"a": "b"}}</script>', "tags", []),
    # the image is an absolute http(s) URL
    ('<meta property="og:image" content="/img/storm.jpg">', "image_url", "https://news.example.com/img/storm.jpg"),
    ('<meta property="og:image" content="javascript:alert(1)">', "image_url", None),
    ('<meta property="og:image" content="data:image/png;base64,' + "A" * 5000 + '">', "image_url", None),
    # a rel=canonical too long for a URL is not followed
    ('<link rel="canonical" href="/' + "a" * 3000 + '">', "canonical_url",
     "https://news.example.com/world/2024/01/02/storm"),
])
def test_fields_longer_or_odder_than_their_kind_are_left_out(head: str, field: str, expected: object) -> None:
    got = extract_article(page(head, PARAS), "https://news.example.com/world/2024/01/02/storm")
    assert getattr(got, field) == expected
