"""Recognise who is named in a piece of text: public bodies, the vendor, groups, people."""
from __future__ import annotations

import re

from . import cues, firstnames
from .gazetteer import Gazetteer
from .model import Agent
from .text import clean, fold

# Words that may start the name of a body even in lower case ("le département du Nord").
_BODY_WORDS = r"(?:ville|mairie|commune|département|departement|conseil|région|region|métropole|metropole|eurométropole|communauté|agglomération)"
_START = re.compile(rf"(?<![\w'’-])(?:(?i:{_BODY_WORDS})\b|[A-ZÉÈÀÂÎ])")
# Another body's name as far as it goes: its kind, then its territory or its own words
# ("CCAS de Rouen", "SDIS 13", "Syndicat mixte Manche Numérique"), not the clause after it.
_OTHER_NAMED = re.compile(rf"(?:{cues.OTHER_BODY.pattern.lstrip('^')})(?:\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’]|"
                          r"[A-ZÉÈÀ0-9][\w'’-]*|mixtes?|intercommuna\w+|départementa\w+|informatiques?|"
                          r"communa\w+|public|numérique|d'action|sociale))*")
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
_MINOR = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "sur", "a", "au", "aux"}


def initials(name: str) -> str | None:
    """The acronym a body's name makes, from the initials of its words (small words left
    out): "Métropole Européenne de Lille" → "MEL"; None for a name of fewer than 3 words
    kept, since "Grand Lyon" → "GL" would be a guess."""
    kept = [w for w in re.split(r"[\s'’-]+", clean(name)) if w and w.lower() not in _MINOR]
    if len(kept) < 3 or not all(w[0].isalpha() for w in kept):
        return None
    return "".join(w[0] for w in kept).upper()


