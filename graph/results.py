"""Write query results for people (table) and programs (CSV, SPARQL JSON, RDF)."""
from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .store import Result

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
               "trig": "trig", "nquads": "nquads"}


def _json_term(t: Node) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    out = {"type": "literal", "value": str(t)}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and str(t.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = str(t.datatype)
    return out


def to_json(res: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if res.kind == "ask":
        return json.dumps({"head": {}, "boolean": res.boolean})
    bindings = [{v: _json_term(t) for v, t in zip(res.vars, row) if t is not None} for row in res.rows]
    return json.dumps({"head": {"vars": res.vars}, "results": {"bindings": bindings}}, ensure_ascii=False)


def to_csv(res: Result) -> str:
    """SPARQL 1.1 Query Results CSV."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if res.kind == "ask":
        w.writerow(["boolean"])
        w.writerow(["true" if res.boolean else "false"])
        return buf.getvalue()
    w.writerow(res.vars)
    for row in res.rows:
        w.writerow(["" if t is None else str(t) for t in row])
    return buf.getvalue()


def _tsv_term(t: Node | None) -> str:
    if t is None:
        return ""
    return t.n3().replace("\t", "\\t").replace("\n", "\\n")


def to_tsv(res: Result) -> str:
    """SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    if res.kind == "ask":
        return "?boolean\n" + ("true" if res.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in res.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in res.rows]
    return "\n".join(lines) + "\n"


def to_xml(res: Result) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in res.vars]
    out.append("</head>")
    if res.kind == "ask":
        out.append(f"<boolean>{'true' if res.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in res.rows:
            out.append("<result>")
            for v, t in zip(res.vars, row):
                if t is None:
                    continue
                if isinstance(t, URIRef):
                    val = f"<uri>{escape(str(t))}</uri>"
                elif isinstance(t, BNode):
                    val = f"<bnode>{escape(str(t))}</bnode>"
                elif t.language:
                    val = f"<literal xml:lang={quoteattr(t.language)}>{escape(str(t))}</literal>"
                elif t.datatype:
                    val = f"<literal datatype={quoteattr(str(t.datatype))}>{escape(str(t))}</literal>"
                else:
                    val = f"<literal>{escape(str(t))}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{val}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


SOLUTION_WRITERS = {"json": to_json, "csv": to_csv, "tsv": to_tsv, "xml": to_xml}


def serialize(res: Result, fmt: str) -> bytes:
    """Bytes of a result in a SOLUTION_WRITERS or RDF_FORMATS format."""
    if res.kind == "graph":
        if fmt in ("trig", "nquads"):
            from rdflib import Dataset
            d = Dataset()
            for t in res.triples:
                d.add(t)
            return d.serialize(format=RDF_FORMATS[fmt]).encode("utf-8")
        return to_rdf(res, fmt).encode("utf-8")
    return SOLUTION_WRITERS[fmt](res).encode("utf-8")


def short(t: Node | None, prefixes: dict[str, str]) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        for p, ns in prefixes.items():
            if str(t).startswith(ns):
                return f"{p}:{str(t)[len(ns):]}" if p else str(t)[len(ns):]
        return str(t)
    if isinstance(t, Literal):
        return str(t)
    return f"_:{t}"


def to_table(res: Result, prefixes: dict[str, str], width: int = 60) -> str:
    if res.kind == "ask":
        return "yes" if res.boolean else "no"
    cells = [[short(t, prefixes).replace("\n", " ") for t in row] for row in res.rows]
    cells = [[c if len(c) <= width else c[:width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(res.vars)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(res.vars), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def to_rdf(res: Result, fmt: str) -> str:
    return res.graph().serialize(format=RDF_FORMATS[fmt])
