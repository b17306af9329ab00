"""Media types as data: what each kind of result can be written as."""
from __future__ import annotations

from flask import Request

SOLUTIONS = {  # SELECT / ASK
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPHS = {  # CONSTRUCT / DESCRIBE
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "ntriples",
}
# ?format= shortcuts
ALIASES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
           "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
           "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
           "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "trig": "application/trig",
           "nquads": "application/n-quads", "nq": "application/n-quads"}


def choose(request: Request, offered: dict[str, str]) -> str | None:
    """The media type to answer with: ?format= first, then Accept (q-values,
    wildcards); the first offered type when the client states no preference."""
    fmt = request.args.get("format")
    if fmt:
        mt = "text/html" if fmt.lower() == "html" else ALIASES.get(fmt.lower(), fmt.lower())
        return mt if mt in offered else None
    if not request.accept_mimetypes:
        return next(iter(offered))
    return request.accept_mimetypes.best_match(list(offered))


def prefers_html(request: Request) -> bool:
    """A browser: text/html ranked above the machine formats."""
    if request.args.get("format"):
        return request.args["format"].lower() == "html"
    accept = request.accept_mimetypes
    return bool(accept) and accept["text/html"] > 0 and accept["text/html"] >= accept["application/sparql-results+json"] \
        and accept["text/html"] >= accept["text/turtle"] and "text/html" in [m for m, _ in accept]
