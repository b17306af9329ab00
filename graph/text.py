"""Text normalisation shared by the parser, the gazetteer and the matchers."""
from __future__ import annotations

import re
import unicodedata

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def clean(text: str) -> str:
    """Undo Markdown escapes, unify apostrophes and collapse white space."""
    text = _MD_ESCAPE.sub(r"\1", text).translate(_APOSTROPHES)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=[^\s*_])([^*_\n]{1,200}?)(?<=\S)\1(?!\w)")   # bounded: linear on long lines


def plain(text: str) -> str:
    """Text without Markdown emphasis markers ("la solution **ClicRDV**" → "la solution
    ClicRDV"), for rules that read the words."""
    return _EMPHASIS.sub(r"\2", text)


def fold(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and apostrophes into spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[-'’_/.,;:()\"«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Accent-folded words of a text."""
    return _WORD.findall(fold(text))


def slug(text: str, limit: int = 60) -> str:
    """A readable IRI path segment."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:limit].rstrip("-") or "x"


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (on . ! ? followed by a capital or end)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"])", text)
    return [p.strip() for p in parts if p.strip()]
