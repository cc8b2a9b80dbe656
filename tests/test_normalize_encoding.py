from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crawler.normalize.encoding import decode_html

TEXT = "Für 10 GB zahlt ihr nur 5,99 Euro – Café in Zürich, façade, naïve"


def _page(meta: str, text: str = TEXT) -> str:
    return f"<html><head>{meta}<title>{text}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    # as declared
    (_page('<meta charset="utf-8">').encode("utf-8"), None, TEXT),
    (_page('<meta charset="iso-8859-1">', "Café à Zürich").encode("latin-1"), None, "Café à Zürich"),
    (_page("", "Café à Zürich").encode("cp1252"), "text/html; charset=windows-1252", "Café à Zürich"),
    (_page('<meta charset="koi8-r">', "Москва").encode("koi8-r"), None, "Москва"),
    (_page('<meta charset="shift_jis">', "東京の天気").encode("shift_jis"), None, "東京の天気"),
    (_page("", "Москва").encode("utf-16"), None, "Москва"),  # BOM
    # re-saved as UTF-8, old declaration kept (in <meta> or in the HTTP header)
    (_page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">').encode("utf-8"), None, TEXT),
    (_page("").encode("utf-8"), "text/html; charset=ISO-8859-1", TEXT),
    (_page('<meta charset="windows-1252">').encode("utf-8"), b"text/html", TEXT),
    # declared UTF-8, written in Windows-1252
    (_page("<meta charset='utf-8'>", "Café owners in Zürich – “quoted”").encode("cp1252"), None,
     "Café owners in Zürich – “quoted”"),
    (_page("", "Renée Müller").encode("latin-1"), "text/html; charset=utf-8", "Renée Müller"),
])
def test_decodes_what_the_bytes_are(body: bytes, content_type: str | bytes | None, expected: str) -> None:
    assert expected in decode_html(body, content_type)


def test_a_few_bad_bytes_in_a_utf8_page_stay_replacement_characters() -> None:
    body = _page('<meta charset="utf-8">').encode("utf-8") + b"<p>broken \xff byte</p>"
    text = decode_html(body)
    assert TEXT in text
    assert "broken \ufffd byte" in text


def test_ascii_and_empty_pages() -> None:
    assert decode_html(b"") == ""
    assert decode_html(b"<p>plain</p>", "text/html; charset=latin-1") == "<p>plain</p>"


def test_unknown_declared_charset_is_not_an_error() -> None:
    assert TEXT in decode_html(_page('<meta charset="x-no-such-charset">').encode("utf-8"), "text/html; charset=bogus")


@given(st.binary(max_size=400), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=latin-1", b"text/html; charset=\xff"]))
def test_never_raises_on_any_bytes(body: bytes, content_type: str | bytes | None) -> None:
    assert isinstance(decode_html(body, content_type), str)


@given(st.text(max_size=200), st.sampled_from(["iso-8859-1", "windows-1252", "iso-8859-2", "utf-8"]))
def test_utf8_text_comes_back_whatever_the_declaration(text: str, declared: str) -> None:
    page = _page(f'<meta charset="{declared}">', text)
    assert decode_html(page.encode("utf-8")) == page


@given(st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0xFF), min_size=1, max_size=200))
def test_latin1_text_declared_utf8_comes_back(text: str) -> None:
    page = _page('<meta charset="utf-8">', text)
    body = page.encode("latin-1")
    # "Â\xa0" is also the UTF-8 of a no-break space: where the bytes hold such pairs they can't tell
    assume(not re.search(rb"[\xc2-\xf4][\x80-\xbf]", body))
    assert decode_html(body) == page
