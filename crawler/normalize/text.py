"""Text normalization: Unicode NFC, HTML entities, invisible characters, whitespace; paragraphs kept."""

from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and other invisible format characters that carry no text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n\s*\n+")


def clean_line(value: object) -> str:
    """One line of text: entities decoded, NFC, invisible/control characters gone, spaces collapsed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def clean_text(value: object) -> str:
    """Multi-paragraph text: paragraphs separated by exactly one blank line, lines cleaned."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text)
    paragraphs = []
    for block in _BLANKS.split(text):
        lines = [_SPACES.sub(" ", ln).strip() for ln in block.split("\n")]
        lines = [ln for ln in lines if ln]
        if lines:
            paragraphs.extend(lines)
    return "\n\n".join(paragraphs)


def word_count(text: str | None) -> int:
    return len(re.findall(r"\w+", text or ""))
