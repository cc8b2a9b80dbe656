"""Language: detection on title + body (py3langid), falling back to the page's declared language."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

_DECLARED = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


def declared_language(value: object) -> str | None:
    """'en-GB' -> 'en'; None for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    m = _DECLARED.match(value.strip())
    return m.group(1).lower() if m and len(m.group(1)) == 2 else None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _from_unpacked_model(Path(MODEL_DIR) / MODEL_FILE, LanguageIdentifier)
    except Exception:  # noqa: BLE001 - the cache is an optimization: an unwritable or odd one is skipped
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _from_unpacked_model(model: Path, identifier_cls: Any) -> Any:
    """The identifier from an unpacked copy of py3langid's xz-compressed model, kept in the user's cache
    directory: unpacking costs about 0.65 s of CPU, paid once per machine instead of by every process
    (each extraction worker, each ``newsindex extract``). Only for the model layout of py3langid 0.4
    (an .npz); anything else raises and the caller loads the model the library's own way."""
    import lzma
    from array import array

    import numpy as np

    if not model.name.endswith(".npz.xz"):
        raise ValueError(f"unknown py3langid model layout: {model.name}")
    stat = model.stat()
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsindex"
    unpacked = cache_dir / f"langid-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if not unpacked.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob("*.part"):  # left by a process killed while unpacking (it takes ~1 s)
            if time.time() - stale.stat().st_mtime > 600:
                stale.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".part", delete=False) as tmp:
            try:
                with lzma.open(model) as src:
                    shutil.copyfileobj(src, tmp, length=1 << 20)
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, unpacked)  # atomic: a concurrent process sees the whole file or none

    def ints(values: Any) -> array:  # the automaton's tables as stdlib arrays, as py3langid keeps them
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(np.ascontiguousarray(values).data.cast("B"))
        return out

    try:
        with np.load(unpacked, allow_pickle=False) as data:
            return identifier_cls(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  ints(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=ints(data["nextmove_row"]))
    except Exception:
        unpacked.unlink(missing_ok=True)  # a damaged copy is unpacked afresh by the next process
        raise


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
