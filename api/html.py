"""Server-rendered pages: results tables with links (Jinja escapes every value; only
http(s) IRIs become links, so a ``javascript:`` or ``data:`` IRI from the graph or from a
query result is shown as text)."""
from __future__ import annotations

from flask import render_template, request
from rdflib import URIRef

from publik_kg.results import short
from publik_kg.vocab import CLUB, TOOL, TOPIC

PREFIXES = {"club": str(CLUB), "tool": str(TOOL), "topic": str(TOPIC)}


def local_href(iri: str, base: str) -> str | None:
    """The path on this server that describes an IRI, if it is one of ours."""
    if iri.startswith(base + "id/"):
        return "/" + iri[len(base):]
    for name, ns in (("ontology", str(CLUB)), ("tools", str(TOOL)), ("topics", str(TOPIC))):
        if iri.startswith(ns):
            return f"/{name}#{iri[len(ns):]}"
    return None


LINKABLE_SCHEMES = ("http", "https")


def iri_href(iri: str, base: str) -> str | None:
    """Where a link to an IRI points: our own page for it, else the IRI itself when it is
    an http(s) IRI; None (show it as text) for every other scheme."""
    local = local_href(iri, base)
    if local is not None:
        return local
    scheme, sep, rest = iri.partition(":")
    return iri if sep and scheme.lower() in LINKABLE_SCHEMES and rest.startswith("//") else None


def cell(term, base: str) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, URIRef):
        return {"text": short(term, {**PREFIXES, "": base}), "href": iri_href(str(term), base)}
    return {"text": str(term)}


def table_page(title: str, res, base: str, truncated: bool = False, intro: str = "", downloads=None) -> str:
    rows = [[cell(t, base) for t in row] for row in res.rows]
    return render_template("table.html", title=title, vars=res.vars, rows=rows, truncated=truncated,
                           boolean=res.boolean if res.kind == "ask" else None, intro=intro,
                           downloads=downloads or [])


def download_links(path: str, formats=("csv", "json", "tsv", "xml")) -> list[tuple[str, str]]:
    args = request.args.to_dict(flat=True)
    args.pop("format", None)
    from urllib.parse import urlencode
    return [(f.upper(), f"{path}?{urlencode({**args, 'format': f})}") for f in formats]


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
