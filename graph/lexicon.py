"""Find vocabulary terms (tools, topics) in French text; plain Python, no rdflib.

A ``Lexicon`` is built from the SKOS schemes by ``vocab.py`` and handed to the parser.
Tool labels match on accent-folded words; labels written in capitals (acronyms such as
SIG) match case-sensitively. Topic cues match on French lemmas from the language model
(``nlp.lemmas``), so "internes" finds "interne", "mobilités" finds "mobilité" and "les
régies" finds "régie", while "regex" does not (a prefix stemmer gives both "reg"). A word
matches a cue word when their lemmas or their folded forms are equal, so a label whose
lemma depends on its context (a lone "payer") still finds itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import nlp
from .text import fold, words


@dataclass(frozen=True)
class Hit:
    concept: str       # concept id (last IRI segment)
    label: str         # the vocabulary label that matched
    surface: str       # the words of the text that matched
    start: int         # position in the text (character offset for tools, word index for topics)


@dataclass
class Lexicon:
    """Labels of a concept scheme: concept id → [(label, kind)], kind pref/alt/hidden."""

    labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    pref: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._patterns: list[tuple[str, str, re.Pattern, bool]] | None = None
        self._cues: list[tuple[str, list[tuple[str, list[str]]]]] | None = None

    def add(self, concept: str, label: str, kind: str) -> None:
        self._patterns = self._cues = None
        self.labels.setdefault(concept, []).append((label, kind))
        if kind == "pref" and concept not in self.pref:
            self.pref[concept] = label

    def find_terms(self, text: str) -> list[Hit]:
        """Tool mentions, left to right, longest label first at each place."""
        if self._patterns is None:
            self._patterns = [
                (concept, label, re.compile(rf"(?<![\w]){re.escape(label if exact else fold(label))}(?![\w])"), exact)
                for concept, labels in self.labels.items() for label, _ in labels
                for exact in [len(label) > 1 and label.isupper()]]
        hits: list[Hit] = []
        folded = fold(text)
        for concept, label, pat, exact in self._patterns:
            for m in pat.finditer(text if exact else folded):
                hits.append(Hit(concept, label, m.group(0), m.start()))
        hits.sort(key=lambda h: (h.start, -len(h.surface)))
        out: list[Hit] = []
        end = -1
        for h in hits:
            if h.start >= end:
                out.append(h)
                end = h.start + len(h.surface)
        return out

    def classify(self, text: str) -> list[Hit]:
        """Topics whose cue words occur, in order, next to each other in the text."""
        ws = nlp.lemmas(text)
        if self._cues is None:
            # a label as the model reads it alone, and word for word ("rdv" alone is read
            # as "rendez-vous", inside a sentence as "rdv")
            self._cues = [(concept, [(label, cue) for label, _ in sorted(labels, key=lambda lk: -len(lk[0]))
                                     for cue in dict.fromkeys([nlp.lemmas(label),
                                                               tuple((w, w) for w in words(label))])])
                          for concept, labels in self.labels.items()]
        present = {w for pair in ws for w in pair}
        found: dict[str, Hit] = {}
        for concept, cues in self._cues:
            for label, cue in cues:
                n = len(cue)
                if not n or not present.intersection(cue[0]):
                    continue
                for i in range(len(ws) - n + 1):
                    if all(_same(ws[i + k], cue[k]) for k in range(n)):
                        found.setdefault(concept, Hit(concept, label, " ".join(w for w, _ in ws[i:i + n]), i))
                        break
                if concept in found:
                    break
        return sorted(found.values(), key=lambda h: h.start)


def _same(word: tuple[str, str], cue: tuple[str, str]) -> bool:
    """A text word and a cue word, each (folded form, lemma), are the same word."""
    return word[1] == cue[1] or word[0] == cue[0] or word[0] == cue[1] or word[1] == cue[0]


@dataclass
class Lexicons:
    tools: Lexicon
    topics: Lexicon
