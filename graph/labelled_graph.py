"""A graph seen the way annotations are checked: by labels, standard types and short paths.

Only standard vocabularies and the ontology's own axioms are used, never the project's
IRIs: things are found by their labels (``LABELS``, compared case-insensitively), typed
through ``rdfs:subClassOf`` / ``owl:equivalentClass`` (the ontology's and the graph's),
and related by short paths:

- **linked**: a directed path of at most two edges from one node to the other (either way
  round), whose middle node is not a tool, a topic (``skos:Concept``), a class, an
  organization, a dated event (another meeting), nor — when neither end is the meeting —
  the meeting itself (else every node of a report would be linked to every other);
- a **code** is a plain literal of the node itself (or of a blank node of its own).

The few notions the standard vocabularies do not name (a request, a stance, a source line)
are looked up in the ontology by their English ``rdfs:label`` ("request", "stance", "start
line"), never by IRI.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from .rules import reachable

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, FOAF.name, SCHEMA.name, DCTERMS.title)
ORGANIZATION = {ORG.Organization, FOAF.Organization, SCHEMA.Organization}
PERSON = {FOAF.Person, SCHEMA.Person}
TOOL_CLASS = SCHEMA.SoftwareApplication
DOCUMENT = {FOAF.Document, SCHEMA.CreativeWork, SCHEMA.MediaObject, SCHEMA.DigitalDocument}
CLASSES = {OWL.Class, RDFS.Class}
DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}
ONLINE_MODES = {SCHEMA.OnlineEventAttendanceMode, SCHEMA.MixedEventAttendanceMode}
OFFLINE_MODES = {SCHEMA.OfflineEventAttendanceMode}
NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.positiveInteger}
MAX_REQUEST_LITERAL = 1500


def norm(text: str) -> str:
    """Case-insensitive comparison form (typographic apostrophes and spaces unified)."""
    return " ".join(str(text).replace("’", "'").replace("\u00a0", " ").casefold().split())


@dataclass
class View:
    """A graph seen through labels, standard types and short paths."""

    graph: Graph
    ontology: Graph
    out: dict = field(default_factory=lambda: defaultdict(set))
    inc: dict = field(default_factory=lambda: defaultdict(set))
    edges: dict = field(default_factory=lambda: defaultdict(set))     # (s, o) → predicates
    literals: dict = field(default_factory=lambda: defaultdict(list))
    labels: dict = field(default_factory=lambda: defaultdict(set))
    by_label: dict = field(default_factory=lambda: defaultdict(set))
    types: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        sup, psup = defaultdict(set), defaultdict(set)
        classes = set()
        for g in (self.ontology, self.graph):
            for a, b in g.subject_objects(RDFS.subClassOf):
                sup[a].add(b)
                classes |= {a, b}
            for a, b in g.subject_objects(OWL.equivalentClass):
                sup[a].add(b)
                sup[b].add(a)
                classes |= {a, b}
            for a, b in g.subject_objects(RDFS.subPropertyOf):
                psup[a].add(b)
            for a, b in g.subject_objects(OWL.equivalentProperty):
                psup[a].add(b)
                psup[b].add(a)
            for c in CLASSES:
                classes |= set(g.subjects(RDF.type, c))
        self._sup, self._psup = sup, psup
        direct = defaultdict(set)
        for s, p, o in self.graph:
            if p == RDF.type:
                direct[s].add(o)
                classes.add(o)
            elif isinstance(o, Literal):
                self.literals[s].append((p, o))
                if p in LABELS:
                    self.labels[s].add(norm(o))
                    self.by_label[norm(o)].add(s)
            elif s != o:
                self.out[s].add(o)
                self.inc[o].add(s)
                self.edges[(s, o)].add(p)
        self.classes = classes
        for node, ts in direct.items():
            self.types[node] = set().union(*(self.superclasses(t) for t in ts))
        self.line_property = self._ontology_term("start line", property_=True)
        self.request_classes = self._subclasses(self._ontology_term("request"))
        self.stance_classes = self._subclasses(self._ontology_term("stance"))
        self.barrier = {n for n in set(self.out) | set(self.inc)
                        if n in classes or self.is_any(n, ORGANIZATION | {TOOL_CLASS, SKOS.Concept})
                        or self.dated_event(n)}

    # -- vocabulary ----------------------------------------------------------------

    def superclasses(self, cls) -> set:
        return reachable(self._sup, cls)

    def superproperties(self, prop) -> set:
        return reachable(self._psup, prop)

    def _ontology_term(self, english: str, property_: bool = False):
        for s in self.ontology.subjects(RDFS.label, Literal(english, lang="en")):
            kinds = set(self.ontology.objects(s, RDF.type))
            is_property = bool(kinds & {OWL.DatatypeProperty, OWL.ObjectProperty, RDF.Property})
            if is_property == property_ and (property_ or kinds & CLASSES):
                return s
        return None

    def _subclasses(self, cls) -> set:
        return {c for c in self.classes if cls is not None and cls in self.superclasses(c)}

    # -- nodes ---------------------------------------------------------------------

    def is_any(self, node, classes: set) -> bool:
        return bool(self.types.get(node, set()) & classes)

    def typed(self, node) -> bool:
        return node in self.types

    def labelled(self, *texts: str) -> set:
        """Nodes carrying one of these labels."""
        return set().union(*(self.by_label.get(norm(t), set()) for t in texts if t))

    def label_of(self, node) -> str:
        """A label to show people: the preferred one, French or untagged first (stable)."""
        for p in (SKOS.prefLabel, RDFS.label, FOAF.name, SCHEMA.name, DCTERMS.title, SKOS.altLabel, SKOS.hiddenLabel):
            found = sorted(self.graph.objects(node, p), key=lambda o: (o.language not in (None, "fr"), str(o)))
            if found:
                return str(found[0])
        return str(node)

    def dates(self, node, datatypes=frozenset({XSD.date})) -> set[str]:
        return {str(o) for _, o in self.literals.get(node, ()) if o.datatype in datatypes}

    def dated_event(self, node) -> bool:
        return self.is_any(node, {SCHEMA.Event}) and bool(self.dates(node, DATES))

    def events_dated(self, date: str) -> list:
        return sorted(n for n in self.types if self.is_any(n, {SCHEMA.Event}) and date in self.dates(n))

    def objects_via(self, node, prop) -> set:
        """Objects of ``node`` through ``prop`` or one of its sub-properties."""
        return {o for o in self.out.get(node, ()) if any(prop in self.superproperties(p)
                                                         for p in self.edges[(node, o)])}

    def plain_literals(self, node) -> list[str]:
        """The node's non-numeric literals, and those of blank nodes of its own."""
        own = [node] + [o for o in self.out.get(node, ()) if isinstance(o, BNode)]
        return [str(o) for n in own for _, o in self.literals.get(n, ())
                if o.datatype is None or o.datatype in (XSD.string, RDF.langString)]

    def integers(self, node) -> set[int]:
        return {int(o) for p, o in self.literals.get(node, ())
                if o.datatype in NUMERIC and p != self.line_property}

    def texts(self, node, limit: int | None = None) -> list[str]:
        return [str(o) for _, o in self.literals.get(node, ()) if limit is None or len(str(o)) < limit]

    def line(self, node) -> int | None:
        if self.line_property is None:
            return None
        lines = [int(o) for p, o in self.literals.get(node, ()) if p == self.line_property]
        return min(lines) if lines else None

    # -- paths ---------------------------------------------------------------------

    def reach(self, node, meeting=None) -> set:
        """Nodes linked to ``node`` (see the module's docstring); ``meeting`` is a
        barrier unless it is ``node``."""
        blocked = self.barrier if meeting is None or meeting == node else self.barrier | {meeting}
        found = set()
        for step in (self.out, self.inc):
            for mid in step.get(node, ()):
                found.add(mid)
                if mid not in blocked:
                    found |= step.get(mid, set())
        found.discard(node)
        return found

    def linked(self, a, b, meeting=None) -> bool:
        return b in self.reach(a, meeting)


@lru_cache(maxsize=None)
def _stance_form(text: str) -> str:
    return norm(text.replace("-", " ").replace("_", " "))


def stance_matches(view: View, concept, stance: str) -> bool:
    """A concept's labels or notation name this stance ("declined" ~ "declined for now")."""
    words = _stance_form(stance)
    names = [str(o) for p, o in view.literals.get(concept, ()) if p in LABELS or p == SKOS.notation]
    return any(words in _stance_form(n) for n in names)
