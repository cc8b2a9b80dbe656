"""Language: detection on title + body (py3langid), falling back to the page's declared language."""

from __future__ import annotations

import re
from functools import lru_cache

_DECLARED = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


def declared_language(value: object) -> str | None:
    """'en-GB' -> 'en'; None for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    m = _DECLARED.match(value.strip())
    return m.group(1).lower() if m and len(m.group(1)) == 2 else None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str | None, declared: object = None, min_chars: int = 40) -> str | None:
    """ISO 639-1 code of ``text``; the declared language when the text is too short or unclear."""
    fallback = declared_language(declared)
    # a paragraph is plenty for a character n-gram model: on the 308 real articles of ../shared/data,
    # the first 400, 600 and 1000 characters all give the same language (300 differs on one page); the
    # cost grows with the length
    sample = (text or "")[:400]
    if len(sample.strip()) < min_chars:
        return fallback
    try:
        lang, prob = _identifier().classify(sample)
    except Exception:  # noqa: BLE001 - never raise; fall back to what the page says
        return fallback
    if prob < 0.5 and fallback:
        return fallback
    return str(lang)
