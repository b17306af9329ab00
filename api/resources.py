"""Linked data: every minted IRI (BASE/id/…) dereferences to HTML, Turtle, JSON-LD,
N-Triples or RDF/XML; the vocabularies are served at /ontology, /tools, /topics."""
from __future__ import annotations

import hashlib

from werkzeug.http import http_date

from flask import Blueprint, Response, render_template, render_template_string, request
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from publik_kg import results
from publik_kg.store import Result
from publik_kg.vocab import CLUB, TOOL, TOPIC, ontology_graph, resource_text

from . import conneg
from .html import cell, iri_href
from .problems import ApiError
from .sparql import state

bp = Blueprint("resources", __name__)
EXTENSIONS = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
              ".rdf": "application/rdf+xml", ".html": "text/html"}
DESCRIBE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?e ?p ?o . ?s ?q ?e . ?n rdfs:label ?l }
WHERE {
  { ?e ?p ?o } UNION { ?s ?q ?e }
  UNION { { ?e ?p2 ?n } UNION { ?n ?q2 ?e } ?n rdfs:label ?l }
}"""


def _etag(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _last_modified():
    """When the dataset last changed (the store's generation is a write timestamp)."""
    gen = getattr(state().store, "generation", lambda: "")()
    return int(gen) // 1_000_000_000 if gen.isdigit() else None


def _label(g: Graph, node) -> str:
    for prop in (SKOS.prefLabel, RDFS.label):
        labels = list(g.objects(node, prop))
        fr = [l for l in labels if getattr(l, "language", None) == "fr"]
        if fr or labels:
            return str((fr or labels)[0])
    return ""


@bp.get("/id/<path:rest>")
def entity(rest: str):
    st = state()
    forced = None
    for ext, mt in EXTENSIONS.items():
        if rest.endswith(ext):
            rest, forced = rest[:-len(ext)], mt
            break
    iri = URIRef(st.dataset.iris.base + "id/" + rest)
    etag = _etag(getattr(st.store, "generation", lambda: "")(), iri, forced or request.headers.get("Accept", ""))
    modified = _last_modified()
    if etag in request.if_none_match or (not request.if_none_match and modified and request.if_modified_since
                                         and request.if_modified_since.timestamp() >= modified):
        return Response(status=304, headers={"ETag": f'"{etag}"', "Vary": "Accept"})
    res = st.query(DESCRIBE, bindings={"e": iri})
    if not any(iri in (s, o) for s, _, o in res.triples):
        raise ApiError(404, "Not Found", f"nothing is known about <{iri}>")
    g = res.graph()
    offered = {"text/html": "html", **conneg.GRAPHS}
    mt = forced or conneg.choose(request, offered if conneg.prefers_html(request) else {**conneg.GRAPHS, "text/html": "html"})
    if mt is None:
        raise ApiError(406, "Not Acceptable", "available: " + ", ".join(offered))
    headers = {"ETag": f'"{etag}"', "Vary": "Accept", "Link": f'</id/{rest}.ttl>; rel="describedby"; type="text/turtle"'}
    modified = _last_modified()
    if modified:
        headers["Last-Modified"] = http_date(modified)
    if mt == "text/html":
        return Response(_entity_page(g, iri, rest), headers=headers, content_type="text/html; charset=utf-8")
    body = results.serialize(Result("graph", triples=list(g)), conneg.GRAPHS[mt])
    return Response(body, headers=headers, content_type=mt)


def _entity_page(g: Graph, iri: URIRef, rest: str) -> str:
    base = state().dataset.iris.base

    def show(term):
        c = cell(term, base)
        if isinstance(term, URIRef) and (lab := _label(g, term)):
            c["text"] = lab
        return c

    outgoing = sorted(((show(p), show(o)) for p, o in g.predicate_objects(iri)), key=lambda x: (x[0]["text"], x[1]["text"]))
    incoming = sorted(((show(s), show(p)) for s, p in g.subject_predicates(iri) if s != iri), key=lambda x: x[1]["text"])
    provenance = []
    for src in g.objects(iri, PROV.wasDerivedFrom):
        a, b = g.value(iri, CLUB.startLine), g.value(iri, CLUB.endLine)
        provenance.append({"report": _label(g, src) or str(src), "href": iri_href(str(src), base),
                           "lines": f"{a}–{b}" if a is not None else ""})
    formats = [(ext[1:], f"/id/{rest}{ext}") for ext in EXTENSIONS if ext != ".html"]
    return render_template("entity.html", title=_label(g, iri) or rest, iri=str(iri), outgoing=outgoing,
                           incoming=incoming, provenance=provenance, formats=formats)


VOCAB_HTML = """{% extends "base.html" %}{% block content %}
<p class="muted">Namespace <code>{{ ns }}</code> — <a href="?format=ttl">Turtle</a></p>
<table id="terms"><thead><tr><th>terme</th><th>libellé</th><th>définition</th></tr></thead><tbody>
{% for t in terms %}<tr id="{{ t.id }}"><td><code>{{ t.id }}</code></td><td>{{ t.label }}</td><td>{{ t.definition }}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""
VOCABS = {"ontology": ("club.ttl", CLUB, "Ontologie du club"), "tools": ("tools.ttl", TOOL, "Outils logiciels"),
          "topics": ("topics.ttl", TOPIC, "Thèmes des demandes")}


@bp.get("/<any(ontology, tools, topics):name>")
def vocabulary(name: str):
    filename, ns, title = VOCABS[name]
    wants_ttl = request.args.get("format") in ("ttl", "turtle") or (
        not conneg.prefers_html(request) and request.accept_mimetypes.best_match(["text/turtle", "text/html"]) == "text/turtle")
    if wants_ttl:
        return Response(resource_text(filename), content_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})
    g = ontology_graph()
    terms = []
    for s in sorted({s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ns)) and str(s) != str(ns)}):
        label = _label(g, s)
        d = [str(x) for x in g.objects(s, SKOS.definition) if getattr(x, "language", None) == "fr"]
        terms.append({"id": str(s)[len(str(ns)):], "label": label, "definition": d[0] if d else ""})
    return Response(render_template_string(VOCAB_HTML, title=title, ns=str(ns), terms=terms),
                    content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
