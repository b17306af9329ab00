"""Map a parsed Report to RDF: the report's facts, and official facts about its bodies.

IRIs are stable across re-ingests: meetings by date, bodies by official code, people
by normalised name, requests by a digest of their kind and text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from .frdates import FrDate
from .gazetteer import Body, Gazetteer
from .model import Agent, Figure, Report
from .resolution import (Known, Lookups, Person, before_key, initial_form, initial_of, initial_key, month_key,
                         name_key)
from .text import slug
from .vocab import CLUB, TOOL, TOPIC

SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "http://127.0.0.1:8000/"

KIND_CLASS = {"commune": CLUB.Commune, "departement": CLUB.Departement, "region": CLUB.Region,
              "aai": CLUB.IndependentAuthority}
EPCI_CLASS = {"metropole": CLUB.Metropole, "communaute-urbaine": CLUB.CommunauteUrbaine,
              "communaute-agglomeration": CLUB.CommunauteAgglomeration,
              "communaute-communes": CLUB.CommunauteCommunes}
# How a meeting was attended: schema.org's own individuals (schema:EventAttendanceModeEnumeration).
ATTENDANCE_MODES = {"online": SCHEMA.OnlineEventAttendanceMode, "offline": SCHEMA.OfflineEventAttendanceMode,
                    "mixed": SCHEMA.MixedEventAttendanceMode}
PRECISION = {"day": CLUB.DayPrecision, "month": CLUB.MonthPrecision,
             "season": CLUB.SeasonPrecision, "year": CLUB.YearPrecision}
STANCE = {"accepted": CLUB.Accepted, "planned": CLUB.Planned, "under-study": CLUB.UnderStudy,
          "declined-for-now": CLUB.DeclinedForNow, "alternative-offered": CLUB.AlternativeOffered,
          "unclear": CLUB.Unclear}
FR = "fr"


def fr(text: str) -> Literal:
    return Literal(text, lang=FR)


def short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n - 1].rsplit(" ", 1)[0] + "…"


def date_literal(d: FrDate | str) -> Literal:
    value = d.value if isinstance(d, FrDate) else d
    return Literal(value, datatype={10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)])


@dataclass
class Iris:
    """Mints the IRIs of one dataset under a base."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/") + "/"
        self.id = Namespace(self.base + "id/")

    def graph(self, kind: str, name: str = "") -> URIRef:
        return URIRef(f"{self.base}graph/{kind}" + (f"/{name}" if name else ""))

    def report_graphs(self, report_id: str) -> dict[str, URIRef]:
        return {"facts": self.graph("report", report_id),
                "reference": self.graph("reference", report_id),
                "provenance": self.graph("provenance", report_id)}

    def meeting(self, when: str) -> URIRef:
        return self.id[f"meeting/{when}"]

    def person_org(self, iri: str) -> str:
        """The organization key in a person's IRI ('' for a person named without one)."""
        path = iri[len(str(self.id["person/"])):].split("/")
        return path[0] if len(path) == 2 else ""

    def body(self, b: Body) -> URIRef:
        return self.id[f"org/{b.key}"]

    def agent(self, a: Agent, meeting: URIRef, org: Agent | None = None) -> URIRef:
        """The agent's IRI; a person's is keyed by normalised full name within the
        organization the report affiliates them with (the same name elsewhere is another IRI)."""
        if a.kind == "vendor":
            return CLUB.EntrOuvert
        if a.kind == "group":
            return URIRef(f"{meeting}/participants")
        if a.kind == "person":
            return self.id[f"person/{org.key}/{slug(a.label)}" if org is not None else f"person/{slug(a.label)}"]
        if a.body:
            return self.body(a.body)
        return self.id[f"org/{a.key if a.candidates else slug(a.label)}"]


