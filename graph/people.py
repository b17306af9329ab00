"""People named in running text, with the body they speak for and a role from context.

A stage of its own, like ``mentions``: given a sentence, the person entities the language
model proposes in it (``nlp.entities``), a first-name lookup and an ``AgentFinder``, it
returns every person the sentence names. Candidates come from two sources, the model and
a name pattern (a capitalised word pair), and each is confirmed or rejected by the same
checks:

- two to four words, each capitalised ("Marie Kuntz", "Erwan Le Luron", "Anne-Claire
  Dubreuil") or a surname in capitals ("KUNTZ Marie", "Marie KUNTZ");
- a known first name first ("Prénom Nom"), or last after a surname in capitals ("NOM
  Prénom", given back as "Prénom NOM");
- not the name of a body, a place or a tool ("Metz Métropole", "Enlarge your Publik",
  "Jahia" are rejected); a title ("Madame", "M.") and a leading "de"/"par" are dropped;
- a first name that is also a common word or a place ("Marine", "Florence", "Aude") needs
  the model to have proposed the name too, or a body named with it ("Aude Roux (Brest)").

A lone first name ("Marie propose une démonstration") is never a person of its own: the
caller reads it as the full name met earlier, or leaves it.

The body: in parentheses after the name ("Anne Roux (Ville de Brest)"), in apposition after
it ("Paul Martin, DSI de Villejuif", "Paul Martin - Rennes Métropole"), or right before it
("Présentation par Entr'ouvert, Marie Kuntz."). The role: ``speaker`` when the sentence is
about a talk and the name follows "par" (or "par Body,"), ``absent`` when it says they were
not there ("Étaient excusés : …"), else ``named``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from .agents import AgentFinder
from .model import Agent
from .nlp import Entity

_NAME_WORD = r"(?:[A-ZÉÈÊÀÂÎÔÇ][a-zà-ÿ]+(?:-[A-ZÉÈÊÀÂÎÔÇ][a-zà-ÿ]+)*|[A-ZÉÈÊÀÂÎÔÇ]{2,}(?:-[A-ZÉÈÊÀÂÎÔÇ]{2,})*)"
_PARTICLE = r"(?:de|du|des|d'|le|la|van|von|da|di|dos|ben|el)"
# A capitalised word pair (with particles inside): "Erwan Le Luron", "Anne de La Tour".
_PATTERN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+|{_PARTICLE}(?=[A-Z]))?{_NAME_WORD}){{1,3}}(?![\w'’-])")
_TITLE = re.compile(r"^(?:(?:M\.|Mme|Mlle|Mr|Me|Dr|Pr|Monsieur|Madame|Mademoiselle|Docteur|Professeur)\s+)+")
_LEAD = re.compile(r"^(?:(?:de|d'|par|avec|et|pour|à|chez|selon)\s+)+", re.I)
_TALK = re.compile(r"\b(?:présentation|présenté\w*|intervention|retours?\s+d'expériences?|démonstration|démo"
                   r"|témoignage|animé\w*|exposé)\b", re.I)
_BY = re.compile(r"\bpar\s*$", re.I)
# A kind of product or of place right before a name: "le logiciel Ciril Finances", "la salle
# Jean Moulin", "5 rue Victor Hugo" name no one at the meeting.
_PRODUCT_BEFORE = re.compile(r"\b(?:logiciels?|progiciels?|solutions?|outils?|applications?|plate-?formes?|modules?|connecteurs?"
                             r"|portails?|suites?|ENT|SIG"
                             # places and things named after people: "salle Jean Moulin", "rue Victor Hugo", "la loi …"
                             r"|rue|avenue|boulevard|bd|place|quai|allée|impasse|chemin|cours|square|parc|pont|salle|espace"
                             r"|lycée|collège|école|stade|gymnase|hôpital|médiathèque|bibliothèque|centre|fondation|prix|loi"
                             r"|amphithéâtre|auditorium|résidence|gare|cité)(?:\s+[a-zà-ÿ'-]+){0,3}\s+$", re.I)
# A sentence saying the people it names were not there.
_ABSENT = re.compile(r"\b(?:excusée?s?|absente?s?|n'(?:a|ont)\s+pas\s+pu\s+(?:venir|participer|être\s+présente?s?)"
                     r"|empêchée?s?|en\s+remplacement\s+de)\b", re.I)
# Between a name and its body after it: a separator, then a short role ("DSI de", "chef de projet à").
_AFTER = re.compile(r"^\s*(?:\(|,|[-–—]|:)\s*(?:[\w'’.]+(?:\s+[\w'’.]+){0,5}\s+(?:de\s+la|de\s+l'|du|des|de|d'|à|au|chez)\s*)?(?:la\s+|le\s+|l')?$", re.I)
_BEFORE = re.compile(r"^\s*(?:,|:|[-–—])\s*$")


@dataclass(frozen=True)
class PersonMention:
    name: str              # "Prénom Nom" as written ("NOM Prénom" turned to "Prénom NOM")
    start: int             # character span in the sentence
    end: int
    org: Agent | None      # the body named with the person
    role: str              # speaker, absent, named
    rule: str              # which source proposed it: model, pattern, model+pattern


@dataclass(frozen=True)
class FirstNames:
    """What the people stage asks of first-name data."""
    known: Callable[[str], bool]          # "Marie" → True
    ambiguous: Callable[[str], bool]      # a first name that is also a word or a place


def _normalise(span: str) -> tuple[str, int] | None:
    """The name inside a candidate span and its offset: titles and leading prepositions
    dropped, trailing punctuation cut."""
    lead = _LEAD.match(span)
    offset = lead.end() if lead else 0
    title = _TITLE.match(span[offset:])
    offset += title.end() if title else 0
    name = span[offset:].rstrip(" ,;:.)")
    return (name, offset) if name else None


def _ordered(name: str, first: FirstNames) -> str | None:
    """"Prénom Nom" as written, "NOM Prénom" as "Prénom NOM"; None when no first name
    is where a name puts it."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(re.fullmatch(rf"{_NAME_WORD}|{_PARTICLE}", w) for w in words):
        return None
    if words[0].lower() in {"de", "du", "des", "d'", "le", "la"}:
        return None
    if not words[0].isupper() and first.known(words[0]) and not words[-1].lower() == words[-1]:
        return name
    if words[-1][:1].isupper() and not words[-1].isupper() and first.known(words[-1]) \
            and all(w.isupper() or w.lower() == w for w in words[:-1]):
        return " ".join([words[-1], *words[:-1]])              # "KUNTZ Marie" → "Marie KUNTZ"
    return None