class AgentFinder:
    """Finds agents in text; keeps one Agent object per real-world body per report."""

    def __init__(self, gazetteer: Gazetteer, common_words: set[str]):
        self.gaz = gazetteer
        self.common = common_words          # words the report also uses in lower case
        self.agents: dict[str, Agent] = {}
        self.acronyms: dict[str, Agent] = {}   # initials of bodies the report names: "MEL"
        self.named: dict[str, Agent] = {}      # folded name → a body named with its kind
        self._found: dict[tuple, list] = {}     # find_all's answers

    def _intern(self, agent: Agent, surface: str) -> Agent:
        known = self.agents.setdefault(agent.key, agent)
        known.surface.add(clean(surface))
        if known.kind == "organization":
            for name in (surface, known.label):
                if (acronym := initials(name)) and not self.gaz.resolve(acronym):
                    self.acronyms.setdefault(acronym, known)
        return known

    def learn(self, text: str) -> None:
        """Read the bodies a text names, so the names and acronyms they introduce are known
        before they are met elsewhere: bodies named with their kind ("un syndicat
        informatique, le SIIM94", "Libriciel SCOP"), initials ("… de la Métropole Européenne
        de Lille. Merci aux équipes de la MEL")."""
        for pattern in cues.NAMED_BY_KIND:
            for m in pattern.finditer(clean(text)):
                name = m.group("name")
                if not self.gaz.resolve(name) and fold(name) not in self.named:
                    self.named[fold(name)] = self._intern(Agent(name), name)
        self.find_all(text)

    def vendor(self, surface: str = "Entr'ouvert") -> Agent:
        return self._intern(Agent("Entr'ouvert", kind="vendor"), surface)

    def group(self, surface: str) -> Agent:
        return self._intern(Agent("participants", kind="group"), surface)

    def person(self, name: str, org: Agent | None = None) -> Agent:
        """A person; named with an organization, one per (organization, name)."""
        return self._intern(Agent(clean(name), kind="person", within=org.key if org else ""), name)

    def body(self, surface: str) -> list[Agent]:
        """Agents named by a heading or a phrase (several for "A et B")."""
        return [self._intern(Agent(b.name, body=b), part) for b, part in self.gaz.resolve_all(surface)]

    def organization(self, surface: str) -> Agent:
        """An organization the gazetteer does not know, named as written; when several
        official bodies bear the name, they are kept as its candidates (not guessed)."""
        candidates = tuple(self.gaz.candidates(surface))
        label = candidates[0].name if candidates else clean(surface)
        return self._intern(Agent(label, candidates=candidates), surface)

    def _plausible(self, phrase: str) -> bool:
        if re.match(r"(?:La|Le|Les|L['’])\s*[a-zà-ÿ]", phrase):       # "La réunion a eu lieu": no name
            return False
        if phrase[:1].islower() and " " not in phrase:                 # "la ville centre": not Villé
            return False
        first = phrase.split()[0]
        if re.fullmatch(r"CD(?:\d{2}|2[AB]|97\d)", phrase):              # "CD13": a département by its code
            return True
        if phrase in self.acronyms or fold(phrase) in self.named:     # initials or a name the report gave
            return True
        if first.isupper() and len(first) > 1 and " " not in phrase:   # an acronym: only a body's own
            body = self.gaz.resolve(phrase)
            return body is not None and (body.kind == "aai" or phrase == body.acronym     # "SICOVAL": "CA du Sicoval"
                                         or fold(phrase) == self.gaz.short_name(body))
        return not (first[:1].isupper() and first.lower() in self.common and " " not in phrase)

    def at(self, text: str, max_words: int = 8) -> tuple[Agent, str] | None:
        """The agent named at the start of text (longest name first)."""
        text = text.strip()
        if cues.VENDOR.match(text):
            return self.vendor(cues.VENDOR.match(text).group(0)), cues.VENDOR.match(text).group(0)
        g = cues.GROUP.match(text)
        if g:
            return self.group(g.group(0)), g.group(0)
        whole = text.strip(" ,;:.()«»\"")
        if cues.OTHER_BODY.match(whole) and (named := _OTHER_NAMED.match(whole)):   # "CCAS de Rouen" is not Rouen
            name = re.sub(r"(?:\s+(?:de\s+la|de\s+l'|du|des|de|d'))+$", "", named.group(0))
            if len(name.split()) <= max_words:
                return self._intern(Agent(clean(name)), name), name
        article = re.match(r"(?:le|la|les|l['’])\s*(?=[A-ZÉÈ])", text, re.I)
        bare = text[article.end():] if article else text
        for key, agent in self.named.items():   # a body the report named with its kind ("le SICTIAM")
            m = re.match(r"[\w'’-]+(?:\s+[\w'’-]+){%d}(?![\w'’-])" % (len(key.split()) - 1), bare)
            if m and fold(m.group(0)) == key:
                return agent, text[:len(text) - len(bare) + m.end()]
        word = re.match(r"[A-ZÉÈ]{2,6}(?![\w'’-])", text)
        if word and word.group(0) in self.acronyms and not self.gaz.resolve(word.group(0)):
            agent = self.acronyms[word.group(0)]
            agent.surface.add(word.group(0))
            return agent, word.group(0)
        tokens = [m for m in _TOKEN.finditer(text)][:max_words * 2]
        for n in range(len(tokens), 0, -1):
            phrase = text[:tokens[n - 1].end()].strip(" ,;:.()«»\"")
            if not phrase or not phrase[0].isalpha() or not self._plausible(phrase):
                continue
            if self.gaz.resolve(phrase):
                found = self.body(phrase)
                if found:
                    return found[0], phrase
            elif self.gaz.candidates(phrase):
                return self.organization(phrase), phrase
        return None

    def names_whole(self, text: str) -> Agent | None:
        """The organization or vendor ``text`` names, all of it ("Rennes Métropole", not the
        "Rennes" of "Rennes Métropole (DSI)")."""
        hit = self.at(text)
        return hit[0] if hit is not None and hit[0].kind in ("organization", "vendor") \
            and len(hit[1]) >= len(text.strip()) - 1 else None

    def who(self, phrase: str) -> list[Agent]:
        """Agents of a "who" phrase: bodies ("Rouen et Metz"), a group, the vendor or a person."""
        phrase = clean(phrase).strip(" ,;:.")
        if cues.VENDOR.search(phrase) and len(phrase) < 30:
            return [self.vendor()]
        g = cues.GROUP.search(phrase)
        if g and not self.gaz.resolve(phrase):
            return [self.group(g.group(0))]
        out: list[Agent] = []
        for part in re.split(r"\s+(?:et|&)\s+|\s*,\s*", phrase):
            hit = self.at(part)
            if hit:
                out.append(hit[0])
            elif cues.PERSON.match(part) and firstnames.is_first_name(part.split()[0]):
                out.append(self.person(part))           # "Le SICTIAM" is no one
        return out

    def find_all(self, text: str) -> list[tuple[Agent, int, int]]:
        """Every body named in text, with its character span, left to right (remembered per
        text while the names the report introduced stay the same)."""
        key = (text, len(self.named), len(self.acronyms))
        if key not in self._found:
            self._found[key] = self._find_all(text)
        return list(self._found[key])

    def _find_all(self, text: str) -> list[tuple[Agent, int, int]]:
        out = []
        pos = 0
        while True:
            m = _START.search(text, pos)
            if not m:
                return out
            hit = self.at(text[m.start():])
            if hit:
                out.append((hit[0], m.start(), m.start() + len(hit[1])))
                pos = m.start() + len(hit[1])
            else:
                nxt = re.search(r"[\s'’-]", text[m.start():])
                pos = m.start() + (nxt.end() if nxt else len(text) - m.start())
