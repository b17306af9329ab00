"""A remote SPARQL 1.1 server as the store (Oxigraph server, Fuseki, Virtuoso, GraphDB,
Neptune…), configured by URLs.

Reads go through SPARQLWrapper (SPARQL 1.1 Protocol, POST); with a Graph Store Protocol
endpoint, whole graphs are read as N-Triples bodies instead (pull, dumps). Writes go to the
update endpoint: ``replace_graphs`` sends **one** update request
(``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`` for each graph), which the
server applies as one transaction, so readers see every graph old or new, never half, and
nothing else: no staging graph, which the union default graph would show to every query and
a killed writer would leave behind. The request is safe to repeat. Callers bound its size
(``transfer`` copies in groups of about 100,000 triples). Requests that fail for transient
reasons (connection refused, time out, HTTP 429/5xx) are retried with exponential backoff,
a bounded number of times.

The server's default graph must be the union of its named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``; Virtuoso, GraphDB and
Neptune do so by default), as for the embedded store.
"""
from __future__ import annotations

import ast
import base64
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import pyoxigraph as ox
from rdflib import URIRef
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                            SPARQLWrapperException, Unauthorized)

from .sparqltext import BindingError, inject_values, sparql_term, tokens
from .store import GRAPH_FORMATS, QuerySyntaxError, Result, Store, StoreError, from_ox

@dataclass(frozen=True)
class RemoteConfig:
    query_url: str
    update_url: str = ""
    gsp_url: str = ""
    user: str = ""
    password: str = ""
    timeout: float = 60.0
    retries: int = 3

    def __post_init__(self):
        for url in (self.query_url, self.update_url, self.gsp_url):
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"not an http(s) URL: {url!r}")


class _Transient(Exception):
    """A failure worth retrying."""


NETWORK = (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError)


def _failure(code: int, where: str) -> Exception:
    """What an HTTP error status means for the caller: retry, or a clear error."""
    if code in (401, 403):
        return StoreError(f"{where} refused the credentials (HTTP {code})")
    if code == 429 or code >= 500:
        return _Transient(f"HTTP {code}")
    return StoreError(f"{where} answered HTTP {code}")


def _form(sparql: str) -> str:
    for _, word, depth in tokens(sparql):
        w = word.upper()
        if depth == 0 and w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return w
    return ""


