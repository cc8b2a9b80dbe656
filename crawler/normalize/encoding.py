"""Bytes -> text for HTML pages (pure: never raises)."""

from __future__ import annotations

import codecs

from w3lib.encoding import html_to_unicode


def decode_html(body: bytes, content_type: str | bytes | None = None) -> str:
    """The page's text: the encoding the page declares (HTTP charset, BOM, <meta charset>, else detected),
    overruled when the bytes contradict the declaration.

    - Declared as a legacy encoding but the bytes are valid UTF-8 with non-ASCII characters: UTF-8. Text
      in a single-byte encoding almost never forms valid multi-byte UTF-8 by chance, while pages re-saved
      or re-served as UTF-8 keep their old `<meta charset=iso-8859-1>` (decoding those as Latin-1 turns
      every "ü" into "Ã¼").
    - Declared (or taken) as UTF-8 but most non-ASCII sequences are invalid: Windows-1252, the usual
      real encoding of such pages. A few bad bytes in a UTF-8 page stay replacement characters.
    """
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    encoding, text = html_to_unicode(content_type, body)
    if body.isascii():
        return text
    try:
        declared = codecs.lookup(encoding).name
    except LookupError:
        declared = encoding
    try:
        utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if not declared.startswith("utf-8"):
        return text if utf8 is None else utf8
    if utf8 is not None:
        return text
    bad = text.count("\ufffd")
    if bad and bad > sum(1 for ch in text if ord(ch) > 127) - bad:
        return body.decode("cp1252", errors="replace")
    return text
