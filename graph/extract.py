"""Read a club meeting report into the plain model (no rdflib).

Structure comes from content, not heading levels: a heading followed by a
"Descriptif" line is an organization card; "Présentation … par X et Y" is a
presentation; "Fichiers" lists attachments; "Atelier …" is a workshop; any other
heading is a session (or a part of the session above it). Inside sessions, requests,
offers, calls and the vendor's answers are found by the cue patterns of ``cues``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import cues, firstnames, nlp
from .evidence import claim
from .agents import AgentFinder
from .answers import align, answer_body
from .asks import find_ask, find_commitment, find_lead
from .document import Block, split_blocks
from . import frdates
from .frdates import FrDate, days_without_year, find_dates, is_real_day, parse_date
from .gazetteer import Gazetteer
from .lexicon import Lexicons
from .markup import to_markdown
from .mentions import find_mentions
from .people import FirstNames, PeopleFinder
from .model import (Agent, Attachment, Card, Figure, Milestone, Presentation, Report, Request,
                    Response, Session, Skipped)
from .text import clean, fold, plain, sentences, slug



def _tool_words(name: str) -> list[str]:
    """The words of a product name, split at spaces, hyphens and inner capitals:
    "Big Blue Button", "Big-Blue-Button" and "BigBlueButton" all give big, blue, button."""
    return [w for w in re.split(r"[\s\-_]+|(?<=[a-zà-ÿ])(?=[A-Z])", name) if w]


def tool_key(name: str) -> str:
    """The id of a tool found in the text: one for all spellings of its name."""
    return slug("".join(_tool_words(name)))


def tool_spelling(name: str) -> re.Pattern:
    """Any spelling of a product name, ignoring case, spaces and hyphens between its words."""
    words = [re.escape(w) for w in _tool_words(name)]
    return re.compile(r"(?<!\w)" + r"[\s\-_]?".join(words) + r"(?!\w)", re.I)


class NotAReport(ValueError):
    """The text does not look like a club meeting report."""


@dataclass
class Section:
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)
    kind: str = "session"          # title, session, card, presentation, attachments
    parent: "Section | None" = None
    participant: Agent | None = None   # the body a "Body (First Last)" heading names

    @property
    def title(self) -> str:
        return self.heading.text if self.heading else ""

    @property
    def span(self) -> tuple[int, int]:
        first = self.heading or (self.blocks[0] if self.blocks else None)
        last = self.blocks[-1] if self.blocks else self.heading
        return (first.start if first else 0, last.end if last else 0)


def _sections(blocks: list[Block]) -> list[Section]:
    out = [Section(None)]
    for b in blocks:
        if b.kind == "heading":
            out.append(Section(b))
        else:
            out[-1].blocks.append(b)
    return [s for s in out if s.heading or s.blocks]


def _figures(text: str) -> list[Figure]:
    out = []
    for m in cues.FIGURE.finditer(text):
        raw = re.sub(r"[ \u00a0\u202f.]", "", m.group("num"))
        unit = (m.group("u1") or m.group("u2")).strip()
        value = int(raw)
        is_year = len(raw) == 4 and 1950 <= value <= 2100 and raw == m.group("num")
        if is_year or unit == "%" or unit.lower() in {"e", "er", "eme", "ème", "h", "heures"}:
            continue
        if value == 0 or (not re.match(r"[a-zà-ÿ%]", unit, re.I)):
            continue
        stop = {"à", "a", "et", "ou", "de", "des", "du", "le", "la", "les", "en", "au", "aux", "sur"}
        if unit.split()[0].lower() in stop:
            continue
        out.append(Figure(value, unit, clean(m.group(0))))
    return out


class ReportParser:
    def __init__(self, text: str, lex: Lexicons, gaz: Gazetteer, name: str = "",
                 first_names: FirstNames | None = None):
        self.name = name                     # the source file's name: may carry the year
        text = to_markdown(text, name)       # Textile and HTML reports, line numbers kept
        self.doc = split_blocks(text)
        self.lex = lex
        self.gaz = gaz
        lower = set(re.findall(r"(?<![\w'’-])[a-zàâçéèêëîïôûùüÿœ]+", text))
        self.agents = AgentFinder(gaz, lower)
        self.people = PeopleFinder(self.agents, first_names or FirstNames(firstnames.is_first_name, firstnames.is_ambiguous),
                                   lambda name: bool(self.lex.tools.find_terms(name)))
        for b in self.doc.blocks:            # the bodies named anywhere, for their acronyms
            self.agents.learn(b.text)
        self.r = Report(line_count=self.doc.line_count)
        self.used: set[int] = set()          # start lines of blocks a rule consumed
        self._entities: dict | None = None      # sentence → language model entities
        self._sentence_line: dict[str, int] = {}  # sentence → the line its block starts
        self._speaking_for_vendor: set[str] | None = None

    # -- helpers -------------------------------------------------------------------

    def tools(self, text: str) -> list[str]:
        text = plain(text)
        found = [h.concept for h in self.lex.tools.find_terms(text)]
        named = [m.group("name") for m in [*cues.NEW_TOOL_APPOSITION.finditer(text), *cues.NEW_TOOL_KIND.finditer(text),
                                            *cues.NEW_TOOL_URL.finditer(text)]]
        named += [m.group("name") or m.group("named") for m in cues.NEW_TOOL_VIA.finditer(text)]
        # after a verb of use, a name is a product only if it names no one ("utilise Démarches
        # Simplifiées", not "a retenu Marie Dupont"); after a kind word it is one anyway
        named += [m.group("name") for m in cues.NEW_TOOL_USED.finditer(text) if not self._names_person(m.group("name"))]
        for m in cues.NEW_TOOL_LIST.finditer(text):      # "les logiciels de X (A, B, C)"
            items = [i.strip(" .") for i in re.split(r",\s*|\s+et\s+", m.group("list"))]
            if len(items) >= 2 and all(cues.PRODUCT_NAME.match(i) for i in items):
                named += items
        for name in named:
            if not self.lex.tools.find_terms(name) and not self._names_someone(name):
                tid = tool_key(name)                 # "Big Blue Button" and "BigBlueButton": one tool
                self.r.new_tools.setdefault(tid, name)
                found.append(tid)
        for tid, label in self.r.new_tools.items():
            if tool_spelling(label).search(text):
                found.append(tid)
        for t in found:
            if t not in self.r.tools_mentioned:
                self.r.tools_mentioned.append(t)
        return list(dict.fromkeys(found))

    def _names_someone(self, name: str) -> bool:
        """A body, not a product: "Rennes Métropole", "le SICTIAM"."""
        return bool(self.gaz.resolve(name)) or self.agents.names_whole(name) is not None

    @staticmethod
    def _names_person(name: str) -> bool:
        """"Marie Dupont": a first name given often enough, then a name."""
        words = name.split()
        return len(words) >= 2 and firstnames.is_first_name(words[0], min_births=500) and not firstnames.is_ambiguous(words[0])

    def topics(self, text: str) -> list[tuple[str, str, str]]:
        return [(h.concept, h.label, h.surface) for h in self.lex.topics.classify(text)]

    def claim(self, kind: str, subject, obj, line: int, quote: str, stage: str, rule: str = "") -> None:
        """Record why a fact is held (graph/evidence.py)."""
        self.r.claims.append(claim(kind, subject, obj, line, quote, stage, rule))

    def attend(self, *agents: Agent) -> None:
        for a in agents:
            if a.kind in ("organization", "person") and a not in self.r.attendees:
                self.r.attendees.append(a)

    def use(self, blocks: list[Block]) -> None:
        self.used.update(b.start for b in blocks)

    # -- whole document ------------------------------------------------------------

    def parse(self) -> Report:
        sections = _sections(self.doc.blocks)
        self._meeting(sections)
        self.r.vendor = self._other_vendor(sections)      # another software's users' meeting
        self.r.vendor_named = self.r.vendor is None and any(cues.VENDOR.search(b.text) for b in self.doc.blocks)
        if self.r.date is None and self.r.ordinal is None:
            if not any(cues.HELD.search(b.text) for b in self.doc.blocks[:12]):
                raise NotAReport("no meeting date, rank or sentence saying a meeting was held in the opening lines")
        self._classify(sections)
        self._attendance()
        session: Section | None = None
        for s in sections:
            if s.kind == "title":               # what the opening says besides the meeting itself
                self._session_content(Section(s.heading, [b for b in s.blocks if b.start not in self.used]))
            elif s.kind == "session":
                session = s if s.parent is None else session
                self._session_content(s)
            elif s.kind == "card":
                self._card(s)
            elif s.kind == "presentation":
                self._presentation_section(s, session)
            elif s.kind == "attachments":
                self._attachments(s)
            elif s.kind == "participant":
                for b in s.blocks:
                    self._statement(s.participant, b.text, b, s)
        self._people()
        self._mentions()
        answered = {c.subject for c in self.r.claims if c.kind == "answer"}
        for i, q in enumerate(self.r.requests):              # answers read by the layout rules
            if q.response is not None and i not in answered:
                self.claim("answer", i, None, q.response.span[0], q.response.text, "layout", "response")
        self._skipped()
        return self.r

    def _mentions(self) -> None:
        """Bodies named anywhere (headings, prose, list items): a participant where the
        words around say so (graph/mentions.py), else mentioned in the report."""
        names = {fold(a.label).split()[0] for a in self.agents.agents.values() if a.kind == "person" and a.label.split()}
        for b in self.doc.blocks:
            for sent in sentences(b.text) or [b.text]:
                for m in find_mentions(sent, self.agents):
                    if m.agent.body is not None and m.agent.body.kind == "commune" and fold(sent[m.start:m.end]) in names:
                        continue                    # "Marie propose …": Marie Kuntz's first name, not the commune
                    if m.role == "participant":
                        self.attend(m.agent)
                    elif m.agent not in self.r.mentioned:
                        self.r.mentioned.append(m.agent)
                    self.claim("attendee" if m.role == "participant" else "mentioned", m.agent, None, b.start, sent,
                               "mentions", m.rule)
        self.r.mentioned = [a for a in self.r.mentioned if a not in self.r.attendees]

    def _sentence_entities(self) -> dict:
        """Every sentence of the report with the language model's entities, analysed once."""
        if self._entities is None:
            self._sentence_line = {}
            for b in self.doc.blocks:
                for sent in sentences(clean(b.text)):
                    self._sentence_line.setdefault(sent, b.start)
            # only sentences where a name could be confirmed go to the model: a person is
            # two capitalised words at least (graph/people.py), so the others have none
            units = [u for u in self._sentence_line if self.people.could_name(u)]
            self._entities = dict.fromkeys(self._sentence_line, [])
            self._entities.update(zip(units, nlp.entities(units)))
        return self._entities

    def _vendor_people(self) -> set[str]:
        """Folded names of the people the report names with the vendor ("Présentation par
        Entr'ouvert : Julien Marchand"), known before the sessions are read."""
        if self._speaking_for_vendor is None:
            self._speaking_for_vendor = {fold(m.name) for sent, ents in self._sentence_entities().items()
                                         if cues.VENDOR.search(sent)
                                         for m in self.people.find(sent, ents) if m.org is not None and m.org.kind == "vendor"}
        return self._speaking_for_vendor

    def _people(self) -> None:
        """People named anywhere (graph/people.py), each sentence read with the language
        model's entities: a person the minutes name took part (spoke, presented, was
        there), unless the sentence says they were not ("excusé", "absente"), and the body
        named with them is their affiliation. A name the rules already read keeps its
        agent (its body is added when the rules had none)."""
        known = {fold(a.label): a for a in self.agents.agents.values() if a.kind == "person"}
        for sent, entities in self._sentence_entities().items():
            line = self._sentence_line[sent]
            for m in self.people.find(sent, entities):
                person = known.get(fold(m.name))
                if person is None:
                    person = known[fold(m.name)] = self.agents.person(m.name, m.org)
                if m.org is not None and not any(p is person for p, _ in self.r.affiliations):
                    self.r.affiliations.append((person, m.org))
                if m.role != "absent":
                    self.attend(person, *([m.org] if m.role == "speaker" and m.org else []))
                elif person not in self.r.attendees and person not in self.r.mentioned:
                    self.r.mentioned.append(person)
                self.claim("mentioned" if m.role == "absent" else "attendee", person, None, line, sent, "people", m.rule)
                if len(sentences(clean(next(b for b in self.doc.blocks if b.start == line).text))) == 1:
                    self.used.add(line)                 # a block that only names people is read
                if m.org is not None:
                    self.claim("affiliation", person, m.org, line, sent, "people", m.rule)

    def _meeting(self, sections: list[Section]) -> None:
        """Rank, title, date and place of the meeting, from the opening blocks. The date is
        chosen among candidates by how surely they date the meeting: the sentence saying it
        was held, then a date right after a meeting word ("compte rendu de la réunion du
        26/09"), the title, a "Date :" line, a dateline ("Strasbourg, 4 et 5 décembre
        2024"), any other sentence about the meeting, and last the file's name; the date a
        memo or an e-mail was written ("Envoyé : vendredi 27 septembre 2024") is not one."""
        head_blocks = [b for s in sections[:4] for b in ([s.heading] if s.heading else []) + s.blocks][:8]
        candidates: list[tuple[int, int, FrDate, Block | None]] = []     # (priority, order, date, block)
        for order, b in enumerate(head_blocks):
            self._ordinal(b.text)
            if b.kind == "heading" and not self.r.title:
                self.r.title = b.text
            if cues.DOCUMENT_DATE.match(b.text):
                continue
            if b.kind != "heading" and (date := self._meeting_particulars(b, head_blocks)) is not False:
                if date is not None:
                    candidates.append((3, order, date, None))
                continue
            if (date := self._date_after_meeting_word(b.text)) is not None:
                candidates.append((1, order, date, b if b.kind != "heading" else None))
            if b.kind == "heading":
                date = self._meeting_date(b.text)
                if date is not None and date.precision == "day":
                    if re.search(r"\b(?:réunion|club|rencontre|compte[ -]rendu|CR|comité|séance|assemblée|webinaire)\b", b.text, re.I):
                        candidates.append((2, order, date, None))     # "# Club Publik n°9 — 18 juin 2020"
                    elif cues.DATELINE.match(plain(b.text)):
                        candidates.append((4, order, date, None))     # "## Amiens, jeudi 13 novembre 2025"
                    else:
                        candidates.append((6, order, date, None))     # "## Jour 1 — lundi 19 janvier 2026"
                    self._dateline(b.text)        # "Réunion du 17 novembre 2022, Hôtel du Département, Bordeaux"
                continue
            if (m := cues.DATELINE.match(plain(b.text))) is not None and (date := self._meeting_date(m.group("date"))):
                candidates.append((4, order, date, None))
                self._dateline(plain(b.text))
                continue
            if not cues.MEETING_WORDS.search(b.text):
                continue
            said = self._meeting_sentence(b.text)
            held = bool(cues.HELD.search(said))
            date = self._meeting_date(said, any_year=held) or self._meeting_date(b.text)
            if date is not None:
                candidates.append((0 if held else 5, order, date, b))
        if candidates:
            _p, _o, self.r.date, block = min(candidates, key=lambda c: (c[0], c[1]))
        held = block if candidates and block is not None else next(
            (b for b in head_blocks if b.kind != "heading" and cues.HELD.search(b.text)), None) or next(
            (b for b in head_blocks if b.kind != "heading" and (cues.HOST.search(b.text) or cues.RECEIVED_BY.search(b.text))
             and cues.MEETING_WORDS.search(b.text)), None)
        if held is not None:
            self._meeting_place(held, self._meeting_sentence(held.text), head_blocks)
            self.use([held])
        elif self.r.host is None:
            self._thanked_host(head_blocks)
        if self.r.attendance is None:          # "Réunion en visio (Jitsi), 14h00-15h45"
            self.r.attendance = next((mode for b in head_blocks for sent in sentences(clean(b.text))
                                      if cues.MEETING_WORDS.search(sent) and not cues.EARLIER_PLACE.search(sent)
                                      and (mode := self._attendance_mode(sent))), None)
        named = re.match(r"^((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?(?!\d)", self.name)
        if self.r.date is None and named and 1 <= int(named.group(2)) <= 12:   # the text gives none: the file's name
            y, mo, d = named.groups()
            if d is None or is_real_day(y, int(mo), int(d)):
                value = "-".join(filter(None, (y, mo, d)))
                self.r.date = FrDate(value, "day" if d else "month", value)

    def _ordinal(self, text: str) -> None:
        """The meeting's rank, the first time the opening gives one ("9ème réunion", "la
        onzième fois", "Comité de pilotage n°3")."""
        if self.r.ordinal is not None:
            return
        m = cues.ORDINAL_DIGITS.search(text)
        if m:
            self.r.ordinal = int(m.group(1) or m.group(2))
            return
        folded = fold(text)
        for word, n in sorted(cues.ORDINAL_WORDS.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"\b(?:la |le |les )?{word}s? (?:reunion|rencontre|club|edition|comite|assemblee|seance)s?\b"
                         rf"|\breunion {word}\b|\bpour la {word} fois\b", folded):
                self.r.ordinal = n
                return

    def _date_after_meeting_word(self, text: str) -> FrDate | None:
        """A date right after a word naming the meeting: "la réunion du 26/09", "séance du
        jeudi 3 octobre", "le club s'est tenu le 4 juin 2024"."""
        m = cues.MEETING_DATED.search(plain(text))
        if m is None:
            return None
        rest = m.group("rest")
        num = re.match(r"(\d{1,2})/(\d{1,2})(?![/\d])", rest)
        if num and 1 <= int(num.group(2)) <= 12:         # "26/09": the year the report gives elsewhere
            strong, every = self._years()
            for y in (strong or every)[:1]:
                if is_real_day(y, int(num.group(2)), int(num.group(1))):
                    value = f"{y}-{int(num.group(2)):02d}-{int(num.group(1)):02d}"
                    return FrDate(value, "day", num.group(0))
            return None
        date = self._meeting_date(rest[:80])
        return date if date is not None and date.start < 12 else None

    def _other_vendor(self, sections: list[Section]) -> Agent | None:
        """The vendor of another software's users' meeting, as its opening names it
        ("Comité des utilisateurs des logiciels de Libriciel SCOP"): a body outside the
        official lists, never a collectivity."""
        head = [b for s in sections[:3] for b in ([s.heading] if s.heading else []) + s.blocks][:6]
        for b in head:
            for m in cues.USERS_OF.finditer(plain(b.text)):
                hit = self.agents.at(m.group("who"))
                if hit is not None and hit[0].kind == "organization" and hit[0].body is None and not hit[0].candidates:
                    return hit[0]
                # "utilisateurs de Lizmap, organisées par 3Liz": the software's maker
                if hit is None and (by := cues.ORGANISED_BY.search(plain(b.text), m.end())) is not None \
                        and not cues.VENDOR.search(by.group("who")) \
                        and not self.gaz.resolve(by.group("who")) and not self._names_person(by.group("who")):
                    return self.agents.at(by.group("who"))[0] if self.agents.at(by.group("who")) \
                        else self.agents.organization(by.group("who"))
        return None

    def _meeting_particulars(self, b: Block, head: list[Block]) -> FrDate | None | bool:
        """A "key : value" line of the opening giving the meeting's date or place ("**Date :**
        mardi 21 mars 2023, 9h30", "Lieu : Sète, salle du conseil de Sète Agglopôle"): the
        place is a commune, then the room or building after the comma. Returns the date a
        "Date :" line gives (None for a place line), False for any other block."""
        if (m := cues.META_DATE.match(b.text)) is not None:
            self.use([b])
            return self._meeting_date(m.group("value"))
        if (m := cues.META_HOST.match(b.text)) is not None:
            found = [a for a in self.agents.who(m.group("value").strip(" .*_")) if a.kind in ("organization", "vendor")]
            if found and self.r.host is None:
                self.r.host = found[0]
                self.attend(found[0])
            self.use([b])
            return None
        if (m := cues.META_PLACE.match(b.text)) is None:
            return False
        self._place(m.group("value").strip(" .*_"))
        if self.r.host is None:
            self._thanked_host(head)
        self.use([b])
        return None

    def _place(self, value: str) -> None:
        """A place written as comma-separated parts ("le Forum, siège de Grenoble-Alpes
        Métropole, Grenoble", "Saintes, siège de Soluris, salle du comité syndical"): the
        part that is a commune is the town, "siège de X" / "locaux de X" names the host, the
        first other part is the venue; "en ligne, sur …" is an online meeting."""
        if cues.ONLINE.search(value) or re.match(r"^(?:en\s+ligne|à\s+distance|visio)", value, re.I):
            self.r.attendance = "online"
            return
        venue = None
        for part in [p.strip(" .") for p in re.split(r",|\s+[-–—]\s+", value) if p.strip(" .")]:
            body = self.gaz.resolve(part)
            if body is not None and body.kind == "commune" and len(part.split()) <= 4:
                self.r.venue_city = self.agents.body(part)[0]
            elif (own := cues.PREMISES_OF.match(part)) is not None:
                found = [a for a in self.agents.who(own.group("who")) if a.kind == "organization"]
                if found and self.r.host is None:
                    self.r.host = found[0]
                    self.attend(found[0])
            elif venue is None and not find_dates(part) and not re.search(r"\d{1,2}\s*h", part) \
                    and len(re.sub(r"\b(?:le|la|les|l'|du|de|des)\b", "", part, flags=re.I).strip()) > 2:
                venue = re.sub(r"\s*\([^()]*\)\s*$", "", re.sub(r"^(?:le|la|les|l')\s*(?=\w)", "", part, flags=re.I))
        if venue:
            self.r.venue = self._venue_name(venue)
        if self.r.attendance is None and (venue or self.r.venue_city):
            self.r.attendance = "offline"

    @staticmethod
    def _meeting_sentence(text: str) -> str:
        """The sentence of a paragraph that says the meeting was held (else the first one
        about the meeting): where its date, place and mode are read, not in the sentences
        after it, which may date other things or recall earlier meetings."""
        said = sentences(clean(text)) or [text]
        return next((x for x in said if cues.HELD.search(x)),
                    next((x for x in said if cues.MEETING_WORDS.search(x)), said[0]))

    def _years(self) -> tuple[list[str], list[str]]:
        """Candidate years for days quoted without one: the title's and file name's, then
        every year the report mentions."""
        pattern = r"(?<!\d)(?:19|20)\d\d(?!\d)"
        strong = re.findall(pattern, " ".join([self.r.title, self.name]))
        mentioned = re.findall(pattern, " ".join(b.text for b in self.doc.blocks))
        return strong, [*strong, *mentioned]

    def _meeting_date(self, text: str, any_year: bool = False) -> FrDate | None:
        """The first day (or span of days) a text gives, with or without its year. A day
        without a year takes the title's or file name's year; one with a weekday takes
        the first year mentioned anywhere in the report in which that day has that weekday
        ("mercredi 7 juin" in a report that mentions 2024 and 2023 is 7 June 2023); with
        ``any_year`` (the sentence saying the meeting was held), a day without a weekday
        takes the first year the report mentions ("les 3 et 4 décembre derniers" under
        "Toulouse, le 15 décembre 2025")."""
        dated = [d for d in find_dates(text) if d.precision in ("day", "month")]
        strong, every = self._years()
        bare = days_without_year(text, strong) if strong else []
        if not bare:     # a weekday fixes the year; the sentence saying the meeting was held may do without
            bare = [d for d in days_without_year(text, every)
                    if any_year or re.match(frdates.WEEKDAYS, d.text)]
        found = sorted(dated + bare, key=lambda d: d.start)
        return found[0] if found else None

    def _meeting_place(self, b: Block, said: str, head: list[Block]) -> None:
        """Where, by whom, on what occasion and how the meeting was held, from the sentence
        that says it was held (``said``) and the thanks in the opening blocks (``head``)."""
        text = b.text
        host = cues.HOST.search(said) or cues.HOST.search(text) or next(
            (m for h in head if h.kind != "heading" and (m := cues.HOST.search(h.text))
             and (cues.HELD.search(h.text) or cues.MEETING_WORDS.search(h.text))
             and not cues.EARLIER_PLACE.search(h.text[:m.start()])), None)
        received = cues.RECEIVED_BY.search(said)
        if host and not self._names_person(host.group("who").strip()):
            found = [a for a in self.agents.who(host.group("who")) if a.kind in ("organization", "vendor")]
            self.r.host = found[0] if found else self.agents.organization(host.group("who"))
            self.attend(self.r.host)
        elif received and (found := [a for a in self.agents.who(received.group("who")) if a.kind == "organization"]):
            self.r.host = found[0]                  # "Brest métropole recevait … la réunion"
            self.attend(self.r.host)
        else:
            self._thanked_host(head)
        occ = cues.OCCASION.search(said) or cues.OCCASION.search(text)
        if occ:
            self.r.occasion = occ.group("what").strip()
        mode = self._attendance_mode(said)
        for m in [*cues.VENUE.finditer(said), *cues.BUILDING.finditer(said)]:
            venue = cues.VENUE_END.split(m.group("venue"), maxsplit=1)[0].strip()
            if (not venue or cues.HOST.match(m.group(0).strip(", ")) or fold(venue).startswith("l invitation")
                    or cues.EARLIER_PLACE.search(said[max(0, m.start() - 60):m.start()])):
                continue
            body = self.gaz.resolve(venue)
            if body and body.kind == "commune":
                if self.r.venue_city is None:       # "à Arles, dans la salle d'honneur …": the town, then the room
                    self.r.venue_city = self.agents.body(venue)[0]
                continue
            if self.r.venue is None:
                self.r.venue = self._venue_name(venue)
            if self.r.venue_city is not None:
                break
        if self.r.venue is None and self.r.venue_city is None:
            self._dateline(said)
        if mode == "online":                        # an online meeting has no venue
            self.r.venue = self.r.venue_city = None
        if self.r.venue_city is None and mode != "online" and self.r.host and self.r.host.body:
            hb = self.r.host.body
            city = hb if hb.kind == "commune" else self.gaz.seat(hb) if hb.kind == "epci" else None
            if city:
                self.r.venue_city = self.agents.body(city.name)[0] if self.gaz.resolve(city.name) == city else None
        if mode is None and (self.r.venue or self.r.venue_city
                             or self.r.occasion and cues.PHYSICAL_OCCASION.match(self.r.occasion)):
            mode = "offline"                        # held in a place (or at a trade fair's)
        self.r.attendance = mode

    def _venue_name(self, venue: str) -> str:
        """A venue as a reader names it: "salle du conseil communautaire de Sète Agglopôle"
        is the room, owned by the body named after it."""
        m = re.match(r"^(?P<room>.+?)\s+(?:de\s+la\s+|du\s+|de\s+l'|de\s+|d')(?P<owner>[A-ZÉÈ].+)$", venue)
        if m and cues.ROOM.match(m.group("room")) and self.agents.names_whole(m.group("owner")) is not None:
            return m.group("room")
        return venue

    def _dateline(self, said: str) -> None:
        """"Réunion du jeudi 17 novembre 2022, Hôtel du Département, Bordeaux": the place
        after the date, the town last."""
        date = next(iter(find_dates(said)), None)
        if date is None:
            return
        text = clean(said)
        at = re.search(re.escape(date.text.split()[-1]), text)      # the date's last word ("2022")
        before = text[:at.start()] if at else ""
        first = re.search(re.escape(date.text.split()[0]), before)
        before = before[:first.start()] if first else before
        after = ",".join(text[at.end() if at else 0:].split(",")[1:])
        for side in (before, after):                  # "Marseille, Palais du Pharo - 13/02/2025" or "…2022, Hôtel, Bordeaux"
            side = re.sub(r"^\W*(?:réunion|rencontre|séance|club|comité|compte[ -]rendu)\b[^,]*$", "", side.strip(" -–—,*_"), flags=re.I)
            parts = [p for p in re.split(r",|\s+[-–—]\s+", side) if p.strip(" .")]
            if parts and 1 <= len(parts) <= 3 and all(len(p.split()) <= 8 for p in parts) \
                    and any((t := self.gaz.resolve(p.strip(" ."))) is not None and t.kind == "commune" for p in parts):
                self._place(side)
                return

    @staticmethod
    def _attendance_mode(said: str) -> str | None:
        """"online", "offline" or "mixed" as the sentence says ("à distance", "en
        présentiel", "en format hybride"), else None."""
        if cues.MIXED.search(said):
            return "mixed"
        online, offline = bool(cues.ONLINE.search(said)), bool(cues.OFFLINE.search(said))
        return "mixed" if online and offline else "online" if online else "offline" if offline else None

    def _thanked_host(self, head: list[Block]) -> None:
        """"Nous remercions l'équipe de Villejuif pour son accueil": the body thanked for
        hosting is the host (its staff stand for it)."""
        for b in head:
            if b.kind == "heading":
                continue
            for sentence in sentences(clean(b.text)):
                m = cues.HOST_THANKS.search(sentence)
                if not m or cues.EARLIER_PLACE.search(sentence):
                    continue
                who = cues.STAFF_OF.sub("", m.group("who").strip())
                found = [a for a in self.agents.who(who) if a.kind in ("organization", "vendor")]
                if found:
                    self.r.host = found[0]
                    self.attend(self.r.host)
                    return

    def _classify(self, sections: list[Section]) -> None:
        top_level: int | None = None
        current_top: Section | None = None
        for i, s in enumerate(sections):
            h = s.heading
            first = s.blocks[0].text if s.blocks else ""
            if h is None:
                s.kind = "title"
                continue
            if i <= 1 and self.r.title == h.text and re.search(r"réunion|club|compte[ -]rendu|\bCR\b", h.text, re.I):
                s.kind = "title"
            elif cues.DESCRIPTION.match(first) or cues.EVOLUTIONS.match(first) and self.gaz.resolve_all(h.text):
                s.kind = "card"
            elif cues.ATTACHMENTS.match(h.text):
                s.kind = "attachments"
            elif (found := self._participant(h.text)) is not None:
                s.kind = "participant"
                s.participant = found[0]
                self.use([h])
            elif (found := self._participant(h.text, alone=True)) is not None:   # a heading naming one body
                if any(self._card_key(b.text) for b in s.blocks):
                    s.kind = "card"                 # "Ouverture : mars 2018", "Outils : Publik, …"
                else:
                    s.kind, s.participant = "participant", found[0]
                    self.use([h])
            elif cues.PRESENTATION.match(h.text) and not cues.WORKSHOP.match(h.text):
                s.kind = "presentation"
            else:
                s.kind = "session"
                workshop = bool(cues.WORKSHOP.match(h.text))
                if top_level is None or h.level <= top_level:
                    top_level = h.level if top_level is None else top_level
                    current_top = s
                elif not workshop and current_top is not None:
                    s.parent = current_top
                self.r.sessions.append(Session(h.text, s.span, workshop,
                                               s.parent.title if s.parent else None))
                self.use([h])
            if s.kind in ("title",):
                self.use([h])

    # -- sessions: requests, answers, offers, calls ----------------------------------

    def _new_request(self, kind: str, text: str, raisers: list[Agent], blocks: list[Block],
                     section: Section, stage: str = "layout", rule: str = "") -> Request:
        text = clean(text).strip(" ;:,.")
        req = Request(kind=kind, text=text, raisers=raisers,
                      span=(blocks[0].start, blocks[-1].end), session=section.title,
                      tools=self.tools(text), topics=self.topics(text))
        # "… déjà évoqué lors du Club de juin 2019": the request was first raised then
        earlier = cues.EARLIER_MEETING.search(" ".join(b.text for b in blocks))
        if earlier and (when := parse_date(earlier.group("when"))):
            req.first_raised = when
            if when not in self.r.referenced_meetings:
                self.r.referenced_meetings.append(when)
        elif cues.PREVIOUS_MEETING.search(" ".join(b.text for b in blocks)):
            req.raised_at_previous = True
        self.r.requests.append(req)
        self.claim("request", len(self.r.requests) - 1, None, blocks[0].start, text, stage, rule or kind)
        self.attend(*raisers)
        self.use(blocks)
        return req

    def _response(self, text: str, blocks: list[Block]) -> Response:
        stances = [name for name, pat in cues.STANCES if pat.search(text)] or ["unclear"]
        alt = cues.ALTERNATIVE.search(text) if "alternative-offered" in stances else None
        self.use(blocks)
        return Response(text=clean(text).strip(" ;:,"), stances=stances,
                        alternative=clean(alt.group("alt")).strip(" .") if alt else None,
                        span=(blocks[0].start, blocks[-1].end), tools=self.tools(text))

    def _split_response(self, text: str) -> tuple[str, str | None]:
        m = cues.RESPONSE.search(text)
        if not m:
            return text, None
        return text[:m.start()], text[m.end():]

    def _raised_by(self, text: str) -> tuple[int, list[Agent]] | None:
        """Who the last "évoqué(s) par X" of a text names, and where the phrase starts."""
        found = list(cues.RAISED_BY.finditer(text))
        if not found:
            return None
        m = found[-1]
        who = self.agents.who(re.split(r"\s+(?:pourra|peut|pourrait|sera|a|est|avec)\s|[,;.:(]", text[m.end():])[0])
        return (m.start(), who) if who else None

    def _raisers_in(self, text: str, default: list[Agent]) -> list[Agent]:
        hit = self._raised_by(text)
        return hit[1] if hit else default

    def _session_content(self, s: Section) -> None:
        blocks = s.blocks
        last_request: Request | None = None
        # Bullets right under a "Demandes" / "Roadmap" heading are the participants' requests.
        list_raisers: list[Agent] | None = [self.agents.group("participants")] \
            if s.heading is not None and cues.REQUEST_SECTION.search(s.title) else None
        i = 0
        unanswered_from = len(self.r.requests)     # requests of this section since the last answer
        while i < len(blocks):
            b = blocks[i]
            text = b.text
            open_requests = [q for q in self.r.requests[unanswered_from:] if q.response is None]
            if open_requests and (said := answer_body(clean(text), self._answers_for)) is not None:
                self._answer_together(open_requests, said, b)
                unanswered_from = len(self.r.requests)
                i += 1
                continue
            body, answer = self._split_response(text)
            body = body.strip()
            if b.kind == "para":
                list_raisers = None
            if not body and answer is not None:                  # the answer to the request above
                if last_request is not None and last_request.response is None:
                    last_request.response = self._response(answer, [b])
                    last_request.span = (last_request.span[0], b.end)
                i += 1
                continue
            req = self._request_from(b, body, s, list_raisers)
            if req is not None:
                if answer is not None:
                    req.response = self._response(answer, [b])
                    req.raisers = self._raisers_in(answer, req.raisers)
                last_request = req
            elif b.kind == "para" and text.rstrip().endswith(":") \
                    and (asking := find_lead((sentences(clean(text)) or [text])[-1], self.agents)) is not None:
                list_raisers = asking
                self.use([b])
            elif b.kind == "para" and text.rstrip().endswith(":") and cues.LIST_LEAD.search(text):
                hit = self._raised_by(text.rstrip(" :"))
                list_raisers = hit[1] if hit else [self.agents.group("participants")]
                self.use([b])
            elif b.kind == "para" and cues.PRESENTATION.match(text) and text.rstrip().endswith(":"):
                j = i + 1
                while j < len(blocks) and blocks[j].kind == "item":
                    j += 1
                self._presentation(text.rstrip(" :"), blocks[i:j], s)
                i = j
                continue
            elif list_raisers is None and (asked := self._prose_asks(b, s, last_request)):
                last_request = asked
            elif b.kind == "para" and self._sentence_statements(b, s):
                pass
            self._evaluations(text)
            if self._uses_said(text):
                self.use([b])
            about = self.r.session_about.setdefault(s.title, [])
            about += [t for t in self.tools(text) if t not in about]
            i += 1

    def _prose_asks(self, b: Block, s: Section, last: Request | None) -> Request | None:
        """Requests a paragraph says in prose (graph/asks.py), each answered by the vendor's
        commitment that follows it in the paragraph; a commitment opening the paragraph
        answers the request before it. The last request read, or None if none and no
        answer was read."""
        answered = False
        said_apart = re.split(r"\s+(?=(?:→|->|=>|⇒)\s)", plain(clean(b.text)))     # "… dossier. → Libriciel : c'est prévu"
        for sent in [x for part in said_apart for x in sentences(part)]:
            if (ask := find_ask(sent, self.agents)) is not None:
                last = self._new_request("FeatureRequest", ask.text, ask.who, [b], s, "asks", "verb")
                answered = True
            elif last is not None and last.response is None and (reply := answer_body(sent, self._answers_for)):
                last.response = self._response(reply, [b])
                last.span = (last.span[0], b.end)
                answered = True
            elif (said := find_commitment(sent)) is not None and last is not None and last.response is None:
                last.response = Response(text=said.text, stances=[said.stance], alternative=None,
                                         span=(b.start, b.end), tools=self.tools(said.text))
                self.claim("answer", self._index(last), None, b.start, said.text, "answers", "commitment")
                last.span = (last.span[0], b.end)
                self.use([b])
                answered = True
        return last if answered else None

    def _index(self, request: Request) -> int:
        return next(i for i, q in enumerate(self.r.requests) if q is request)

    def _answers_for(self, who: str) -> bool:
        """Whether ``who`` answers for the vendor: the vendor, "l'éditeur", or a person the
        report affiliates with the vendor ("Julien Marchand a répondu")."""
        if cues.VENDOR.search(who) or re.fullmatch(r"(?:l'éditeur|l'équipe(?:\s+projet)?)", who.strip(), re.I):
            return True
        if self.r.vendor is not None and any(fold(who).startswith(fold(n)) or fold(n).startswith(fold(who))
                                             for n in self.r.vendor.surface | {self.r.vendor.label}):
            return True
        return fold(who) in self._vendor_people() or any(
            fold(p.label) == fold(who) and o.kind == "vendor" for p, o in self.r.affiliations)

    def _answer_together(self, requests: list[Request], said: str, b: Block) -> None:
        """One answer for the requests before it: all of it for a single request, else each
        part to the request it is about (graph/answers.py)."""
        if len(requests) == 1:                  # all of it, if it is about the request or takes a stance
            about = align([requests[0].text], said) or any(p.search(said) for _n, p in cues.STANCES)
            matched = {0: said} if about else {}
        else:
            matched = align([q.text for q in requests], said)
        if not matched:
            return
        for i, part in matched.items():
            requests[i].response = self._response(part, [b])
            requests[i].span = (requests[i].span[0], b.end)
            self.claim("answer", self._index(requests[i]), None, b.start, part, "answers", "together")
        self.use([b])

    def _sentence_statements(self, b: Block, s: Section) -> bool:
        """A paragraph of several participants' turns, each sentence led by its body ("Pour
        Alfortville, projet …", "À Meyzieu, portail en place …"): each read as that body's
        statement."""
        said = sentences(b.text)
        if len(said) < 2:
            return False
        found = False
        for sent in said:
            lead = self._lead(b, sent)
            if lead and (who := self._participant(lead[0], alone=True)) is not None:
                self._statement(who[0], lead[1], b, s)
                found = True
        return found

    # -- participants ----------------------------------------------------------------

    @staticmethod
    def _lead(b: Block, body: str) -> tuple[str, str] | None:
        """(who, what they said) of a block led by a name: "Who : text" (emphasis around the
        name dropped: "**Who** : text") or "Pour Who, text" / "À Who, text". The caller
        keeps it only when "who" is a participant."""
        m = cues.EMPHASIS_LEAD.match(body) or cues.PARTICIPANT_ITEM.match(body) or cues.PREPOSITION_LEAD.match(body)
        return (m.group("who").strip("*_ "), m.group("text")) if m else None

    def _participant(self, text: str, alone: bool = False) -> tuple[Agent, list[Agent]] | None:
        """"Body (First Last, …)" or "Body, First Last, …": the body and its people
        (``alone``: a body named without people is a participant too)."""
        m = cues.PARTICIPANT_HEADING.match(text)
        head, people = (m.group("body"), m.group("people")) if m else (text, "")
        parts = [p.strip() for p in re.split(r",\s*|\s+et\s+", head + ("," + people if people else "")) if p.strip()]
        if len(parts) < (1 if alone else 2) or not all(cues.PERSON.match(p) for p in parts[1:]):
            return None
        hit = self.agents.at(parts[0])
        if hit is None or hit[1] != parts[0].strip(" ,;:.()") or hit[0].kind != "organization":
            return None
        org = hit[0]
        persons = [self.agents.person(p, org) for p in parts[1:]]
        self.attend(org, *persons)
        for p in persons:
            if (p, org) not in self.r.affiliations:
                self.r.affiliations.append((p, org))
        return org, persons

    def _attendance(self) -> None:
        """Who attended: a sentence ("Étaient présents : Montreuil, Rouen et la CAPI."), or
        the items under a lead-in ("… Étaient présents :") or under a "Participants"
        heading, one attendee each: "Isabelle Pourret (Ville de Vincennes)", "Ville de
        Nancy : Olivier Simon, Marie Durand", "Loïc Dayot - DSI de Villejuif", "Rouen",
        people as sub-items of their body…"""
        listing = ""                                    # "heading" / "lead": items are attendees
        org_item: tuple[Agent, int] | None = None       # the body an item named, and its depth
        for b in self.doc.blocks:
            if b.kind == "heading":
                listing, org_item = ("heading" if cues.ATTENDANCE_HEADING.match(b.text) else ""), None
                continue
            if b.kind == "item" and listing:
                org = org_item[0] if org_item and b.level > org_item[1] else None
                found = self._attendee(b.text, org)
                if found:
                    self.claim("attendee", found, None, b.start, b.text, "layout", "attendance")
                    self.use([b])
                    if found.kind == "organization":
                        org_item = (found, b.level)
                continue
            if listing == "lead":
                listing = ""
            last = sentences(b.text)[-1] if b.text else ""
            m = cues.ATTENDANCE.match(last) if b.kind in ("para", "item") else None
            if m is None:
                continue
            if not m.group("list").strip():
                listing = listing or "lead"
                if last == b.text:                      # the lead-in alone (else the rest is left unread)
                    self.use([b])
                continue
            listed = m.group("list").rstrip(" .")
            found = self._listed_people(listed)
            rest = listed
            for p in found:                     # what is left names bodies alone
                rest = rest.replace(p, " " * len(p), 1)
            found_bodies = self.agents.who(re.sub(r"\(\s*\)", " ", rest))
            if found or found_bodies:
                self.attend(*found_bodies)
                for a in found_bodies:
                    self.claim("attendee", a, None, b.start, b.text, "layout", "attendance")
                self.use([b])

    def _listed_people(self, listed: str) -> list[str]:
        """People of an attendance sentence ("Paul Roux (Brest), Anne Le Gall et Marc Petit
        (Quimper), Rennes"), read by the people stage: each attends with their body; names
        that run up to a body in parentheses share it. Returns the text each person took
        (name and parenthesis), for the caller to read the rest as bodies."""
        found = self.people.find(listed, nlp.entities([listed])[0])
        taken = []
        for i, m in enumerate(found):
            org = m.org
            j = i
            while org is None and j + 1 < len(found) and re.fullmatch(r"\s*(?:,|et)\s*", listed[found[j].end:found[j + 1].start]):
                j += 1
                org = found[j].org
            person = self.agents.person(m.name, org)
            self.attend(person, *([org] if org else []))
            if org is not None and (person, org) not in self.r.affiliations:
                self.r.affiliations.append((person, org))
            paren = re.match(r"\s*\([^()]*\)", listed[m.end:])
            taken.append(listed[m.start:m.end + (paren.end() if paren else 0)])
        return taken

    def _attendee(self, text: str, org: Agent | None) -> Agent | None:
        """The organization or person one attendance item names (with its people or body)."""
        text = text.strip(" .;")
        if (found := self._participant(text, alone=True)) is not None:
            return found[0]
        who, sep, rest = text.partition(":")
        if sep and (found := self._participant(f"{who.strip()}, {rest.strip()}")) is not None:
            return found[0]
        m = re.match(r"^(?P<name>[^,(]+?)(?:\s*(?:,|\(|\s[-–—]\s)\s*(?P<rest>.*))?$", text)
        name, rest = (m.group("name").strip(), (m.group("rest") or "").strip(" )")) if m else (text, "")
        if not cues.PERSON.match(name) or self.agents.at(name) is not None or " : " in rest:
            return None
        if rest:
            if cues.VENDOR.search(rest):
                org = self.agents.vendor()
            else:
                orgs = [a for a, _s, _e in self.agents.find_all(rest) if a.kind == "organization"]
                org = orgs[0] if orgs else org
        person = self.agents.person(name, org)
        self.attend(person)
        if org is not None:
            self.attend(org)
            if (person, org) not in self.r.affiliations:
                self.r.affiliations.append((person, org))
        return person

    def _statement(self, org: Agent, text: str, b: Block, s: Section) -> list[Request]:
        """What a participant said: each clause that asks for something is a request;
        the tools it names are used (or evaluated, when it says it is testing them)."""
        body, answer = self._split_response(text)
        for sent in sentences(body):           # "utilise Publik et teste Tracim": Tracim is evaluated
            if m := cues.EVALUATION.search(sent):
                for t in self.tools(sent[m.start():]):
                    if (org, t) not in self.r.evaluations:
                        self.r.evaluations.append((org, t))
        clauses = re.split(r"\s*;\s*|(?<=[.!?])\s+", body)
        for c in clauses:
            if cues.PORTAL_OPENING.search(c) and (d := parse_date(c)) is not None and org not in self.r.portal_of:
                planned = d.planned or bool(self.r.date and d.first_day() > self.r.date.last_day()) \
                    or bool(re.search(r"\b(?:doit|devrait|va|ouvrira|prévu\w*)\b", c, re.I))
                self.r.portals.append(Milestone(d, clean(c), planned, (b.start, b.end)))
                self.r.portal_of.append(org)
        asking = [c for c in clauses if cues.STATEMENT_REQUEST.search(c)]
        # "Demande des participants : X" said by this participant: the request is X
        asks = [m.group("text") if (m := cues.REQUEST_LEAD.match(c)) else c for c in asking]
        made = [self._new_request("FeatureRequest", clause, [org], [b], s) for clause in asks]
        if made and answer is not None:
            made[-1].response = self._response(answer, [b])
        self.use([b])
        evaluated = {t for a, t in self.r.evaluations if a is org}
        said = " ".join(c for c in clauses if c not in asking)   # a tool only wished for is not used
        for t in self.tools(said):
            if t not in evaluated and (org, t) not in self.r.uses:
                self.r.uses.append((org, t))
        return made

    def _request_from(self, b: Block, body: str, s: Section, list_raisers: list[Agent] | None) -> Request | None:
        if not body:
            return None
        if list_raisers is None and (lead := self._lead(b, body)):
            found = self._participant(*lead[:1], alone=True)
            if found:
                made = self._statement(found[0], lead[1], b, s)
                return made[-1] if made else None
        if b.kind == "item" and list_raisers is not None:
            hit = self._raised_by(body)
            raisers = hit[1] if hit else list_raisers
            text = body[:hit[0]].rstrip(" ,(") if hit and hit[0] > 0 else body
            led = cues.TOPIC_WHO_LEAD.match(plain(body)) or cues.PARTICIPANT_ITEM.match(plain(body))
            if hit is None and led is not None:    # "Pays Voironnais : …", "Doublons (VdM) : …"
                who = [a for a in self.agents.who(led.group("who")) if a.kind in ("organization", "person")]
                if who and len(led.group("who").split()) <= 8:
                    raisers, text = who, led.group("text")
            req = self._new_request("FeatureRequest", text.split(" : ")[0] if cues.SHARE.search(text) else text,
                                    raisers, [b], s)
            if cues.SHARE.search(body):
                offer = self._new_request("SharingOffer", body.split(" : ", 1)[-1], raisers, [b], s)
                offer.related = self.r.requests.index(req)
            return req
        m = cues.INTERVENTION.match(body)
        if m and re.search(r"demande|besoin|souhait|rappeler|demander", body, re.I):
            who = self.agents.who(m.group("who"))
            text = m.group("rest").split(" : ", 1)[-1] if " : " in m.group("rest") else m.group("rest")
            return self._new_request("FeatureRequest", text, who, [b], s)
        m = cues.REQUEST_LEAD.match(plain(body)) or cues.QUESTION_LEAD.match(plain(body))
        if m:
            who = self.agents.who(m.group("who")) or [self.agents.group(m.group("who"))]
            return self._new_request("FeatureRequest", m.group("text"), who, [b], s)
        m = cues.WISH.match(body)
        if m and len(m.group("who").split()) <= 6:
            who = self.agents.who(m.group("who"))
            if who:
                kind = "SharingOffer" if cues.SHARE.search(body) else "FeatureRequest"
                return self._new_request(kind, body if kind == "SharingOffer" else m.group("text"), who, [b], s)
        if cues.CALL.search(body) and b.kind == "para":
            text = body.split(" : ", 1)[-1] if re.match(r"^[\w ]{1,30} : ", body) else body
            return self._new_request("CallForProposals", text, [self.agents.vendor()], [b], s)
        return None

    def _evaluations(self, text: str) -> None:
        """"X est en cours de test de cette solution, en parallèle avec Y" → X evaluates."""
        lead = re.match(r"^[\w ]{1,30} : ", text)
        body = text[lead.end():] if lead else text
        for sent in sentences(body):
            if not (cue := cues.EVALUATION.search(sent)):
                continue
            for agent, start, _end in self.agents.find_all(sent):
                if agent.kind != "organization":
                    continue
                tools = self.tools(sent[max(start, cue.start()):])     # "utilise A et teste B": B
                if cues.DEMONSTRATIVE.search(sent[start:]):
                    before = self.tools(sent[:start])
                    tools = before[:1] + tools
                for t in tools:
                    if (agent, t) not in self.r.evaluations:
                        self.r.evaluations.append((agent, t))
                self.attend(agent)

    def _uses_said(self, text: str) -> bool:
        """"Rouen utilise Publik depuis 2016" → Rouen uses Publik: the body named last
        before the verb, the tools named after it (not "n'utilise plus")."""
        found = False
        for sent in sentences(text):
            m = cues.USE.search(sent)
            if m is None or cues.EVALUATION.search(sent):
                continue
            subjects = [a for a, start, _e in self.agents.find_all(sent[:m.start()]) if a.kind == "organization"]
            tools = self.tools(sent[m.end():])
            if subjects and tools:
                for t in tools:
                    if (subjects[-1], t) not in self.r.uses:
                        self.r.uses.append((subjects[-1], t))
                self.attend(subjects[-1])
                found = True
        return found

    # -- presentations ---------------------------------------------------------------

    def _presentation(self, title: str, blocks: list[Block], session: Section | None) -> Presentation:
        title = clean(title)
        p = Presentation(title=title, span=(blocks[0].start, blocks[-1].end),
                         session=session.title if session else None)
        sp = cues.SPEAKERS.search(title)
        who_text = sp.group("who") if sp else None
        if who_text is None:
            m = re.match(r"^.*?\b(?:de la|du|de l'|de|d')\s+(?P<who>[A-ZÉÈ].*)$", title)
            who_text = m.group("who") if m else None
        if who_text:
            # "par Frédéric Péters (Entr'ouvert)": the speaker and the body they speak for
            paren = re.match(r"^(?P<people>[^()]+?)\s*\((?P<body>[^()]+)\)\s*$", who_text)
            found = self.agents.who(paren.group("people")) + self.agents.who(paren.group("body")) if paren \
                else self.agents.who(who_text)
            for a in found:
                if a.kind == "person" and not self.lex.tools.find_terms(a.label):   # "de Publik Studio": a tool
                    p.speakers.append(a)
                elif a.kind != "person" and p.presenter is None:
                    p.presenter = a
            if paren and p.presenter is not None:
                for person in p.speakers:
                    if (person, p.presenter) not in self.r.affiliations:
                        self.r.affiliations.append((person, p.presenter))
            if sp and (p.speakers or p.presenter):
                p.title = title[:sp.start()].strip()
        content = " ".join(b.text for b in blocks[1:]) if len(blocks) > 1 else ""
        p.about = self.tools(content)
        p.figures = _figures(content)
        self.attend(*p.speakers, *([p.presenter] if p.presenter else []))
        for b in blocks[1:]:
            self._evaluations(b.text)
        self.r.presentations.append(p)
        self.use(blocks)
        return p

    def _presentation_section(self, s: Section, session: Section | None) -> None:
        self._presentation(s.title, [s.heading] + s.blocks, session)
        rest = Section(s.heading, [b for b in s.blocks if b.kind != "para" or not cues.PRESENTATION.match(b.text)])
        self._session_content(rest)

    # -- organization cards ----------------------------------------------------------

    def _card(self, s: Section) -> None:
        agents = self.agents.body(s.title) or [self.agents.organization(s.title)]
        card = Card(agents=agents, heading=s.title, span=s.span)
        self.attend(*agents)
        part = None
        desc_lines: list[str] = []
        card_text: list[str] = []
        for b in s.blocks:
            m_desc = cues.DESCRIPTION.match(b.text) if b.kind == "para" else None
            m_evo = cues.EVOLUTIONS.match(b.text) if b.kind == "para" else None
            if m_desc and part is None:
                part = "desc"
                paren = m_desc.group("paren") or ""
                if cues.OPENING.search(paren):
                    card.opening = parse_date(paren)
                    card.opening_planned = bool(card.opening and card.opening.planned)
                portal = cues.PORTAL_NAME.search(m_desc.group("after") or "")
                if portal:
                    card.portal_name = portal.group("name")
                inline = (m_desc.group("text") or "").strip()
                if inline:
                    desc_lines.append(inline)
                    self._card_item(card, inline, b)
                continue
            if m_evo:
                part = "evo"
                inline = (m_evo.group("text") or "").strip()
                if inline:
                    self._evolution(card, inline, b, s)
                continue
            card_text.append(b.text)
            if part != "evo" and self._keyed_item(card, b.text, b, s):
                continue
            if part == "evo":
                self._evolution(card, b.text, b, s)
            else:
                desc_lines.append(b.text)
                self._card_item(card, b.text, b)
        card.description = "\n".join(desc_lines)
        evaluated = {t for a, t in self.r.evaluations if a in agents}
        lines = desc_lines + [self.r.requests[i].text for i in card.evolutions]
        card.tools_used = [t for t in dict.fromkeys(t for ln in lines for t in self.tools(ln))
                           if t not in evaluated]
        for ln in lines:        # other names the report gives these bodies ("Ville de Toulouse")
            self.agents.find_all(ln)
        for a in agents:
            for t in card.tools_used:
                self.r.uses.append((a, t))
        self.r.cards.append(card)
        self.use([s.heading] + s.blocks)

    @staticmethod
    def _card_key(text: str) -> str | None:
        """What a "key : value" line of a card gives: "opening", "tools", "testing",
        "projects", "needs", "count" or "portal"."""
        m = cues.KEY_VALUE.match(text)
        if m is None:
            return None
        key = m.group("key").strip(" *_")
        for kind, pattern in (("count", cues.KEY_COUNT), ("projects", cues.KEY_PROJECTS), ("needs", cues.KEY_NEEDS),
                              ("portal", cues.KEY_PORTAL), ("opening", cues.KEY_OPENING)):
            if pattern.search(key):
                return kind
        if cues.KEY_TOOLS.search(key):
            return "testing" if cues.KEY_TESTING.search(key) else "tools"
        return None

    def _keyed_item(self, card: Card, text: str, b: Block, s: Section) -> bool:
        """A "key : value" line of a card, read by its key; False when the key says nothing."""
        kind = self._card_key(text)
        if kind is None:
            return False
        m = cues.KEY_VALUE.match(text)
        key, value = m.group("key").strip(" *_"), m.group("value").strip()
        if kind == "opening" and (d := parse_date(value)) is not None and card.opening is None:
            card.opening = d
            card.opening_planned = d.planned or bool(self.r.date and d.first_day() > self.r.date.last_day())
        elif kind == "count" and (n := re.match(r"^(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)\b", value)):
            card.figures.append(Figure(int(re.sub(r"\D", "", n.group(1))), cues.KEY_COUNT.match(key).group("unit"),
                                       clean(text)))
        elif kind == "portal":
            card.portal_name = value.rstrip(". ")
        elif kind == "projects":
            self._evolution(card, value, b, s)
        elif kind == "needs":
            self._new_request("FeatureRequest", value, card.agents, [b], s)
        elif kind == "testing":
            for a in card.agents:
                for t in self.tools(value):
                    if (a, t) not in self.r.evaluations:
                        self.r.evaluations.append((a, t))
        else:                                       # tools: the description names them
            return False
        return True

    def _card_item(self, card: Card, text: str, b: Block) -> None:
        dated = re.match(r"^(?P<when>[^:]{2,30}?)\s*:\s*(?P<what>.+)$", text)
        date = parse_date(dated.group("when")) if dated else None
        if date is None:
            date = parse_date(text)
        if date is not None:
            when = dated.group("what") if dated and parse_date(dated.group("when")) else text
            planned = date.planned or bool(re.search(r"\bprojet\b|\bprévu|\bà terme\b", text, re.I)) or (
                self.r.date is not None and date.first_day() > self.r.date.last_day())
            card.milestones.append(Milestone(date, clean(when), planned, (b.start, b.end)))
        card.figures += _figures(text)
        self._evaluations(text)

    def _evolution(self, card: Card, text: str, b: Block, s: Section) -> None:
        items = [text]
        lead = re.match(r"^(?P<lead>[^:]{3,40}?)\s*:\s*(?P<rest>.+)$", text)
        if lead:
            parts = [p.strip() for p in re.split(r",\s+(?=\w)", lead.group("rest").rstrip(". "))]
            verbs = [p for p in parts if re.match(r"^[a-zàâéèêîôûç]+(?:er|ir|re)\b", p) or re.match(r"^[a-zàâéèêîôûç]+(?:tion|ment|ure|age)\b", p)]
            if len(parts) > 1 and len(verbs) == len(parts) and all(len(p.split()) >= 3 for p in parts):
                items = [f"{p}" for p in parts]
        for item in items:
            self._new_request("PlannedEvolution", item, card.agents, [b], s)
            card.evolutions.append(len(self.r.requests) - 1)
        card.figures += _figures(text)
        self._evaluations(text)

    # -- attachments -----------------------------------------------------------------

    def _attachments(self, s: Section) -> None:
        self.use([s.heading])
        current: Attachment | None = None
        for b in s.blocks:
            for raw in b.raw.splitlines() or [b.text]:
                line = clean(raw)
                if cues.FILE_NAME.match(line):
                    current = Attachment(name=line, span=(b.start, b.end))
                    self.r.attachments.append(current)
                elif current is not None and cues.FILE_SIZE.search(line):
                    m = cues.FILE_SIZE.search(line)
                    current.size_text = m.group(0)
                    mult = {"octets": 1, "ko": 1e3, "kb": 1e3, "mo": 1e6, "mb": 1e6, "go": 1e9, "gb": 1e9}
                    current.size_bytes = int(float(m.group("num").replace(",", ".")) * mult[m.group("unit").lower()])
                    current.date = parse_date(line[m.end():]) or current.date
                    current.span = (current.span[0], b.end)
                elif current is not None and cues.PERSON.match(line):
                    current.creator = self.agents.person(line)
                    current.span = (current.span[0], b.end)
                else:
                    continue
                self.use([b])

    def _skipped(self) -> None:
        for b in self.doc.blocks:
            if b.start not in self.used:
                reason = "heading not used" if b.kind == "heading" else "no extraction rule matched"
                self.r.skipped.append(Skipped(b.start, b.text[:200], reason))


def parse_report(text: str, lex: Lexicons, gaz: Gazetteer, name: str = "",
                 first_names: FirstNames | None = None) -> Report:
    """Parse one report's text into a Report (``name``: its file name, a hint for the year;
    ``first_names``: the shipped first-name data unless given)."""
    return ReportParser(text, lex, gaz, name, first_names).parse()
