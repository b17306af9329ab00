"""Answers given together after several requests, each matched to the request it answers.

A stage of its own: ``answer_body`` tells whether a paragraph opens as the vendor's answer
("Réponse d'EO : …", "Julien Marchand a répondu en séance : …", "→ l'éditeur : …", "En
réponse, Entr'ouvert indique que …") and returns what follows; ``align`` gives each
sentence (or "; "-clause) of that answer to the request it is about, by the content words
they share (lemmas, so "l'export iCalendar est prévu" answers "un export des rendez-vous
au format iCalendar"). A sentence sharing no content word with any request answers none;
two requests sharing the best score equally get none (no guess).
"""
from __future__ import annotations

import re
from typing import Callable

from . import nlp
from .text import fold, sentences

I = re.IGNORECASE
_SAYS = r"(?:a\s+|ont\s+)?(?:répond\w*|indiqu\w*|précis\w*|expliqu\w*|rappel\w*|annonc\w*|confirm\w*)"
# "Réponse d'EO :", "Réponses de l'éditeur :", "Retour d'Entr'ouvert :", "Réponse :"
_ANSWER_HEAD = re.compile(r"^(?:en\s+)?(?:réponses?|retours?|accord)(?:\s+(?:d'|de\s+(?=l')|de\s+|du\s+)(?P<who>[^:]{2,60}?))?\s*:\s*(?P<body>.+)$", I)
# "→ EO : …", "-> Libriciel : …"
_ARROW = re.compile(r"^(?:→|->|=>|⇒)\s*(?P<who>[^:]{2,60}?)\s*:\s*(?P<body>.+)$")
# "Julien Marchand a répondu en séance : …", "EO répond que …", "En réponse, l'éditeur indique que …"
_SAID = re.compile(rf"^(?:en\s+réponse,\s*)?(?P<who>[^,:;.]{{2,60}}?)\s+{_SAYS}(?:\s+(?:en\s+séance|ensuite|alors|aux\s+\w+))*"
                   r"\s*(?::\s*|\s+(?:que\s+|qu'))(?P<body>.+)$", I)
_STOP = frozenset(fold(w) for w in "le la les un une des de du d l au aux et ou en dans sur pour par avec sans ce cet cette ces son sa ses leur "
                  "leurs qui que qu dont ne pas plus être avoir faire pouvoir devoir il elle ils elles on nous vous se "
                  "y a est sont été déjà aussi très bien tout tous toute toutes autre autres même notamment "
                  "fonctionnalité demande besoin possibilité publik".split())   # compared with folded lemmas


def answer_body(text: str, answers_for: Callable[[str], bool]) -> str | None:
    """What a paragraph answers, when it opens as an answer by someone ``answers_for``
    accepts (the vendor, its people); an unnamed "Réponse :" is accepted too."""
    for pattern in (_ANSWER_HEAD, _ARROW, _SAID):
        m = pattern.match(text.strip())
        if m and (m.group("who") is None or answers_for(m.group("who"))):
            return m.group("body").strip()
    return None


def _content(text: str) -> set[str]:
    """Content words of a text, as lemmas and as written ("SMS" is lemmatised "sm")."""
    return {x for pair in nlp.lemmas(text) for x in pair if len(x) > 2 and x not in _STOP and not x.isdigit()}


def parts(body: str) -> list[str]:
    """The sentences and "; "-clauses of an answer, each a candidate answer to one request."""
    return [c.strip(" .") for sent in sentences(body) for c in re.split(r"\s*;\s*", sent) if c.strip(" .")]


def align(requests: list[str], answer: str) -> dict[int, str]:
    """request index → the part of ``answer`` that is about it."""
    wanted = [_content(r) for r in requests]
    out: dict[int, str] = {}
    for part in parts(answer):
        said = _content(part)
        scores = [len(said & w) / (len(w) or 1) for w in wanted]
        best = max(scores, default=0)
        if best <= 0 or scores.count(best) > 1:
            continue
        i = scores.index(best)
        out[i] = f"{out[i]} ; {part}" if i in out else part
    return out
