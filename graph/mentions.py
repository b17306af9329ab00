"""Bodies named anywhere in running text, and whether the words around say they take part.

A stage of its own: given a sentence and an ``AgentFinder``, it returns every organization
the sentence names (official bodies of the gazetteer, longest name first, so "Toulouse
métropole" is the EPCI and not the commune inside it), each with a role read from its
context:

- ``participant`` — the body gives a talk or a review ("Retour d'expérience sur les ZFE
  de Nantes Métropole", "Présentation de la Métropole Européenne de Lille", "Bilan par
  Brest métropole"), its team is named ("l'équipe de Villejuif"), or it is thanked
  ("Nous remercions la Ville de Rennes");
- ``mentioned`` — named, and nothing says it took part.

A bare commune name after "à" / "en" is a place ("a eu lieu à Villejuif", "réunis à
Metz"), not a body: it is left out (where a meeting was held is read by the meeting's
own rules). It knows nothing of the stages after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import cues
from .agents import AgentFinder
from .model import Agent

I = re.IGNORECASE
_ART = r"(?:la\s+|le\s+|l'|les\s+)?"
_OF = r"(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')"
# What right before a name says the body takes part, whatever the sentence.
_BEFORE = [
    ("team", re.compile(rf"\béquipes?\s+{_OF}$", I)),                               # "l'équipe de X"
    ("thanks", re.compile(rf"\b(?:remerci\w*|merci)\s+(?:à\s+|aux\s+)?{_ART}$", I)),   # "Nous remercions X"
]
# A sentence about a talk or a review of the meeting: the body it names after "de" / "par"
# gave it ("Retour d'expérience … de X", "Présentation par X", "Bilan … par X").
_TALK = re.compile(r"\b(?:présentation|présenté\w*|intervention|retours?\s+d'expériences?|démonstration|démo"
                   r"|témoignage|bilan|focus|animé\w*)\b", I)
_BY = re.compile(rf"(?:\b{_OF}|\bpar\s+(?:{_ART}|l'équipe\s+{_OF})?)$", I)
# A place, not a body: "à Villejuif", "réunis à Metz", "en Bretagne".
_PLACE = re.compile(r"(?:\bà|\bau|\baux|\ben)\s+$", I)
# The territory in the name of another body ("CCAS de Rouen", "Centre de gestion du Rhône"):
# not the territory's own body.
_OTHER_HEAD = re.compile(rf"(?:{cues.OTHER_BODY.pattern.lstrip('^')})\s+{_OF}?$")
_BODY_WORD = re.compile(r"(?:ville|mairie|commune|hôtel de ville)\b", I)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", I)


@dataclass(frozen=True)
class Mention:
    agent: Agent
    start: int           # character span in the sentence
    end: int
    role: str            # participant, mentioned
    rule: str            # the cue that decided the role: team, thanks, talk, none


def _blank_urls(text: str) -> str:
    """URLs and file names are not prose ("…/ClubVillejuif-RetourExperienceLyon…pdf")."""
    return _URL.sub(lambda m: " " * len(m.group(0)), text)


def find_mentions(sentence: str, finder: AgentFinder) -> list[Mention]:
    """Every organization the sentence names, left to right, with its role."""
    text = _blank_urls(sentence)
    talk = bool(_TALK.search(text))
    out = []
    for agent, start, end in finder.find_all(text):
        if agent.kind != "organization":
            continue
        before = text[:start]
        surface = text[start:end]
        if _PLACE.search(before) and agent.body is not None and agent.body.kind == "commune" \
                and not _BODY_WORD.match(surface):
            continue                                       # "à Villejuif": a place, not the town hall
        if _OTHER_HEAD.search(before):
            continue
        rule = next((name for name, pattern in _BEFORE if pattern.search(before)), "")
        if not rule and talk and _BY.search(before):
            rule = "talk"
        out.append(Mention(agent, start, end, "participant" if rule else "mentioned", rule or "none"))
    return out