class PeopleFinder:
    """Confirms person candidates of sentences against first names, bodies and tools."""

    def __init__(self, finder: AgentFinder, first: FirstNames, is_tool: Callable[[str], bool]):
        self.finder = finder
        self.first = first
        self.is_tool = is_tool

    @staticmethod
    def could_name(sentence: str) -> bool:
        """Whether the sentence has a span a person's name could be confirmed in (the name
        pattern matches every candidate that passes, the model's included)."""
        return _PATTERN.search(sentence) is not None

    def _is_other_thing(self, name: str) -> bool:
        """A body, a place or a tool bearing the name ("Metz Métropole", "Saint-Denis")."""
        if self.is_tool(name) or self.finder.gaz.resolve(name) or self.finder.gaz.candidates(name):
            return True
        return self.finder.names_whole(name) is not None

    def find(self, sentence: str, entities: Iterable[Entity] = ()) -> list[PersonMention]:
        """Every person the sentence names, left to right."""
        spans: dict[tuple[int, int], set[str]] = {}
        for e in entities:
            if e.label == "PER":
                spans.setdefault((e.start, e.end), set()).add("model")
        for m in _PATTERN.finditer(sentence):
            spans.setdefault((m.start(), m.end()), set()).add("pattern")
        found: dict[tuple[int, int], tuple[str, set[str]]] = {}
        for (start, end), sources in spans.items():
            norm = _normalise(sentence[start:end])
            if norm is None:
                continue
            raw, offset = norm
            name = _ordered(raw, self.first)
            if name is None or self._is_other_thing(raw) or _PRODUCT_BEFORE.search(sentence[:start + offset]):
                continue
            at = (start + offset, start + offset + len(raw))
            if self.first.ambiguous(name.split()[0]) and "model" not in sources \
                    and self._body_of(sentence, *at, self._bodies(sentence)) is None:
                continue
            if at in found:
                found[at][1].update(sources)
            else:
                found[at] = (name, set(sources))
        out: list[PersonMention] = []
        bodies = self._bodies(sentence)
        talk = bool(_TALK.search(sentence))
        for (start, end), (name, sources) in sorted(found.items()):
            if any(p.start <= start < p.end or start <= p.start < end for p in out):
                continue                                    # overlapping candidates: the first
            org = self._body_of(sentence, start, end, bodies)
            before = sentence[:start]
            if org is not None and (b := next((s for a, s, e in bodies if a is org and e <= start), None)) is not None:
                before = sentence[:b]
            clause = sentence[sentence.rfind(";", 0, start) + 1:start]     # what this name's clause says before it
            role = "absent" if _ABSENT.search(clause) else "speaker" if talk and _BY.search(before) else "named"
            out.append(PersonMention(name, start, end, org, role, "+".join(sorted(sources))))
        return _share_bodies(sentence, out)

    def _bodies(self, sentence: str) -> list[tuple[Agent, int, int]]:
        return [(a, s, e) for a, s, e in self.finder.find_all(sentence) if a.kind in ("organization", "vendor")]

    @staticmethod
    def _body_of(sentence: str, start: int, end: int, bodies: list[tuple[Agent, int, int]]) -> Agent | None:
        for agent, s, e in bodies:                          # after: "(Body)", ", DSI de Body"
            if s >= end and _AFTER.match(sentence[end:s]):
                return agent
        for agent, s, e in reversed(bodies):                # before: "par Body, Name"
            if e <= start and _BEFORE.match(sentence[e:start]):
                return agent
        return None


def _share_bodies(sentence: str, found: list[PersonMention]) -> list[PersonMention]:
    """Names listed together share the body named with the list: "Pour Entr'ouvert : Léa
    Fournier, Yann Le Bihan" (the body before the first), "Anne Roux et Paul Morel (Brest)"
    (the body after the last)."""
    out = list(found)
    joined = lambda a, b: re.fullmatch(r"\s*(?:,|et|&)\s*", sentence[a.end:b.start]) is not None
    for i in range(1, len(out)):                            # forward: "Body : A, B"
        if out[i].org is None and out[i - 1].org is not None and joined(out[i - 1], out[i]) \
                and sentence.rfind(":", 0, out[i - 1].start) > sentence.rfind(")", 0, out[i - 1].start):
            out[i] = replace(out[i], org=out[i - 1].org)
    for i in range(len(out) - 2, -1, -1):                   # backward: "A et B (Body)"
        if out[i].org is None and out[i + 1].org is not None and joined(out[i], out[i + 1]):
            out[i] = replace(out[i], org=out[i + 1].org)
    return out