def reference_graph(g: Graph, iris: Iris, bodies: list[Body], gaz: Gazetteer) -> None:
    """Official facts (COG, bodies list) about the bodies a report names, and their parents."""
    seen: set[tuple[str, str]] = set()

    def add(b: Body) -> URIRef:
        node = iris.body(b)
        if (b.kind, b.key) in seen:
            return node
        seen.add((b.kind, b.key))
        g.add((node, RDF.type, EPCI_CLASS.get(b.subkind, CLUB.EPCI) if b.kind == "epci" else KIND_CLASS[b.kind]))
        g.add((node, SKOS.prefLabel, fr(b.name)))
        if b.acronym:
            g.add((node, SKOS.altLabel, fr(b.acronym)))
        if b.kind in ("commune", "departement", "region"):
            g.add((node, CLUB.inseeCode, Literal(b.code)))
        if b.siren:
            g.add((node, CLUB.siren, Literal(b.siren)))
        if b.population:
            g.add((node, CLUB.population, Literal(b.population)))
        if b.kind == "commune":
            if b.epci and (e := gaz.get("epci", b.epci)):
                g.add((node, CLUB.memberOfEpci, add(e)))
            if b.departement and (d := gaz.get("departement", b.departement)):
                g.add((node, CLUB.inDepartement, add(d)))
        if b.kind == "departement" and b.region and (r := gaz.get("region", b.region)):
            g.add((node, CLUB.inRegion, add(r)))
        return node

    for b in bodies:
        add(b)


