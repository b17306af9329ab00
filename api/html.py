"""Server-rendered pages: results tables with links (Jinja escapes every value)."""
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


def cell(term, base: str) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, URIRef):
        href = local_href(str(term), base)
        return {"text": short(term, {**PREFIXES, "": base}), "href": href or str(term)}
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
