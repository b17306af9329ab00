"""The dataset: named graphs in a store, and the transactional ingest of reports.

Layout (all under the dataset's base IRI):
  graph/ontology              the ontology and SKOS schemes
  graph/report/ID             facts asserted by one report
  graph/reference/ID          official facts (COG) about the bodies that report names
  graph/provenance/ID         PROV-O description of the two graphs above
  graph/loaded/NAME           RDF added with ``load`` (any IRI may be given instead)
  graph/inferred              OWL-RL closure of everything asserted, recomputed on change
  graph/provenance/updates    the log of SPARQL Updates (who, when, what)
  graph/provenance/inferred/stale   exists only while the inferred graph lags behind
                              SPARQL Updates: one ``prov:wasInvalidatedBy`` per update since
Every change is one store transaction: the report's graphs and the inferred graph are
replaced together, so a reader sees the old state or the new one, never a mix; a SPARQL
Update, its log entry and its stale mark are one transaction too.

Every write goes through the dataset's write lock (one per store, shared by every Dataset
on it): a unit of work reads what it needs, computes, and commits with no other writer in
between, so the inferred graph it writes is the closure of what is asserted. The one
exception is reasoning after updates, which computes the closure without the lock and
writes it only if no write came in meanwhile (else tries again, at last holding the lock).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import threading
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from . import __version__, nlp, updatelog
from .corrections import Corrections, unmatched
from .extract import NotAReport, parse_report
from .gazetteer import load as load_gazetteer
from .mapping import Iris, declared_people, map_report
from .reading import ReportInput
from .reasoning import infer
from .resolution import Known, Person
from .store import QuerySyntaxError, Store
from .text import slug
from .vocab import CLUB, lexicons, ontology_graph

COG_SOURCE = URIRef("https://www.npmjs.com/package/@etalab/decoupage-administratif")


# What decides the facts drawn from a report: a change to any of these re-reads it.
EXTRACTOR_FILES = {"publik_kg": ["document.py", "markup.py", "text.py", "frdates.py", "cues.py", "agents.py",
                                 "gazetteer.py", "lexicon.py", "vocab.py", "extract.py", "mentions.py", "people.py",
                                 "asks.py", "answers.py", "nlp.py", "firstnames.py", "evidence.py", "model.py",
                                 "mapping.py", "resolution.py"],
                   "publik_kg.data": ["cog.tsv.gz", "bodies.csv", "aliases.csv", "firstnames.tsv.gz"],
                   "publik_kg.ontology": ["club.ttl", "tools.ttl", "topics.ttl"]}


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """SHA-256 (12 hex digits) of the code and data that turn a report into facts."""
    h = hashlib.sha256(__version__.encode())
    h.update(importlib.metadata.version(nlp.MODEL.replace("_", "-")).encode())    # the language model's release
    for package, names in EXTRACTOR_FILES.items():
        for name in names:
            h.update(files(package).joinpath(name).read_bytes())
    return h.hexdigest()[:12]


class IngestError(Exception):
    """A report could not be ingested; nothing was written for it."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class ReportSummary:
    path: str
    report_id: str
    status: str                      # "added", "replaced" or "unchanged"
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # corrections that no longer match
    evidence: list[tuple] = field(default_factory=list)  # (line, stage, rule, confidence, kind, fact, quote)


def _claim_label(c) -> str:
    """A claim's fact in words: "Marie Kuntz — Entr'ouvert", "request #3"."""
    name = lambda x: x.label if hasattr(x, "label") else f"#{x + 1}"
    return name(c.subject) + (f" — {name(c.object)}" if c.object is not None else "")


class WriteLock:
    """The one write lock of a store in this process, and how many writes it has let
    through (a reader of the store can tell whether a write came in since it read).
    Another process cannot write the same on-disk store: RocksDB lets one process open it
    read-write."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.writes = 0

    def __enter__(self) -> "WriteLock":
        self._lock.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()

    def held(self) -> bool:
        return self._lock._is_owned()


_LOCKS: "weakref.WeakKeyDictionary[Store, WriteLock]" = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def write_lock(store: Store) -> WriteLock:
    """The write lock of ``store``, shared by every Dataset on it."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(store, WriteLock())


def unit_of_work(method):
    """Run a Dataset method holding the store's write lock."""
    @functools.wraps(method)
    def locked(self, *args, **kw):
        with self.lock:
            return method(self, *args, **kw)
    return locked


