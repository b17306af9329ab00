"""The update log: a SPARQL Update travels with its audit record and the mark that the
inferred graph is stale, as ONE update request, which Oxigraph applies as one transaction
(every operation or none).

The record is appended to the client's text after a ``;``. It is written so that no
ending of that text can swallow it: the client's text can only be "open" across the
appended newline inside a long string (''' or \"\"\"), and the record holds no
unescaped quote at all (every ' and " of a literal is written \\' or \\"), so such a
string never closes and the whole request fails to parse — nothing is applied. The
record uses absolute IRIs only, so a PREFIX or BASE in the client's text cannot change it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .sparqltext import sparql_term
from .text import slug
from .vocab import CLUB

DEFAULT_AGENT = "operator"
# The separators tried between the client's text and the record: after a complete
# operation ("X"), then after a text that already ends at an operation boundary
# ("X ;", a prologue alone, comments only, nothing).
SEPARATORS = ("\n;\n", "\n")


def term(t) -> str:
    """An IRI or a literal of the record (every quote and line break escaped)."""
    if isinstance(t, (Literal, URIRef)):
        return sparql_term(t)
    raise TypeError(f"the update log writes IRIs and literals only, not {t!r}")


def agent_iri(base: str, label: str) -> URIRef:
    return URIRef(f"{base}id/agent/{slug(label or DEFAULT_AGENT)}")


@dataclass
class Record:
    """What the log keeps of one update: the activity, its agent, when, and the text."""

    activity: URIRef
    quads: list[tuple[URIRef, URIRef, object, URIRef]]

    def insert_data(self) -> str:
        body = {}
        for s, p, o, g in self.quads:
            body.setdefault(g, []).append(f"{term(s)} {term(p)} {term(o)} .")
        return "INSERT DATA {\n" + "".join(
            f"GRAPH {term(g)} {{\n" + "\n".join(lines) + "\n}\n" for g, lines in body.items()) + "}\n"


def record(text: str, base: str, agent_label: str, log_graph: URIRef, stale_graph: URIRef,
           inferred_graph: URIRef) -> Record:
    """The audit record of ``text`` run by the agent labelled ``agent_label``, and the mark
    that it made ``inferred_graph`` stale."""
    now = datetime.now(timezone.utc)
    act = URIRef(f"{base}id/update/{now.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}")
    agent = agent_iri(base, agent_label)
    label = agent_label or DEFAULT_AGENT
    log = [(act, RDF.type, PROV.Activity), (act, PROV.startedAtTime, Literal(now, datatype=XSD.dateTime)),
           (act, PROV.wasAssociatedWith, agent), (act, CLUB.text, Literal(text)),
           (agent, RDF.type, PROV.Agent), (agent, RDFS.label, Literal(label))]
    return Record(act, [(*t, log_graph) for t in log]
                  + [(inferred_graph, PROV.wasInvalidatedBy, act, stale_graph)])


def requests(text: str, rec: Record) -> list[str]:
    """The update requests to try, in order: the client's text, then the record."""
    data = rec.insert_data()
    return [text + sep + data for sep in SEPARATORS]
