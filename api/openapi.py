"""The OpenAPI 3 description of every route, served at /openapi.json."""
from __future__ import annotations

from flask import Blueprint, jsonify

from publik_kg import __version__

bp = Blueprint("openapi", __name__)

PROBLEM = {"description": "problem document (RFC 9457)",
           "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
RESULTS = {"description": "SPARQL results or RDF, by content negotiation",
           "content": {mt: {} for mt in ("application/sparql-results+json", "application/sparql-results+xml",
                                         "text/csv", "text/tab-separated-values", "text/turtle",
                                         "application/n-triples", "application/ld+json", "application/rdf+xml")}}
HTML = {"description": "HTML page", "content": {"text/html": {}}}
QUERY_PARAMS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL query"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
    {"name": "format", "in": "query", "schema": {"type": "string"}, "description": "overrides Accept (json, xml, csv, tsv, ttl, nt, jsonld, rdfxml)"},
]
ERRORS = {code: PROBLEM for code in ("400", "403", "406", "413", "415", "503")}


def _get(summary, params=(), ok=RESULTS, errors=("400", "404", "406")):
    return {"get": {"summary": summary, "parameters": list(params),
                    "responses": {"200": ok, **{c: PROBLEM for c in errors}}}}


def document() -> dict:
    page = lambda s, *p: _get(s, p, HTML, ("400",))  # noqa: E731
    opt = lambda n, d: {"name": n, "in": "query", "required": False, "schema": {"type": "string"}, "description": d}  # noqa: E731
    return {
        "openapi": "3.0.3",
        "info": {"title": "publik-kg", "version": __version__,
                 "description": "Knowledge graph of the Club des utilisateurs Publik: SPARQL 1.1 Protocol, named queries, linked data."},
        "paths": {
            "/sparql": {
                "get": {"summary": "SPARQL query (or the service description without 'query')", "parameters": QUERY_PARAMS,
                        "responses": {"200": RESULTS, **ERRORS}},
                "post": {"summary": "SPARQL query or update (form, application/sparql-query, application/sparql-update)",
                         "parameters": QUERY_PARAMS[1:],
                         "requestBody": {"content": {
                             "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                                 "query": {"type": "string"}, "update": {"type": "string"}}}},
                             "application/sparql-query": {"schema": {"type": "string"}},
                             "application/sparql-update": {"schema": {"type": "string"}}}},
                         "responses": {"200": RESULTS, "204": {"description": "update applied"}, "401": PROBLEM, **ERRORS}},
            },
            "/queries": _get("Catalogue of named queries", (), {"description": "JSON list or HTML",
                                                                "content": {"application/json": {}, "text/html": {}}}, ()),
            "/queries/{name}": _get("Run a named query; its parameters are query-string parameters",
                                    ({"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},)),
            "/id/{path}": _get("Describe an entity (HTML, Turtle, JSON-LD, N-Triples, RDF/XML; or by extension)",
                               ({"name": "path", "in": "path", "required": True, "schema": {"type": "string"}},),
                               {"description": "entity description", "content": {mt: {} for mt in (
                                   "text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")}}),
            "/{name}": _get("Vocabulary documentation (ontology, tools, topics) as HTML or Turtle",
                            ({"name": "name", "in": "path", "required": True,
                              "schema": {"type": "string", "enum": ["ontology", "tools", "topics"]}},),
                            {"description": "vocabulary", "content": {"text/html": {}, "text/turtle": {}}}, ("404",)),
            "/": page("Home page"),
            "/pages/reunions": page("Meetings"),
            "/pages/organisations": page("Organizations", opt("kind", "class IRI or club: name")),
            "/pages/outils": page("Tools", opt("tool", "tool IRI")),
            "/pages/demandes": page("Requests", opt("topic", "topic IRI"), opt("org", "organization IRI"),
                                    opt("stance", "stance IRI"), opt("raiser", "raiser IRI")),
            "/pages/requete": page("SPARQL query page", opt("query", "SPARQL query")),
            "/pages/qui-veut-quoi": page("Topics × organizations matrix"),
            "/catalog": _get("DCAT-AP catalogue of the open-data publication (Turtle or JSON-LD)", (),
                             {"description": "catalogue", "content": {"text/turtle": {}, "application/ld+json": {}}},
                             ("406",)),
            "/catalog.ttl": _get("DCAT-AP catalogue, Turtle", (), {"description": "catalogue",
                                                                    "content": {"text/turtle": {}}}, ()),
            "/catalog.jsonld": _get("DCAT-AP catalogue, JSON-LD", (), {"description": "catalogue",
                                                                        "content": {"application/ld+json": {}}}, ()),
            "/.well-known/void": _get("VoID description of the dataset", (), {"description": "VoID",
                                                                               "content": {"text/turtle": {}}}, ()),
            "/context.jsonld": _get("JSON-LD context of the JSON-LD dumps", (),
                                    {"description": "context", "content": {"application/ld+json": {}}}, ()),
            "/dumps/": _get("Published files with size and SHA-256", (),
                            {"description": "file list", "content": {"application/json": {}}}, ()),
            "/dumps/{name}": _get("One published file (ETag = SHA-256; gzip on Accept-Encoding)",
                                  ({"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},),
                                  {"description": "dump, CSV table or CSVW metadata", "content": {mt: {} for mt in (
                                      "application/n-quads", "application/trig", "text/turtle", "application/n-triples",
                                      "application/ld+json", "text/csv", "application/csvm+json", "application/gzip")}},
                                  ("404",)),
            "/reports": {"post": {
                "summary": "Ingest a report (needs the update token): body = its text, ?name = its file name",
                "parameters": [{"name": "name", "in": "query", "required": True, "schema": {"type": "string"},
                                "description": "file name, e.g. 2021-12-02-club-publik.md"}],
                "requestBody": {"content": {"text/markdown": {"schema": {"type": "string"}},
                                            "text/plain": {"schema": {"type": "string"}}}},
                "responses": {"201": {"description": "stored", "content": {"application/json": {}}},
                              "200": {"description": "replaced or unchanged", "content": {"application/json": {}}},
                              **{c: PROBLEM for c in ("400", "401", "403", "413", "415", "422")}}}},
            "/openapi.json": _get("This document", (), {"description": "OpenAPI 3", "content": {"application/json": {}}}, ()),
        },
        "components": {"schemas": {"Problem": {"type": "object", "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}}}}},
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