class RemoteStore(Store):
    def __init__(self, config: RemoteConfig, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self.sleep = sleep
        self.url = config.query_url          # shown in messages

    # -- transport -------------------------------------------------------------------

    def _retrying(self, what: str, call: Callable[[], bytes], retry: bool = True) -> bytes:
        delay = 0.5
        for attempt in range(self.config.retries + 1):
            try:
                return call()
            except _Transient as e:
                if not retry or attempt == self.config.retries:
                    raise StoreError(f"{what}: the SPARQL server at {self.url} failed ({e}) "
                                     f"after {attempt + 1} attempt(s)") from None
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _wrapper(self) -> SPARQLWrapper:
        """A POST request (query or update: SPARQLWrapper sends each to its endpoint)."""
        sw = SPARQLWrapper(self.config.query_url, updateEndpoint=self.config.update_url or None)
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
        sw.setTimeout(int(self.config.timeout))
        if self.config.user:
            sw.setCredentials(self.config.user, self.config.password)
        return sw

    def _send(self, sw: SPARQLWrapper) -> bytes:
        try:
            res = sw.query()
            return res.response.read()
        except QueryBadFormed as e:
            raise QuerySyntaxError(_detail(e)) from None
        except Unauthorized:
            raise StoreError(f"the SPARQL server at {self.url} refused the credentials (HTTP 401)") from None
        except EndPointNotFound:
            raise StoreError(f"no SPARQL endpoint at {self.url} (HTTP 404)") from None
        except EndPointInternalError as e:
            raise _Transient(f"HTTP 500: {_detail(e)}") from None
        except urllib.error.HTTPError as e:
            raise _failure(e.code, f"the SPARQL server at {self.url}") from None
        except NETWORK as e:
            raise _Transient(str(getattr(e, "reason", e))) from None
        except SPARQLWrapperException as e:
            raise StoreError(f"the SPARQL server at {self.url}: {_detail(e)}") from None

    def _gsp(self, method: str, graph: str, body: bytes | None = None) -> bytes:
        url = f"{self.config.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        req = urllib.request.Request(url, data=body, method=method)
        req.add_header("Accept", "application/n-triples")
        if body is not None:
            req.add_header("Content-Type", "application/n-triples")
        if self.config.user:
            token = base64.b64encode(f"{self.config.user}:{self.config.password}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=self.config.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            if e.code == 404 and method == "GET":
                return b""                              # a graph that does not exist is empty
            raise _failure(e.code, f"the Graph Store at {self.config.gsp_url}") from None
        except NETWORK as e:
            raise _Transient(str(getattr(e, "reason", e))) from None

    # -- reading ---------------------------------------------------------------------

    def query(self, sparql, bindings=None, *, default_graphs=None, named_graphs=None, base_iri=None,
              as_json: bool = False) -> Result:
        try:
            text = inject_values(sparql, bindings) if bindings else sparql
        except BindingError as e:
            raise StoreError(str(e)) from e
        if base_iri:                           # on the first line: positions in errors stay right
            text = f"BASE <{URIRef(base_iri)}> {text}"
        form = _form(text)
        if not form:
            raise QuerySyntaxError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")

        def call() -> bytes:
            sw = self._wrapper()
            sw.setQuery(text)
            sw.queryType = form       # SPARQLWrapper guesses from keywords anywhere (even in comments)
            for g in default_graphs or ():
                sw.addDefaultGraph(g)
            for g in named_graphs or ():
                sw.addNamedGraph(g)
            if form in ("SELECT", "ASK"):
                sw.setReturnFormat(JSON)
            else:
                sw.setOnlyConneg(True)
                sw.addCustomHttpHeader("Accept", "application/n-triples")
            return self._send(sw)

        body = self._retrying("query", call)
        if form == "ASK":
            return Result("ask", boolean=bool(json.loads(body)["boolean"]))
        if form == "SELECT":
            head = json.loads(body)["head"].get("vars", [])
            return Result("select", head, json_body=body)
        triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                   for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return Result("graph", triples=triples)

    def graph_names(self) -> list[str]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r[0]) for r in res.rows)

    def _graph_ntriples(self, graph: str) -> bytes:
        if self.config.gsp_url:
            return self._retrying("read graph", lambda: self._gsp("GET", graph))
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)})
        return "".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .\n" for s, p, o in res.triples).encode("utf-8")

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        mem = ox.Store()
        names = [graph] if graph is not None else self.graph_names()
        for name in names:
            data = self._graph_ntriples(name)
            if data:
                mem.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        f = GRAPH_FORMATS[fmt]
        if graph is not None:
            return mem.dump(format=f, from_graph=ox.NamedNode(graph))
        if fmt in ("nquads", "trig"):
            return mem.dump(format=f)
        res = mem.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return ox.serialize(res, format=f)

    def count(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0][0])

    # -- writing ---------------------------------------------------------------------

    def update(self, sparql: str, base_iri: str | None = None, retry: bool = True) -> None:
        if not self.config.update_url:
            raise StoreError("this remote store is read-only: no update URL configured")
        text = f"BASE <{URIRef(base_iri)}> {sparql}" if base_iri else sparql

        def call() -> bytes:
            sw = self._wrapper()
            sw.setQuery(text)
            sw.queryType = "INSERT"   # an update, whatever words its comments hold
            return self._send(sw)
        self._retrying("update", call, retry)

    def replace_graphs(self, graphs: Mapping[str, Iterable], drop: Iterable[str] = ()) -> None:
        ops = [f"DROP SILENT GRAPH <{URIRef(d)}>" for d in drop]
        for g, triples in graphs.items():
            ops.append(f"DROP SILENT GRAPH <{URIRef(g)}>")
            lines = "\n".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in triples)
            if lines:
                ops.append(f"INSERT DATA {{ GRAPH <{URIRef(g)}> {{\n{lines}\n}} }}")
        if ops:
            self.update(" ;\n".join(ops))             # one request: the server applies it whole


def _detail(e: Exception) -> str:
    """The server's own message out of a SPARQLWrapper exception ("…Response:\nb'…'")."""
    text = str(e)
    text = text.split("Response:", 1)[-1].strip() if "Response:" in text else text
    if text[:2] in ("b'", 'b"') and text[-1:] == text[1]:
        try:
            text = ast.literal_eval(text).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    return text[:300]
