"""Text normalisation shared by the parser, the gazetteer and the matchers."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("french")


def clean(text: str) -> str:
    """Undo Markdown escapes, unify apostrophes and collapse white space."""
    text = _MD_ESCAPE.sub(r"\1", text).translate(_APOSTROPHES)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and apostrophes into spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[-'’_/.,;:()\"«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Accent-folded words of a text."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """French Snowball stem of an accent-folded word, plural or not: Snowball alone gives
    "usagers" → "usager" but "usager" → "usag", so a final -s/-x goes first."""
    if len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    return _STEMMER.stemWord(word)


def stems(text: str) -> list[str]:
    """Stems of the words of a text, for inflection-insensitive matching."""
    return [stem(w) for w in words(text)]


def slug(text: str, limit: int = 60) -> str:
    """A readable IRI path segment."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:limit].rstrip("-") or "x"


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (on . ! ? followed by a capital or end)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"])", text)
    return [p.strip() for p in parts if p.strip()]
