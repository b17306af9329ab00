"""The web UI (French, server-rendered, works without JavaScript or internet)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template_string, request

from publik_kg import namedqueries, outbound
from publik_kg.store import QuerySyntaxError, StoreError

from .html import cell, download_links, table_page
from .pool import PoolBusy, QueryTimeout
from .problems import ApiError
from .sparql import state

bp = Blueprint("pages", __name__)
P = """PREFIX club: <https://w3id.org/publik-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

HOME = """{% extends "base.html" %}{% block content %}
<p>Le graphe de connaissances des réunions du Club des utilisateurs Publik : qui vient, qui utilise quoi,
qui demande quoi, et ce qu'Entr'ouvert a répondu.</p>
<div class="cards">{% for label, n, href in counts %}<a class="card" href="{{ href }}"><b>{{ n }}</b>{{ label }}</a>{% endfor %}</div>
{% if latest %}<p>Dernière réunion : {% if latest.href %}<a href="{{ latest.href }}">{{ latest.text }}</a>{% else %}{{ latest.text }}{% endif %}</p>{% endif %}
<p class="muted">SPARQL : <code>/sparql</code> · requêtes nommées : <a href="/queries">/queries</a> ·
description du service : <a href="/sparql?format=ttl">/sparql</a> · API : <a href="/openapi.json">/openapi.json</a></p>
{% endblock %}"""

QUERY_PAGE = """{% extends "base.html" %}{% block content %}
<form method="get" action="/pages/requete">
<textarea name="query" rows="12" id="query">{{ query }}</textarea><br>
<button type="submit" id="run">Exécuter</button>
</form>
<p class="muted">Exemples :
{% for name, q in examples %}<a href="/pages/requete?query={{ q|urlencode }}">{{ name }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</p>
{% if error %}<p id="error"><strong>Erreur :</strong> {{ error }}</p>{% endif %}
{{ table|safe }}
{% endblock %}"""

MATRIX = """{% extends "base.html" %}{% block content %}
<p>Nombre de demandes et d'évolutions envisagées par thème et par organisation. Chaque case mène aux demandes.</p>
<table id="matrix"><thead><tr><th>thème</th>{% for o in orgs %}<th>{% if o.href %}<a href="{{ o.href }}">{{ o.text }}</a>{% else %}{{ o.text }}{% endif %}</th>{% endfor %}</tr></thead><tbody>
{% for t in topics %}<tr><th>{{ t.text }}</th>{% for o in orgs %}{% set n = counts.get((t.iri, o.iri), 0) %}
<td style="background: rgba(36,59,107,{{ '%.2f'|format(n / maxn) }});{% if n / maxn > 0.5 %}color:#fff{% endif %}">{% if n %}<a class="cell" style="color:inherit" href="/pages/demandes?topic={{ t.iri|urlencode }}&amp;org={{ o.iri|urlencode }}">{{ n }}</a>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% endblock %}"""


def _run(sparql: str, bindings=None):
    return state().query(sparql, bindings=bindings)


def _html(body: str) -> Response:
    return Response(body, content_type="text/html; charset=utf-8")


@bp.get("/")
def home():
    counts = []
    for label, pattern, href in (
            ("réunions", "?s a club:Meeting ; club:report ?r", "/pages/reunions"),
            ("organisations", "?m club:attendee ?s . ?s a club:Organization", "/pages/organisations"),
            ("demandes", "?s a club:Request", "/pages/demandes"),
            ("outils cités", "?m club:about ?s . ?s a club:SoftwareTool", "/pages/outils")):
        res = _run(P + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
        counts.append((label, int(res.rows[0][0]), href))
    latest = _run(P + "SELECT ?m ?l WHERE { ?m a club:Meeting ; club:date ?d ; club:ordinal ?o ; rdfs:label ?l } ORDER BY DESC(str(?d)) LIMIT 1")
    base = state().dataset.iris.base
    top = None
    if latest.rows:
        top = cell(latest.rows[0][0], base)
        top["text"] = str(latest.rows[0][1])
    return _html(render_template_string(HOME, title="Club des utilisateurs Publik", counts=counts, latest=top))


def _named_page(name: str, title: str, **params):
    nq = namedqueries.get(name)
    res = _run(nq.sparql, nq.bindings({k: v for k, v in params.items() if v}, state().dataset.iris.base))
    return _html(table_page(title, res, state().dataset.iris.base, intro=nq.description,
                            downloads=download_links(f"/queries/{name}")))


@bp.get("/pages/reunions")
def meetings():
    return _named_page("meetings", "Réunions")


@bp.get("/pages/organisations")
def organizations():
    return _named_page("organizations", "Organisations", kind=request.args.get("kind", ""))


@bp.get("/pages/outils")
def tools():
    return _named_page("tools", "Outils", tool=request.args.get("tool", ""))


@bp.get("/pages/demandes")
def requests_page():
    if request.args.get("topic") or request.args.get("org"):
        return _named_page("demand", "Demandes", topic=request.args.get("topic", ""), org=request.args.get("org", ""))
    return _named_page("requests", "Demandes", stance=request.args.get("stance", ""), raiser=request.args.get("raiser", ""))


@bp.get("/pages/requete")
def query_page():
    query = request.args.get("query", "")
    examples = [(nq.title, nq.sparql) for nq in namedqueries.catalogue().values() if not nq.params]
    error, table = "", ""
    if query:
        if len(query) > state().config.max_query_length:
            raise ApiError(413, "Payload Too Large", "query too long")
        try:
            res = state().query(query)
            if res.kind == "graph":
                raise StoreError("CONSTRUCT/DESCRIBE results: use /sparql to download them")
            table = table_page("", res, state().dataset.iris.base,
                               downloads=download_links("/sparql"))
            table = table.split("<h1></h1>", 1)[-1].split("</main>", 1)[0]
        except (QuerySyntaxError, StoreError, QueryTimeout, PoolBusy, outbound.Refused, outbound.Unverifiable) as e:
            error = str(e)        # shown on the page, next to the query
    return _html(render_template_string(QUERY_PAGE, title="Requête SPARQL", query=query or examples[0][1],
                                        examples=examples, error=error, table=table))


@bp.get("/pages/qui-veut-quoi")
def matrix():
    res = _run(P + """SELECT ?topic ?topicName ?org ?orgName (COUNT(DISTINCT ?r) AS ?n) WHERE {
      ?r club:topic ?topic ; club:raisedBy ?org . ?org a club:Organization ; skos:prefLabel ?orgName .
      ?topic skos:prefLabel ?topicName FILTER(lang(?topicName) = "fr") } GROUP BY ?topic ?topicName ?org ?orgName""")
    base = state().dataset.iris.base
    topics, orgs, counts = {}, {}, {}
    for t, tn, o, on, n in res.rows:
        topics[str(t)] = {"iri": str(t), "text": str(tn)}
        orgs[str(o)] = {**cell(o, base), "iri": str(o), "text": str(on)}
        counts[(str(t), str(o))] = int(n)
    maxn = max(counts.values(), default=1)
    return _html(render_template_string(MATRIX, title="Qui veut quoi", topics=sorted(topics.values(), key=lambda x: x["text"]),
                                        orgs=sorted(orgs.values(), key=lambda x: x["text"]), counts=counts, maxn=maxn))