class Dataset:
    def __init__(self, store: Store, base: str):
        self.store = store
        self.lock = write_lock(store)
        self.iris = Iris(base)
        self.ontology_iri = str(self.iris.graph("ontology"))
        self.inferred_iri = str(self.iris.graph("inferred"))
        self.corrections_iri = str(self.iris.graph("corrections"))
        self.retractions_iri = str(self.iris.graph("provenance", "corrections"))
        self.updates_iri = str(self.iris.graph("provenance", "updates"))
        self.stale_iri = str(self.iris.graph("provenance", "inferred/stale"))   # no report id has a '/'

    # -- graphs --------------------------------------------------------------------

    def _digests(self) -> dict[str, str]:
        """report id → SHA-256 of the source last ingested and of the extractor that read it."""
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> "
            "SELECT ?id ?sha ?extractor WHERE { GRAPH ?g { ?r a club:Report ; club:sha256 ?sha ; "
            "<http://purl.org/dc/terms/identifier> ?id OPTIONAL { ?r club:extractor ?extractor } } }")
        return {str(i): f"{s}/{e}" for i, s, e in res.rows}

    def asserted_graphs(self) -> list[str]:
        prov = str(self.iris.graph("provenance")) + "/"
        return [g for g in self.store.graph_names()
                if g not in (self.ontology_iri, self.inferred_iri) and not g.startswith(prov)]

    def _graph(self, names: list[str]) -> Graph:
        g = Graph()
        if names:
            for t in self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=names).triples:
                g.add(t)
        return g

    @unit_of_work
    def ensure_ontology(self) -> None:
        """Store the bundled ontology if it is missing or changed."""
        onto = ontology_graph()
        digest = hashlib.sha256(b"".join(sorted(t.encode() for t in onto.serialize(format="nt").splitlines()))).hexdigest()
        marker = (URIRef(self.ontology_iri), CLUB.sha256, Literal(digest))
        if self.store.query("ASK WHERE { GRAPH ?g { ?s ?p ?o } }",
                            {"g": URIRef(self.ontology_iri), "s": marker[0], "p": marker[1], "o": marker[2]}).boolean:
            return
        self._write(self.store.replace_graphs, {self.ontology_iri: list(onto) + [marker]})

    # -- ingest --------------------------------------------------------------------

    def _parse(self, source: ReportInput):
        try:
            return parse_report(source.text, lexicons(), load_gazetteer(), source.name)
        except NotAReport as e:
            raise IngestError(source.label, f"not a club meeting report ({e})") from e

    def prepare(self, source: ReportInput, known: Known | None = None,
                report=None) -> tuple[ReportSummary, dict[str, list]]:
        """Parse and map one report; raise IngestError without touching the store.
        ``known`` (what the other loaded reports declare) resolves partial mentions."""
        report = report or self._parse(source)
        rid = source.report_id
        mapped = map_report(report, rid, self.iris, load_gazetteer(), known)
        graphs = self.iris.report_graphs(rid)
        prov = self._provenance(source, graphs, report, mapped.lookups)
        counts = {"sessions": len(report.sessions), "presentations": len(report.presentations),
                  "organizations": len({a.key for a in report.attendees if a.kind == "organization"}),
                  "cards": len(report.cards), "requests": len(report.requests),
                  "responses": sum(1 for r in report.requests if r.response), "tools": len(report.tools_mentioned)}
        summary = ReportSummary(source.label, rid, "added", len(mapped.facts) + len(mapped.reference), counts,
                                [(s.line, s.text, s.reason) for s in report.skipped])
        summary.evidence = [(c.evidence.line, c.evidence.stage, c.evidence.rule, c.evidence.confidence, c.kind,
                             _claim_label(c), c.evidence.quote) for c in report.claims]
        return summary, {str(graphs["facts"]): list(mapped.facts), str(graphs["reference"]): list(mapped.reference),
                         str(graphs["provenance"]): list(prov) + list(mapped.evidence)}

    # -- what reports declare, and what they looked up -------------------------------

    def _known(self) -> Known:
        """The meetings (by date) and people (named in full) the stored reports declare."""
        known = Known()
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> "
            "SELECT DISTINCT ?id ?date WHERE { ?m club:report ?r ; club:date ?date . "
            "?r <http://purl.org/dc/terms/identifier> ?id }")
        known.dates = {str(i): str(d) for i, d in res.rows if len(str(d)) == 10}
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> "
            "SELECT ?id ?p ?name WHERE { ?r <http://purl.org/dc/terms/identifier> ?id ; club:declares ?p . "
            "?p <http://xmlns.com/foaf/0.1/name> ?name }")
        for i, p, name in res.rows:
            known.people.setdefault(str(i), set()).add(Person(str(p), self.iris.person_org(str(p)), str(name)))
        return known

    def _lookups(self) -> dict[str, set[str]]:
        """report id → keys of the partial mentions its mapping looked up."""
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> "
            "SELECT ?id ?key WHERE { ?r <http://purl.org/dc/terms/identifier> ?id ; club:lookup ?key }")
        out: dict[str, set[str]] = {}
        for i, k in res.rows:
            out.setdefault(str(i), set()).add(str(k))
        return out

    def _stored_source(self, report_id: str) -> ReportInput | None:
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "SELECT ?text ?name ?sha WHERE { ?r club:sourceText ?text ; prov:atLocation ?name ; club:sha256 ?sha }",
            {"r": self.iris.id[f"report/{report_id}"]})
        if not res.rows:
            return None
        text, name, sha = (str(x) for x in res.rows[0])
        return ReportInput(name, name, text, sha)

    def _remap(self, before: Known, after: Known, skip: set[str]) -> dict[str, list]:
        """Graphs of stored reports (not in ``skip``) whose partial mentions resolve
        differently now that the reports loaded changed."""
        staged: dict[str, list] = {}
        for rid, keys in sorted(self._lookups().items()):
            if rid not in skip and before.changed(after, keys) and (source := self._stored_source(rid)):
                staged.update(self.prepare(source, after)[1])
        return staged

    def _provenance(self, source: ReportInput, graphs: dict[str, URIRef], report, lookups: set[str]) -> Graph:
        g = Graph()
        now = Literal(datetime.now(timezone.utc).replace(microsecond=0), datatype=XSD.dateTime)
        rnode = self.iris.id[f"report/{source.report_id}"]
        activity = self.iris.id[f"ingest/{source.report_id}/{source.sha256[:12]}"]
        agent = URIRef(f"https://pypi.org/project/publik-kg/{__version__}/")
        g.add((rnode, RDF.type, CLUB.Report))
        g.add((rnode, DCTERMS.identifier, Literal(source.report_id)))
        g.add((rnode, DCTERMS.title, Literal(report.title or source.report_id, lang="fr")))
        g.add((rnode, CLUB.sha256, Literal(source.sha256)))
        g.add((rnode, CLUB.extractor, Literal(extractor_fingerprint())))
        g.add((rnode, PROV.atLocation, Literal(source.name)))
        g.add((rnode, CLUB.sourceText, Literal(source.text)))
        g.add((rnode, CLUB.endLine, Literal(report.line_count)))
        for key in sorted(lookups):
            g.add((rnode, CLUB.lookup, Literal(key)))
        for p in declared_people(report, self.iris):
            g.add((rnode, CLUB.declares, URIRef(p.iri)))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, RDFS.label, Literal(f"ingest of {source.name}", lang="en")))
        g.add((activity, PROV.used, rnode))
        g.add((activity, PROV.wasAssociatedWith, agent))
        g.add((activity, PROV.endedAtTime, now))
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add((agent, RDFS.label, Literal(f"publik-kg {__version__}")))
        for kind, gi in graphs.items():
            if kind == "provenance":
                continue
            g.add((gi, RDF.type, PROV.Entity))
            g.add((gi, PROV.wasGeneratedBy, activity))
            g.add((gi, PROV.generatedAtTime, now))
            g.add((gi, PROV.wasDerivedFrom, rnode if kind == "facts" else COG_SOURCE))
        g.add((COG_SOURCE, RDFS.label, Literal("Code officiel géographique (Etalab, @etalab/decoupage-administratif)", lang="fr")))
        return g

    @unit_of_work
    def ingest(self, sources: Iterable[ReportInput], on_error: Callable[[IngestError], None],
               progress: Callable[[str], None] = lambda _: None) -> list[ReportSummary]:
        """Ingest reports; each one is all-or-nothing. Bad ones go to on_error. Stored
        reports that referred by month to a meeting that arrives now are mapped again."""
        self.ensure_ontology()
        known = self._digests()
        parsed: list[tuple[ReportInput, object]] = []
        summaries: list[ReportSummary] = []
        for source in sources:
            progress(source.label)
            if known.get(source.report_id) == f"{source.sha256}/{extractor_fingerprint()}":
                summaries.append(ReportSummary(source.label, source.report_id, "unchanged"))
                continue
            try:
                parsed.append((source, self._parse(source)))
            except IngestError as e:
                on_error(e)
        if not parsed:
            return summaries
        done, staged = self.stage(parsed, set(known))
        self._commit(staged)
        return summaries + done

    def stage(self, parsed: list[tuple[ReportInput, object]], stored: set[str] = frozenset()
              ) -> tuple[list[ReportSummary], dict[str, list]]:
        """The graphs to write for parsed reports (mentions resolved against everything
        loaded, corrections applied), and the stored reports to map again because of them."""
        before = self._known()
        after = before.without(s.report_id for s, _ in parsed)
        for source, report in parsed:
            after.declare(source.report_id, report.date.value if report.date else None,
                          declared_people(report, self.iris))
        corrections = self.corrections()
        staged: dict[str, list] = {}
        summaries = []
        for source, report in parsed:
            summary, graphs = self.prepare(source, after, report)
            if source.report_id in stored:
                summary.status = "replaced"
            facts = set(graphs[str(self.iris.graph("report", source.report_id))])
            subjects = {t[0] for t in facts}
            summary.notes = [f"retraction matches nothing: {a.n3()} {b.n3()} {c.n3()}"
                             for a, b, c in corrections.retractions if a in subjects and (a, b, c) not in facts]
            staged.update(graphs)
            summaries.append(summary)
        staged.update(self._remap(before, after, {s.report_id for s, _ in parsed}))
        return summaries, self._corrected(staged, corrections)

    # -- corrections ---------------------------------------------------------------

    def corrections(self) -> Corrections:
        """The retractions in force (additions are a graph of their own)."""
        g = Graph()
        for t in self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                  default_graphs=[self.retractions_iri]).triples:
            g.add(t)
        return Corrections.from_graph(g)

    def _corrected(self, staged: dict[str, list], corrections: Corrections) -> dict[str, list]:
        report = str(self.iris.graph("report")) + "/"
        return {g: corrections.apply(ts) if g.startswith(report) else ts for g, ts in staged.items()}

    @unit_of_work
    def correct(self, g: Graph, source_name: str) -> list[str]:
        """Replace the corrections with those of ``g``; every stored report is mapped again
        from its source text so that dropped retractions come back. Returns what no longer
        matches anything."""
        corr = Corrections.from_graph(g)
        self.ensure_ontology()
        staged = self._reread(self._stored_report_ids())
        report = str(self.iris.graph("report")) + "/"
        extracted = Graph()
        everything = self._graph([g for g in self.asserted_graphs() if g != self.corrections_iri])
        for name, ts in staged.items():
            if name.startswith(report):
                for t in ts:
                    extracted.add(t)
                    everything.add(t)
        prov = corr.retraction_graph()
        now = Literal(datetime.now(timezone.utc).replace(microsecond=0), datatype=XSD.dateTime)
        node = URIRef(self.corrections_iri)
        for t in [(node, RDF.type, PROV.Entity), (node, PROV.atLocation, Literal(source_name)),
                  (node, PROV.generatedAtTime, now)]:
            prov.add(t)
        staged.update({self.corrections_iri: list(corr.additions), self.retractions_iri: list(prov)})
        self._commit(self._corrected(staged, corr))
        return unmatched(corr, extracted, everything)

    def _reread(self, report_ids: list[str]) -> dict[str, list]:
        """The graphs of stored reports mapped again from their kept source text."""
        known = self._known()
        staged: dict[str, list] = {}
        for rid in report_ids:
            if (source := self._stored_source(rid)) is not None:
                staged.update(self.prepare(source, known)[1])
        return staged

    @unit_of_work
    def reread(self, report_ids: list[str] | None = None) -> list[str]:
        """Read stored reports again (all by default) from their kept source text, with this
        version's extractor and the corrections in force; returns the ids read. Unknown ids
        raise KeyError."""
        known = self._stored_report_ids()
        ids = known if report_ids is None else report_ids
        if unknown := [r for r in ids if r not in known]:
            raise KeyError(", ".join(unknown))
        self.ensure_ontology()
        if ids:
            self._commit(self._corrected(self._reread(ids), self.corrections()))
        return ids

    def _stored_report_ids(self) -> list[str]:
        res = self.store.query(
            "PREFIX club: <https://w3id.org/publik-kg/ontology#> "
            "SELECT DISTINCT ?id WHERE { ?r a club:Report ; <http://purl.org/dc/terms/identifier> ?id }")
        return sorted(str(r[0]) for r in res.rows)

    def _commit(self, graphs: dict[str, list], drop: Iterable[str] = ()) -> None:
        """Replace graphs and the inferred graph in one transaction (under the write lock:
        the closure is of what is asserted now, so the stale mark goes in the same one)."""
        drop = list(drop)
        keep = [g for g in self.asserted_graphs() if g not in graphs and g not in drop]
        asserted = self._graph(keep)
        prov = str(self.iris.graph("provenance")) + "/"
        for name, triples in graphs.items():
            if not name.startswith(prov):
                for t in triples:
                    asserted.add(t)
        inferred = infer(asserted, ontology_graph())
        self._write(self.store.replace_graphs, {**graphs, self.inferred_iri: list(inferred)}, drop=[*drop, self.stale_iri])

    def _write(self, write, *args, **kw) -> None:
        """Every write to the store goes through here, under the write lock."""
        assert self.lock.held(), "a write outside the dataset's write lock"
        write(*args, **kw)
        self.lock.writes += 1

    @unit_of_work
    def reason(self) -> None:
        """Recompute the inferred graph from what is asserted now (after raw updates)."""
        self.ensure_ontology()
        self._commit({})

    def reason_if_stale(self, attempts: int = 3) -> bool:
        """Recompute the inferred graph if a SPARQL Update left it stale; True if it did.
        The closure is computed without holding the write lock, and written only if no
        write came in meanwhile; after ``attempts`` such tries it is computed holding it."""
        for _ in range(attempts):
            with self.lock:
                if not self.is_stale():
                    return False
                self.ensure_ontology()
                seen, asserted = self.lock.writes, self._graph(self.asserted_graphs())
            inferred = list(infer(asserted, ontology_graph()))
            with self.lock:
                if self.lock.writes == seen:
                    self._write(self.store.replace_graphs, {self.inferred_iri: inferred}, drop=[self.stale_iri])
                    return True
        with self.lock:
            if not self.is_stale():
                return False
            self.reason()
            return True

    def is_stale(self) -> bool:
        """Whether SPARQL Updates changed the dataset since the inferred graph was computed."""
        return self.stale_iri in self.store.graph_names()

    @unit_of_work
    def update(self, text: str, agent: str, base_iri: str | None = None) -> URIRef:
        """Run a SPARQL Update with its log entry and the inferred graph's stale mark, in one
        transaction; returns the logged activity. A failing update leaves no trace."""
        rec = updatelog.record(text, self.iris.base, agent, URIRef(self.updates_iri), URIRef(self.stale_iri),
                               URIRef(self.inferred_iri))
        first = None
        for request in updatelog.requests(text, rec):
            try:
                self._write(self.store.update, request, base_iri=base_iri)
                return rec.activity
            except QuerySyntaxError as e:     # the text may end at an operation boundary: try the next
                first = first or e
        raise first

    @unit_of_work
    def remove(self, report_id: str) -> bool:
        """Remove a report's graphs (and what was inferred from them)."""
        graphs = [str(g) for g in self.iris.report_graphs(report_id).values()]
        if not any(g in self.store.graph_names() for g in graphs):
            return False
        before = self._known()
        after = before.without([report_id])
        self._commit(self._corrected(self._remap(before, after, {report_id}), self.corrections()), drop=graphs)
        return True

    @unit_of_work
    def load_graph(self, graph: Graph, iri: str) -> int:
        """Add plain RDF as its own named graph (replacing a graph of that IRI)."""
        if iri in (self.ontology_iri, self.inferred_iri, self.corrections_iri) \
                or iri.startswith(str(self.iris.graph("report"))):
            raise IngestError(iri, "this graph is managed by publik-kg")
        self.ensure_ontology()
        self._commit({iri: list(graph)})
        return len(graph)

    def default_loaded_iri(self, path: Path) -> str:
        return str(self.iris.graph("loaded", slug(path.stem)))
