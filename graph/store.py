"""The store interface and its embedded backend (Oxigraph, on disk or in memory).

Callers use only ``Store``: query, update, atomic replacement of named graphs, listing
and export. A remote SPARQL 1.1 backend can implement the same methods.
"""
from __future__ import annotations

import io
import json
import os
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .sparqltext import BindingError, declares_dataset, inject_values, sparql_term

# RDF formats Oxigraph writes dumps in.
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "rdfxml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


class StoreError(Exception):
    """A store operation failed; the message is meant for people."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse."""


class StoreUnavailable(StoreError):
    """The store could not answer, through no fault of the request (a disk error, an
    allowed remote endpoint failing): a 503, not a 400."""


class NetworkClosed(StoreError):
    """The evaluation tried to open a connection and the network sandbox refused it."""


def evaluation_error(e: Exception) -> StoreError:
    """The StoreError an exception raised while Oxigraph evaluates stands for."""
    if isinstance(e, PermissionError):
        return NetworkClosed("a network connection was refused: queries and updates cannot reach the network")
    if isinstance(e, OSError):
        return StoreUnavailable(f"the store could not answer: {e}")
    return StoreError(f"query evaluation failed: {e}")


# A result cell in transport form: ("u", iri, "") | ("b", id, "") | ("l", text, "@lang" or datatype IRI).
# Cheap to build from Oxigraph terms, to pickle between processes and to serialize;
# rdflib terms are made only when a caller reads ``Result.rows``.
Compact = tuple[str, str, str]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact(term: Node | None) -> Compact | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("u", str(term), "")
    if isinstance(term, BNode):
        return ("b", str(term), "")
    return ("l", str(term), f"@{term.language}" if term.language else str(term.datatype or XSD_STRING))


def expand(c: Compact | None) -> Node | None:
    if c is None:
        return None
    kind, value, extra = c
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    return Literal(value, lang=extra[1:]) if extra.startswith("@") else Literal(value, datatype=URIRef(extra))


def ox_compact(t) -> Compact | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("u", t.value, "")
    if isinstance(t, ox.BlankNode):
        return ("b", t.value, "")
    return ("l", t.value, f"@{t.language}" if t.language else t.datatype.value)


def _size(item) -> int:
    """About how many bytes a compact row or a pyoxigraph triple takes once written."""
    if isinstance(item, tuple):
        return sum(len(c[1]) + len(c[2]) + 16 for c in item if c is not None) + 2
    return len(str(item)) + 3


def _evaluated(items: Iterator) -> Iterator:
    """``items`` as a lazy query result yields them: errors of the evaluation, which now
    happen while the result is read, become StoreError (MemoryError stays itself)."""
    try:
        yield from items
    except MemoryError:
        raise
    except Exception as e:
        raise evaluation_error(e) from e


def _json_compact(term: dict | None) -> Compact | None:
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return ("u", term["value"], "")
    if kind == "bnode":
        return ("b", term["value"], "")
    lang = term.get("xml:lang")
    return ("l", term["value"], f"@{lang}" if lang else term.get("datatype", XSD_STRING))


