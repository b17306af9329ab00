"""Write query results for people (table) and programs (CSV, SPARQL JSON, RDF)."""
from __future__ import annotations

import csv
import io
import json

from rdflib import Literal, URIRef
from rdflib.term import Node

from .store import XSD_STRING, Result

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
               "trig": "trig", "nquads": "nquads"}


def _json_term(c) -> dict:
    kind, value, extra = c
    if kind == "u":
        return {"type": "uri", "value": value}
    if kind == "b":
        return {"type": "bnode", "value": value}
    if extra.startswith("@"):
        return {"type": "literal", "value": value, "xml:lang": extra[1:]}
    if extra != XSD_STRING:
        return {"type": "literal", "value": value, "datatype": extra}
    return {"type": "literal", "value": value}


def to_json(res: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if res.kind == "ask":
        return json.dumps({"head": {}, "boolean": res.boolean})
    bindings = [{v: _json_term(c) for v, c in zip(res.vars, row) if c is not None} for row in res.compact_rows]
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
    for row in res.compact_rows:
        w.writerow(["" if c is None else c[1] for c in row])
    return buf.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(c) -> str:
    if c is None:
        return ""
    kind, value, extra = c
    if kind == "u":
        return f"<{value}>"
    if kind == "b":
        return f"_:{value}"
    lit = f'"{value.translate(_TSV_ESCAPES)}"'
    return lit + (extra if extra.startswith("@") else "" if extra == XSD_STRING else f"^^<{extra}>")


def to_tsv(res: Result) -> str:
    """SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    if res.kind == "ask":
        return "?boolean\n" + ("true" if res.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in res.vars)]
    lines += ["\t".join(_tsv_term(c) for c in row) for row in res.compact_rows]
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
        for row in res.compact_rows:
            out.append("<result>")
            for v, c in zip(res.vars, row):
                if c is None:
                    continue
                kind, value, extra = c
                if kind == "u":
                    val = f"<uri>{escape(value)}</uri>"
                elif kind == "b":
                    val = f"<bnode>{escape(value)}</bnode>"
                elif extra.startswith("@"):
                    val = f"<literal xml:lang={quoteattr(extra[1:])}>{escape(value)}</literal>"
                else:
                    val = f"<literal datatype={quoteattr(extra)}>{escape(value)}</literal>"
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
    if fmt == "json" and res.json_body is not None:
        return res.json_body
    return SOLUTION_WRITERS[fmt](res).encode("utf-8")


class Encoded:
    """A result already written in one format (by a query worker process)."""

    def __init__(self, kind: str, fmt: str, body: bytes, truncated: bool):
        self.kind, self.fmt, self.body, self.truncated = kind, fmt, body, truncated


def encode(res: Result, fmt: str, max_rows: int) -> Encoded:
    """``res`` written in ``fmt``, cut to ``max_rows`` rows; the cut is stated in JSON."""
    truncated = res.kind == "select" and res.truncate(max_rows)
    body = serialize(res, fmt)
    if truncated and fmt == "json":
        body = body[:-1] + f', "truncated": true, "limit": {max_rows}}}'.encode()
    return Encoded(res.kind, fmt, body, truncated)


def answer(store, sparql: str, formats: dict | None = None, **kw) -> Result | Encoded:
    """Run a read query; the result comes back written when ``formats`` names a format for
    its kind (``{"select": "json", "graph": "turtle", ..., "max_rows": n}``)."""
    res = store.query(sparql, as_json=bool(formats) and formats.get("select") == "json", **kw)
    if formats and formats.get(res.kind):
        return encode(res, formats[res.kind], formats["max_rows"])
    return res


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