class ReportMapper:
    def __init__(self, report: Report, report_id: str, iris: Iris, gaz: Gazetteer,
                 known: Known | None = None):
        self.r = report
        self.lookup = Lookups(known or Known())   # partial mentions, answered by other reports
        self.affiliation = _affiliations(report)
        self.full_name = _initials(report, self.affiliation)
        self.rid = report_id
        self.iris = iris
        self.gaz = gaz
        self.g = Graph()
        when = report.date.value if report.date else f"rank-{report.ordinal}" if report.ordinal else f"report-{report_id}"
        self.meeting = iris.meeting(when)
        self.report_node = iris.id[f"report/{report_id}"]

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def agent(self, a: Agent) -> URIRef:
        if a.kind == "person":
            return self.person(self.full_name.get(a.key, a))
        node = self.iris.agent(a, self.meeting)
        if a.kind == "group":
            self.add(node, RDF.type, CLUB.ParticipantGroup)
            self.add(node, SKOS.prefLabel, fr(f"participants de la réunion du {self.r.date.value if self.r.date else self.rid}"))
            self.add(self.meeting, CLUB.group, node)
        elif a.kind == "organization" and a.body is None:
            self.add(node, RDF.type, CLUB.Organization)
            self.add(node, SKOS.prefLabel, fr(a.label))
            for c in a.candidates:          # an ambiguous name: recorded, not guessed
                self.add(node, CLUB.candidate, self.iris.body(c))
        if a.kind in ("group", "organization"):
            for s in sorted(a.surface):
                self.add(node, SKOS.altLabel, fr(s))
        return node

    def person(self, a: Agent) -> URIRef:
        """A person's IRI within the organization the report affiliates them with. Named by
        initial, they are the one person of that organization other reports name so in
        full; named by initial or without organization, whoever may match is recorded as a
        candidate, not guessed."""
        org = self.affiliation.get(a.key)
        node = self.iris.agent(a, self.meeting, org)
        form = initial_form(a.label)
        matches: tuple[str, ...] = ()
        if form:
            matches = self.lookup(initial_key(org.key if org else "", *form))
        elif org is None:
            matches = self.lookup(name_key(a.label))
        if form and org and len(matches) == 1:
            node = URIRef(matches[0])
            self.add(node, RDF.type, CLUB.Person)
            self.add(node, SKOS.hiddenLabel, Literal(a.label))
            return node
        self.add(node, RDF.type, CLUB.Person)
        self.add(node, SKOS.prefLabel, Literal(a.label))
        self.add(node, FOAF.name, Literal(a.label))
        for c in matches:
            self.add(node, CLUB.candidate, URIRef(c))
        return node

    # the statement each kind of claim is about: (subject, predicate, object) of the facts graph
    def _claimed(self, c) -> tuple | None:
        if c.kind == "attendee":
            return self.meeting, CLUB.attendee, self.agent(c.subject)
        if c.kind == "mentioned":
            return self.agent(c.subject), CLUB.mentionedIn, self.report_node
        if c.kind == "affiliation" and c.object is not None:
            return self.agent(c.subject), CLUB.affiliation, self.agent(c.object)
        nodes = getattr(self, "request_nodes", [])
        if c.kind == "request" and c.subject < len(nodes):
            return nodes[c.subject], RDF.type, CLUB[self.r.requests[c.subject].kind]
        if c.kind == "answer" and c.subject < len(nodes):
            return nodes[c.subject], CLUB.response, URIRef(f"{nodes[c.subject]}/response")
        return None

    def evidence(self) -> Graph:
        """One club:Evidence per claim (an rdf:Statement of the fact it supports, with its
        line, quote, stage, rule and prior confidence), for the report's provenance graph."""
        g = Graph()
        for i, c in enumerate(self.r.claims):
            stmt = self._claimed(c)
            if stmt is None or stmt not in self.g:
                continue
            node = URIRef(f"{self.report_node}/evidence/{i}")
            ev = c.evidence
            for p, o in ((RDF.type, CLUB.Evidence), (RDF.type, RDF.Statement), (RDF.subject, stmt[0]),
                         (RDF.predicate, stmt[1]), (RDF.object, stmt[2]), (CLUB.startLine, Literal(ev.line)),
                         (CLUB.quote, fr(ev.quote)), (CLUB.stage, Literal(ev.stage)), (CLUB.rule, Literal(ev.rule)),
                         (CLUB.confidence, Literal(f"{ev.confidence:.2f}", datatype=XSD.decimal)),
                         (PROV.wasDerivedFrom, self.report_node)):
                g.add((node, p, o))
        return g

    def entity(self, node, cls, label: Literal, span=None) -> None:
        """Type, label and (when given) source lines of a minted node."""
        self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, label)
        if span is not None:
            self.lines(node, span)

    def lines(self, node, span) -> None:
        self.add(node, CLUB.startLine, Literal(span[0]))
        self.add(node, CLUB.endLine, Literal(span[1]))
        self.add(node, PROV.wasDerivedFrom, self.report_node)

    def date(self, node, d: FrDate, planned: bool | None = None) -> None:
        self.add(node, CLUB.date, date_literal(d))
        self.add(node, CLUB.datePrecision, PRECISION[d.precision])
        self.add(node, CLUB.dateText, fr(d.text))
        if d.qualifier:
            self.add(node, CLUB.dateQualifier, fr(d.qualifier))
        if d.end:
            self.add(node, CLUB.endDate, date_literal(d.end))
        if planned is not None:
            self.add(node, CLUB.status, CLUB.PlannedStatus if planned else CLUB.Done)

    def tool(self, tid: str) -> URIRef:
        if tid in self.r.new_tools:
            node = self.iris.id[f"tool/{tid}"]
            self.add(node, RDF.type, CLUB.SoftwareTool)
            self.add(node, RDFS.label, fr(self.r.new_tools[tid]))
            self.add(node, SKOS.prefLabel, fr(self.r.new_tools[tid]))
            return node
        return TOOL[tid]

    def figure(self, parent, fig: Figure, i: int) -> None:
        node = URIRef(f"{parent}/figure/{i}")
        self.add(parent, CLUB.figure, node)
        self.add(node, RDF.type, CLUB.Figure)
        self.add(node, RDFS.label, fr(fig.text))
        self.add(node, CLUB.value, Literal(fig.value))
        self.add(node, CLUB.unitText, fr(fig.unit))

    def earlier_meeting(self, d: FrDate) -> URIRef:
        """The meeting a report refers to by its date ("le Club de juin 2019"): the loaded
        meeting of that date, or of that month when there is exactly one; else a placeholder
        dated as precisely as the text says, with the meetings of that month as candidates."""
        held = self.lookup(month_key(d.value[:7]))
        if d.value in held:
            return self.iris.meeting(d.value)
        if len(d.value) == 7 and len(held) == 1:
            return self.iris.meeting(held[0])
        node = self.iris.meeting(d.value)
        self.add(node, RDF.type, CLUB.Meeting)
        self.add(node, RDFS.label, fr(f"Réunion du club ({d.value})"))
        self.date(node, d)
        for date in held if len(d.value) == 7 else ():
            self.add(node, CLUB.candidate, self.iris.meeting(date))
        return node

    def previous_meeting(self) -> URIRef | None:
        """"La dernière réunion": the last loaded meeting before this one, when it is known
        (looked up again when a report arrives or leaves)."""
        if self.r.date is None or self.r.date.precision != "day":
            return None
        held = self.lookup(before_key(self.r.date.value))
        return self.iris.meeting(held[0]) if held else None

    def planned_after_meeting(self, d: FrDate) -> bool:
        return bool(self.r.date and d.first_day() > self.r.date.last_day())

    # -------------------------------------------------------------------------------

    def map(self) -> Graph:
        r, m = self.r, self.meeting
        self.add(m, RDF.type, CLUB.Meeting)
        label = f"{r.ordinal}{'re' if r.ordinal == 1 else 'e'} réunion du Club des utilisateurs Publik" if r.ordinal else "Réunion du Club des utilisateurs Publik"
        self.add(m, RDFS.label, fr(label + (f" ({r.date.value})" if r.date else "")))
        self.add(m, SCHEMA.name, fr(label))
        if r.ordinal:
            self.add(m, CLUB.ordinal, Literal(r.ordinal))
        if r.date:
            self.date(m, r.date)
            self.add(m, SCHEMA.startDate, date_literal(r.date))
            if r.date.end:                     # a meeting over several days
                self.add(m, SCHEMA.endDate, date_literal(r.date.end))
        if r.attendance:
            self.add(m, CLUB.attendanceMode, ATTENDANCE_MODES[r.attendance])
        if r.vendor_named:                     # the vendor organizes only when the text names it
            self.add(m, CLUB.vendor, CLUB.EntrOuvert)
        elif r.vendor is not None:             # another software's users' meeting
            self.add(m, CLUB.vendor, self.agent(r.vendor))
        self.add(m, CLUB.report, self.report_node)
        self.add(self.report_node, RDF.type, CLUB.Report)
        self.add(self.report_node, RDFS.label, fr(r.title or self.rid))
        if r.occasion:
            self.add(m, CLUB.occasion, fr(r.occasion))
        if r.host:
            self.add(m, CLUB.host, self.agent(r.host))
        if r.venue or r.venue_city:
            venue = self.iris.id[f"place/{slug(r.venue or r.venue_city.label)}"]
            self.add(m, CLUB.venue, venue)
            self.add(venue, RDF.type, CLUB.Venue)
            self.add(venue, RDFS.label, fr(r.venue or r.venue_city.label))
            if r.venue_city:
                self.add(venue, CLUB.city, self.agent(r.venue_city))
        for a in r.attendees:
            self.add(m, CLUB.attendee, self.agent(a))
        for a in r.mentioned:              # named in the report, not shown at the meeting
            self.add(self.agent(a), CLUB.mentionedIn, self.report_node)
        self._sessions()
        self._presentations()
        self._cards()
        self._requests()
        self._attachments()
        for d in r.referenced_meetings:
            self.add(m, CLUB.refersTo, self.earlier_meeting(d))
        for org, opening in zip(r.portal_of, r.portals):      # said in a participant's statement
            o = self.agent(org)
            portal = URIRef(f"{self.meeting}/portal/{slug(org.key)}")
            self.entity(portal, CLUB.Portal, fr(f"Portail Publik : {org.label}"), opening.span)
            self.add(portal, CLUB.text, fr(opening.text))
            self.date(portal, opening.date, opening.planned)
            self.add(o, CLUB.portal, portal)
        for a, t in r.evaluations:
            self.add(self.agent(a), CLUB.evaluates, self.tool(t))
        for a, t in r.uses:
            self.add(self.agent(a), CLUB.uses, self.tool(t))
        for person, org in r.affiliations:
            self.add(self.agent(person), CLUB.affiliation, self.agent(org))
        for t in r.tools_mentioned:
            self.add(m, CLUB.about, self.tool(t))
        for s in r.skipped:
            node = URIRef(f"{self.report_node}/line/{s.line}")
            self.add(self.report_node, CLUB.skippedLine, node)
            self.add(node, RDFS.label, fr(short(s.text)))
            self.add(node, CLUB.reason, Literal(s.reason, lang="en"))
            self.add(node, CLUB.startLine, Literal(s.line))
        return self.g

    def session_node(self, title: str) -> URIRef:
        return URIRef(f"{self.meeting}/session/{slug(title)}")

    def _sessions(self) -> None:
        titles = {s.title for s in self.r.sessions}
        for s in self.r.sessions:
            node = self.session_node(s.title)
            self.entity(node, CLUB.Workshop if s.workshop else CLUB.Session, fr(s.title), s.span)
            self.add(node, SCHEMA.name, fr(s.title))
            if s.parent:
                self.add(node, SCHEMA.superEvent, self.session_node(s.parent))
            else:
                self.add(self.meeting, CLUB.session, node)
            for t in self.r.session_about.get(s.title, []):
                self.add(node, CLUB.about, self.tool(t))
        self._titles = titles

    def _in_session(self, node, title: str | None) -> None:
        if title and title in self._titles:
            self.add(node, CLUB.inSession, self.session_node(title))

    def _presentations(self) -> None:
        for p in self.r.presentations:
            node = URIRef(f"{self.meeting}/presentation/{slug(p.title)}")
            self.add(self.meeting, CLUB.presentation, node)
            self.entity(node, CLUB.Presentation, fr(p.title), p.span)
            self.add(node, SCHEMA.name, fr(p.title))
            self._in_session(node, p.session)
            for sp in p.speakers:
                self.add(node, CLUB.speaker, self.agent(sp))
            if p.presenter:
                self.add(node, CLUB.presenter, self.agent(p.presenter))
            for t in p.about:
                self.add(node, CLUB.about, self.tool(t))
            for i, f in enumerate(p.figures, 1):
                self.figure(node, f, i)

    def _cards(self) -> None:
        for c in self.r.cards:
            card = URIRef(f"{self.meeting}/card/{slug(c.heading)}")
            self.entity(card, CLUB.OrganizationCard, fr(f"Fiche : {c.heading}"), c.span)
            self.add(card, CLUB.meeting, self.meeting)
            if c.description:
                self.add(card, CLUB.description, fr(c.description))
            orgs = [self.agent(a) for a in c.agents]
            for o in orgs:
                self.add(o, CLUB.card, card)
            if c.opening:
                portal = URIRef(f"{card}/portal")
                self.add(portal, RDF.type, CLUB.Portal)
                name = c.portal_name or f"Portail Publik : {c.heading}"
                self.add(portal, RDFS.label, fr(name))
                if c.portal_name:
                    self.add(portal, SCHEMA.name, fr(c.portal_name))
                self.date(portal, c.opening, c.opening_planned or self.planned_after_meeting(c.opening))
                self.add(portal, PROV.wasDerivedFrom, card)
                for o in orgs:
                    self.add(o, CLUB.portal, portal)
            for i, ms in enumerate(c.milestones, 1):
                node = URIRef(f"{card}/milestone/{i}")
                self.add(card, CLUB.milestone, node)
                self.entity(node, CLUB.Milestone, fr(short(ms.text)), ms.span)
                self.add(node, CLUB.text, fr(ms.text))
                self.date(node, ms.date, ms.planned)
            for i, f in enumerate(c.figures, 1):
                self.figure(card, f, i)

    def _requests(self) -> None:
        nodes = []
        for req in self.r.requests:
            digest = hashlib.sha1(f"{req.kind}|{req.text}".encode()).hexdigest()[:8]
            node = URIRef(f"{self.meeting}/request/{slug(req.text, 40)}-{digest}")
            nodes.append(node)
            self.entity(node, CLUB[req.kind], fr(short(req.text)), req.span)
            self.add(node, CLUB.text, fr(req.text))
            self.add(node, CLUB.meeting, self.meeting)
            self._in_session(node, req.session)
            for a in req.raisers:
                self.add(node, CLUB.raisedBy, self.agent(a))
            for t in req.tools:
                self.add(node, CLUB.tool, self.tool(t))
            for tid, label, words in req.topics:
                self.add(node, CLUB.topic, TOPIC[tid])
                ev = URIRef(f"{node}/topic/{tid}")
                self.add(node, CLUB.topicEvidence, ev)
                self.add(ev, CLUB.topic, TOPIC[tid])
                self.add(ev, CLUB.matchedLabel, fr(label))
                self.add(ev, CLUB.text, fr(words))
            if req.first_raised:
                self.add(node, CLUB.firstRaisedAt, self.earlier_meeting(req.first_raised))
            elif req.raised_at_previous and (previous := self.previous_meeting()) is not None:
                self.add(node, CLUB.firstRaisedAt, previous)
                self.add(self.meeting, CLUB.refersTo, previous)
            if req.kind == "PlannedEvolution":
                for c in self.r.cards:
                    if self.r.requests.index(req) in c.evolutions:
                        self.add(node, PROV.wasDerivedFrom, URIRef(f"{self.meeting}/card/{slug(c.heading)}"))
            if req.response:
                resp = URIRef(f"{node}/response")
                rs = req.response
                self.add(node, CLUB.response, resp)
                who = self.r.vendor
                self.entity(resp, CLUB.Response, fr(f"Réponse {'de ' + who.label if who else 'd' + chr(39) + 'Entr' + chr(39) + 'ouvert'} : "
                                                    + short(rs.text, 70)), rs.span)
                self.add(resp, CLUB.text, fr(rs.text))
                self.add(resp, CLUB.respondent, self.agent(who) if who else CLUB.EntrOuvert)
                self.add(resp, CLUB.meeting, self.meeting)
                for st in rs.stances:
                    self.add(resp, CLUB.stance, STANCE[st])
                if rs.alternative:
                    self.add(resp, CLUB.alternative, fr(rs.alternative))
                for t in rs.tools:
                    self.add(resp, CLUB.tool, self.tool(t))
        self.request_nodes = nodes
        for req, node in zip(self.r.requests, nodes):
            if req.related is not None:
                self.add(node, CLUB.relatedRequest, nodes[req.related])

    def _attachments(self) -> None:
        for a in self.r.attachments:
            node = URIRef(f"{self.meeting}/attachment/{slug(a.name)}")
            self.add(self.meeting, CLUB.attachment, node)
            self.entity(node, CLUB.Attachment, Literal(a.name), a.span)
            self.add(node, CLUB.fileName, Literal(a.name))
            if a.size_text:
                self.add(node, CLUB.sizeText, fr(a.size_text))
            if a.size_bytes:
                self.add(node, CLUB.byteSize, Literal(a.size_bytes))
            if a.date:
                self.add(node, DCTERMS.issued, date_literal(a.date))
            if a.creator:
                self.add(node, CLUB.creator, self.agent(a.creator))


