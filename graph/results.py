"""Write query results for people (table) and programs (CSV, SPARQL JSON, RDF)."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from .store import XSD_STRING, OxigraphStore, Result, StoreError

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
               "trig": "trig", "nquads": "nquads"}


# -- SELECT / ASK results, written row by row ----------------------------------------
# Each format is (head, row, separator, tail): a writer that stops at any row boundary
# still writes a whole document, so a result is cut without ever being built whole.

_str = json.JSONEncoder(ensure_ascii=False).encode


def _json_cell(c) -> str:
    kind, value, extra = c
    if kind == "u":
        return '{"type":"uri","value":' + _str(value) + "}"
    if kind == "b":
        return '{"type":"bnode","value":' + _str(value) + "}"
    if extra.startswith("@"):
        return '{"type":"literal","value":' + _str(value) + ',"xml:lang":' + _str(extra[1:]) + "}"
    if extra != XSD_STRING:
        return '{"type":"literal","value":' + _str(value) + ',"datatype":' + _str(extra) + "}"
    return '{"type":"literal","value":' + _str(value) + "}"


def _json_head(vars) -> str:
    return '{"head":{"vars":' + json.dumps(vars, ensure_ascii=False) + '},"results":{"bindings":['


def _json_row(vars, row) -> str:
    return "{" + ",".join(f"{_str(v)}:{_json_cell(c)}" for v, c in zip(vars, row) if c is not None) + "}"


def _json_tail(cut: dict | None) -> str:
    # the cut is stated in the document too: {"truncated": true, "limit": N, ...}
    return "]}" + "".join(f',"{k}":{json.dumps(v)}' for k, v in (cut or {}).items()) + "}"


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
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


def _xml_row(vars, row) -> str:
    from xml.sax.saxutils import escape, quoteattr
    out = ["<result>"]
    for v, c in zip(vars, row):
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
    return "\n".join(out)


def _xml_head(vars) -> str:
    from xml.sax.saxutils import quoteattr
    return "\n".join(['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>',
                      *(f"<variable name={quoteattr(v)}/>" for v in vars), "</head>", "<results>"])


SOLUTION_FORMATS = {
    "json": (_json_head, _json_row, ",", _json_tail),
    "csv": (_csv_line, lambda vars, row: _csv_line(["" if c is None else c[1] for c in row]), "", lambda cut: ""),
    "tsv": (lambda vars: "\t".join(f"?{v}" for v in vars) + "\n",
            lambda vars, row: "\t".join(_tsv_term(c) for c in row) + "\n", "", lambda cut: ""),
    "xml": (_xml_head, _xml_row, "\n", lambda cut: "\n</results>\n</sparql>\n"),
}
_XML_ASK = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>\n</head>\n' \
           "<boolean>{}</boolean>\n</sparql>\n"
ASK_WRITERS = {
    "json": lambda b: json.dumps({"head": {}, "boolean": b}),
    "csv": lambda b: f"boolean\r\n{'true' if b else 'false'}\r\n",
    "tsv": lambda b: "?boolean\n" + ("true" if b else "false") + "\n",
    "xml": lambda b: _XML_ASK.format("true" if b else "false"),
}
TAIL_RESERVE = 256          # bytes kept free for a document's tail under the byte cap


def _solutions(res: Result, fmt: str, limits: "Limits") -> tuple[bytes, dict | None]:
    """SELECT rows written in ``fmt``, at most ``limits.rows`` of them and about
    ``limits.bytes`` in all (cut at a row boundary); the cut made, if any."""
    head, write_row, sep, tail = SOLUTION_FORMATS[fmt]
    parts = [head(res.vars).encode()]
    size, n, cut = len(parts[0]), 0, None
    budget = limits.bytes - TAIL_RESERVE
    for row in res.iter_compact():
        if n == limits.rows:                      # row cap + 1 read: there is more
            cut = {"truncated": True, "limit": limits.rows}
            break
        piece = ((sep if n else "") + write_row(res.vars, row)).encode()
        if size + len(piece) > budget:
            cut = {"truncated": True, "limit": n, "max_bytes": limits.bytes}
            break
        parts.append(piece)
        size += len(piece)
        n += 1
    if cut is None and res.truncated:             # cut earlier, when the result was taken
        cut = {"truncated": True, "limit": n}
    parts.append(tail(cut).encode())
    return b"".join(parts), cut


def to_json(res: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    return _written(res, "json")


def to_csv(res: Result) -> str:
    """SPARQL 1.1 Query Results CSV."""
    return _written(res, "csv")


def to_tsv(res: Result) -> str:
    """SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    return _written(res, "tsv")


def to_xml(res: Result) -> str:
    """SPARQL Query Results XML Format."""
    return _written(res, "xml")


def _written(res: Result, fmt: str) -> str:
    if res.kind == "ask":
        return ASK_WRITERS[fmt](res.boolean)
    return _solutions(res, fmt, Limits(rows=-1, bytes=1 << 62))[0].decode("utf-8")


SOLUTION_WRITERS = {"json": to_json, "csv": to_csv, "tsv": to_tsv, "xml": to_xml}


# -- CONSTRUCT / DESCRIBE results, written by Oxigraph triple by triple ----------------

OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
            "dcterms": "http://purl.org/dc/terms/", "schema": "https://schema.org/",
            "club": "https://w3id.org/publik-kg/ontology#"}


def _ox_term(t: Node):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD_STRING)))
    return ox.BlankNode(str(t))


class _Sink:
    """Where Oxigraph writes: the bytes so far, and how many."""

    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, b) -> int:
        self.parts.append(bytes(b))
        self.size += len(b)
        return len(b)

    def flush(self) -> None:
        pass


def _graph(res: Result, fmt: str, limits: "Limits") -> tuple[bytes, dict | None]:
    """CONSTRUCT/DESCRIBE triples written in ``fmt``: at most ``limits.triples`` of them and
    about ``limits.bytes`` in all, the serializer fed one triple at a time."""
    if res.stream is not None:
        triples, res.stream = res.stream, None
    else:
        triples = (ox.Triple(*map(_ox_term, t)) for t in res.triples)
    quads = fmt in ("trig", "nquads")
    sink, state = _Sink(), {"n": 0, "cut": None, "pending": 0, "seen": 0}
    budget = limits.bytes - TAIL_RESERVE

    def feed():
        for t in triples:
            if state["n"] == limits.triples:
                state["cut"] = {"truncated": True, "limit": limits.triples}
                return
            # bytes written, plus about what the serializer still holds since its last write
            if sink.size != state["seen"]:
                state["seen"], state["pending"] = sink.size, 0
            size = len(str(t)) + 3
            if sink.size + state["pending"] + size > budget:
                state["cut"] = {"truncated": True, "limit": state["n"], "max_bytes": limits.bytes}
                return
            state["pending"] += size
            state["n"] += 1
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) if quads else t

    try:
        ox.serialize(feed(), sink, OX_FORMATS[fmt], prefixes=PREFIXES if fmt in ("turtle", "trig") else None)
    except (ValueError, TypeError, OSError) as e:
        raise StoreError(f"the result cannot be written as {fmt}: {e}") from None
    if state["cut"] is None and res.truncated:
        state["cut"] = {"truncated": True, "limit": state["n"]}
    return b"".join(sink.parts), state["cut"]


# -- what a query worker sends back ----------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """How much of a result is written: rows (SELECT), triples (CONSTRUCT/DESCRIBE), bytes."""
    rows: int = 10_000
    triples: int = 100_000
    bytes: int = 16_000_000

    @classmethod
    def of(cls, formats: dict | None) -> "Limits":
        f, d = formats or {}, cls()
        return cls(f.get("max_rows", d.rows), f.get("max_triples", d.triples), f.get("max_bytes", d.bytes))


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
    """A result already written in one format (by a query worker process); ``cut`` says
    how it was truncated (``{"truncated": True, "limit": N[, "max_bytes": B]}``) or is None."""

    def __init__(self, kind: str, fmt: str, body: bytes, cut: dict | None = None):
        self.kind, self.fmt, self.body, self.cut = kind, fmt, body, cut
        self.truncated = cut is not None

    @property
    def truncation(self) -> str:
        """The X-Result-Truncated header value: ``true; limit=N`` (N rows or triples sent
        under the count cap, or as many as fit under ``max-bytes``)."""
        if self.cut is None:
            return ""
        extra = f"; max-bytes={self.cut['max_bytes']}" if "max_bytes" in self.cut else ""
        return f"true; limit={self.cut['limit']}{extra}"


def encode(res: Result, fmt: str, limits: "Limits | int") -> Encoded:
    """``res`` written in ``fmt``, cut to ``limits`` (rows, triples, bytes: an int is a row
    cap); a lazy result is read only as far as it is written. A SELECT cut says so in JSON."""
    if isinstance(limits, int):
        limits = Limits(rows=limits)
    if res.kind == "ask":
        return Encoded("ask", fmt, ASK_WRITERS[fmt](res.boolean).encode("utf-8"))
    if res.kind == "graph":
        return Encoded("graph", fmt, *_graph(res, fmt, limits))
    if (fmt == "json" and res.json_body is not None and not res.truncated
            and len(res.json_body) <= min(2 * limits.rows, limits.bytes)):
        return Encoded("select", fmt, res.json_body)          # too short to hold more rows than allowed
    return Encoded("select", fmt, *_solutions(res, fmt, limits))


def answer(store, sparql: str, formats: dict | None = None, **kw) -> Result | Encoded:
    """Run a read query, within the limits ``formats`` gives (``max_rows``, ``max_triples``,
    ``max_bytes``; defaults: ``Limits()``). The result comes back written when ``formats``
    names a format for its kind (``{"select": "json", "graph": "turtle", ...}``); otherwise
    as a ``Result`` cut to those limits (``Result.truncated``). On the embedded store the
    query is evaluated only as far as the limits let the result be read."""
    limits = Limits.of(formats)
    if isinstance(store, OxigraphStore):
        res = store.query(sparql, lazy=True, **kw)
    else:
        res = store.query(sparql, as_json=bool(formats) and formats.get("select") == "json", **kw)
    if formats and formats.get(res.kind):
        return encode(res, formats[res.kind], limits)
    if res.kind != "ask":
        res.truncate(limits.rows if res.kind == "select" else limits.triples, limits.bytes)
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