class Result:
    """A query result: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    A *lazy* result (``OxigraphStore.query(..., lazy=True)``) holds ``stream`` instead: an
    iterator, read once, of compact rows (SELECT) or of pyoxigraph ``Triple`` (CONSTRUCT /
    DESCRIBE; ``triples`` stays empty until ``truncate`` reads them). The store evaluates
    only as far as the stream is read, so a reader that stops after n items costs n items,
    whatever the whole result would have been."""

    def __init__(self, kind: str, vars: list[str] | None = None, rows=None, boolean: bool | None = None,
                 triples=None, compact_rows: list[tuple[Compact | None, ...]] | None = None,
                 json_body: bytes | None = None, stream: Iterator | None = None):
        self.kind = kind                        # "select", "ask" or "graph"
        self.vars = vars or []
        self.boolean = boolean
        self.triples = triples or []
        self.stream = stream
        self.truncated = False                  # rows or triples were dropped (``truncate``)
        # SELECT rows come as compact tuples, or as the store's own SPARQL JSON (read lazily)
        self.json_body = json_body
        self._compact = compact_rows if compact_rows is not None or json_body is not None or stream is not None \
            else [tuple(compact(t) for t in row) for row in (rows or [])]
        self._rows = None

    @property
    def compact_rows(self) -> list[tuple[Compact | None, ...]]:
        if self.stream is not None and self.kind == "select":
            self._compact, self.stream = list(self.stream), None      # the whole result: see ``truncate``
        if self._compact is None:
            bindings = json.loads(self.json_body)["results"]["bindings"]
            self._compact = [tuple(_json_compact(b.get(v)) for v in self.vars) for b in bindings]
        return self._compact

    def iter_compact(self) -> Iterator[tuple[Compact | None, ...]]:
        """The rows in compact form, read from the stream of a lazy result (once)."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            return stream
        return iter(self.compact_rows)

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            self._rows = [tuple(expand(c) for c in row) for row in self.compact_rows]
        return self._rows

    def truncate(self, n: int, max_bytes: int | None = None) -> bool:
        """Keep the first n rows (triples for a lazy CONSTRUCT/DESCRIBE), and of a lazy result
        no more than about ``max_bytes`` of term text; True when some were dropped, now or by
        an earlier call. A lazy result is read n + 1 items deep, never further."""
        if self.stream is not None:
            kept, size = [], 0
            for item in self.stream:
                size += _size(item)
                if len(kept) == n or (max_bytes is not None and size > max_bytes):
                    self.truncated = True
                    break
                kept.append(item)
            self.stream = None
            if self.kind == "graph":
                self.triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in kept]
            else:
                self._compact, self._rows = kept, None
            return self.truncated
        if self.kind != "select":
            return self.truncated
        if self._compact is None and len(self.json_body) <= 2 * n:
            return self.truncated               # a row takes at least 2 bytes of JSON: no need to look
        if len(self.compact_rows) <= n:
            return self.truncated
        self._compact, self._rows, self.json_body = self._compact[:n], None, None
        self.truncated = True
        return True

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g


def from_ox(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


class Store(ABC):
    """What the rest of publik-kg needs from a triple store."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, as_json: bool = False) -> Result:
        """Run a query; the default graph is the union of all named graphs unless given here
        or by the query's FROM / FROM NAMED (the W3C dataset rules then apply).
        ``as_json`` is a hint that the SELECT rows will be sent as SPARQL JSON."""

    @abstractmethod
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update as one transaction."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]],
                       drop: Iterable[str] = ()) -> None:
        """Replace each named graph's content and drop others, all in one transaction."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs."""

    @abstractmethod
    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialize the dataset (quad formats) or one graph (triple formats)."""

    def close(self) -> None:
        """Release the store."""


def insert_data(graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]], drop: Iterable[str] = ()) -> str:
    """One SPARQL Update that replaces the given graphs (terms written by ``sparql_term``)."""
    out = io.StringIO()
    for g in list(drop) + list(graphs):
        out.write(f"DROP SILENT GRAPH <{g}> ;\n")
    out.write("INSERT DATA {\n")
    for g, triples in graphs.items():
        out.write(f"GRAPH <{g}> {{\n")
        for s, p, o in triples:
            out.write(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .\n")
        out.write("}\n")
    out.write("}")
    return out.getvalue()


class OxigraphStore(Store):
    """Oxigraph through pyoxigraph: RocksDB on disk, or in memory when path is None."""

    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        try:
            if path is None:
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {path}: {e}") from e
        self.path = path
        self._writing = threading.RLock()      # writes and snapshots of this process, one at a time

    @property
    def generation_file(self) -> Path | None:
        return Path(f"{self.path}.generation") if self.path is not None else None

    def generation(self) -> str:
        """Changes whenever the stored data changes (other processes reopen on it)."""
        f = self.generation_file
        try:
            return f.read_text() if f is not None else ""
        except FileNotFoundError:
            return ""

    def _written(self) -> None:
        f = self.generation_file
        if f is not None:
            self.ox.flush()
            # one temporary name per writer thread: writes may overlap (updates, reasoner)
            tmp = f.with_name(f"{f.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(str(time.time_ns()))
            tmp.replace(f)

    def query(self, sparql, bindings=None, *, default_graphs=None, named_graphs=None, base_iri=None,
              as_json: bool = False, lazy: bool = False) -> Result:
        """``as_json``: keep SELECT rows as Oxigraph's own SPARQL JSON (no Python term objects;
        several times faster when the JSON is what will be sent). ``lazy``: a result whose
        rows or triples are evaluated only as they are read (``Result.stream``)."""
        kw = {"base_iri": base_iri}
        try:
            if default_graphs is not None:
                kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or [ox.DefaultGraph()]
            elif named_graphs is None and not declares_dataset(sparql):
                kw["use_default_graph_as_union"] = True     # else the query's FROM builds it
            if named_graphs is not None:
                kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as e:
            raise StoreError(f"not a graph IRI: {e}") from e
        try:
            res = self.ox.query(inject_values(sparql, bindings) if bindings else sparql, **kw)
        except BindingError as e:
            raise StoreError(str(e)) from e
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except (OSError, ValueError, RuntimeError) as e:
            raise evaluation_error(e) from e
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            if lazy:
                return Result("select", names, stream=_evaluated(tuple(map(ox_compact, sol)) for sol in res))
            if as_json:
                return Result("select", names, json_body=res.serialize(format=ox.QueryResultsFormat.JSON))
            return Result("select", names, compact_rows=[tuple(ox_compact(sol[n]) for n in names) for sol in res])
        if lazy:
            return Result("graph", stream=_evaluated(iter(res)))
        return Result("graph", triples=[(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in res])

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        with self._writing:
            try:
                self.ox.update(sparql, base_iri=base_iri)
            except SyntaxError as e:
                raise QuerySyntaxError(str(e)) from e
            except OSError as e:               # the disk, a failed LOAD: nothing was written
                raise evaluation_error(e) from e
            except (ValueError, RuntimeError) as e:
                # refused while evaluating (a DROP of a missing graph, a CREATE of an
                # existing one, an invalid base IRI): nothing was written
                raise StoreError(f"the update was refused: {e}") from e
            self._written()

    def snapshot(self, target: Path | str) -> None:
        """A consistent copy of the on-disk store in ``target`` (hard links: cheap), taken
        between two writes; readers in other processes open it instead of the live store."""
        with self._writing:
            self.ox.flush()
            self.ox.backup(str(target))

    def replace_graphs(self, graphs, drop=()) -> None:
        self.update(insert_data(graphs, drop))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        f = GRAPH_FORMATS[fmt]
        if graph is not None:
            return self.ox.dump(format=f, from_graph=ox.NamedNode(graph))
        if fmt in ("nquads", "trig"):
            return self.ox.dump(format=f)
        # A triple format for the whole dataset: the union of the named graphs.
        res = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return ox.serialize(res, format=f)

    def count(self) -> int:
        return len(self.ox)

    def close(self) -> None:
        try:
            self.ox.flush()
        except OSError:
            pass
        del self.ox