@dataclass
class Mapped:
    facts: Graph
    reference: Graph
    lookups: set[str]            # partial mentions resolved against other reports
    evidence: Graph = field(default_factory=Graph)   # why each fact is held (for the provenance graph)


def map_report(report: Report, report_id: str, iris: Iris, gaz: Gazetteer,
               known: Known | None = None) -> Mapped:
    """The report's facts graph and its reference (official data) graph; ``known`` (what
    the other loaded reports declare) resolves mentions by month, initial or bare name."""
    mapper = ReportMapper(report, report_id, iris, gaz, known)
    facts = mapper.map()
    evidence = mapper.evidence()
    reference = Graph()
    agents = list(_all_agents(report))
    bodies = list(dict.fromkeys([a.body for a in agents if a.body] + [c for a in agents for c in a.candidates]))
    reference_graph(reference, iris, bodies, gaz)
    return Mapped(facts, reference, mapper.lookup.made, evidence)


def declared_people(report: Report, iris: Iris) -> set[Person]:
    """The people a report names in full within an organization."""
    affiliation = _affiliations(report)
    return {Person(str(iris.agent(a, None, org)), org.key, a.label)
            for a in _all_agents(report) if a.kind == "person"
            and (org := affiliation.get(a.key)) is not None and initial_form(a.label) is None}


def _affiliations(r: Report) -> dict[str, Agent]:
    """person key → the organization the report first affiliates them with."""
    out: dict[str, Agent] = {}
    for person, org in r.affiliations:
        out.setdefault(person.key, org)
    return out


def _initials(r: Report, affiliation: dict[str, Agent]) -> dict[str, Agent]:
    """"C. Morel" → "Claire Morel" when exactly one person of the report with that surname,
    in the same organization, has a first name starting with C (else left as written)."""
    people = {a.key: a for a in _all_agents(r) if a.kind == "person"}
    out = {}
    for key, a in people.items():
        if not (form := initial_form(a.label)):
            continue
        full = [b for b in people.values() if b is not a and initial_form(b.label) is None
                and initial_of(b.label, *form) and affiliation.get(key) in (None, affiliation.get(b.key))]
        if len(full) == 1:
            out[key] = full[0]
    return out


def _all_agents(r: Report):
    yield from r.attendees
    yield from r.mentioned
    for c in r.cards:
        yield from c.agents
    for q in r.requests:
        yield from q.raisers
    for p in r.presentations:
        yield from p.speakers
        if p.presenter:
            yield p.presenter
    if r.host:
        yield r.host
    if r.venue_city:
        yield r.venue_city
    for a, _ in r.evaluations + r.uses:
        yield a
