"""No query or update reaches the network unless an operator allows its target.

Two barriers, tested separately against a real listener on 127.0.0.1 that answers like a
SPARQL endpoint (so a request that got through would also read data back):
1. the decision on the parsed request (publik_kg.outbound, run in the query workers):
   a generated family of SERVICE and LOAD forms × positions × transports must all be
   refused, and the listener must see nothing;
2. the network sandbox (api/sandbox.py): the same requests sent straight to the workers,
   past the first barrier, still reach nothing; so does LOAD in a sandboxed process.
A positive control (the operator allows the listener) shows the listener is reachable.
"""
from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from publik_kg.api import create_app
from publik_kg.api.config import Config
from publik_kg.api.pool import QueryPool
from publik_kg.store import OxigraphStore, StoreError

from conftest import BASE, FIGURES, make_dataset, seed_path

TOKEN = "outbound-test-token"
ANSWER = json.dumps({"head": {"vars": ["leak"]},
                     "results": {"bindings": [{"leak": {"type": "literal", "value": "from the listener"}}]}})


class Listener:
    """A TCP listener that records every connection and answers as a SPARQL endpoint."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.hits.append(conn.recv(4096))
                    body = ANSWER.encode()
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
                except OSError:
                    pass

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = OxigraphStore(tmp_path_factory.mktemp("outbound") / "store")
    make_dataset([seed_path()], st)
    yield st


def _app(store, **cfg):
    config = Config(workers=2, update_token=TOKEN, query_timeout=20, **cfg)
    app = create_app(config, store, BASE)
    return app


@pytest.fixture(scope="module")
def client(store):
    app = _app(store)
    yield app.test_client()
    app.extensions["publik_kg"].pool.close()


# -- the generated family ---------------------------------------------------------------

def _escaped(text: str, every: bool = False, long: bool = False) -> str:
    """``text`` with its ':' (or every character) written as a SPARQL codepoint escape."""
    esc = (lambda c: f"\\U{ord(c):08X}") if long else (lambda c: f"\\u{ord(c):04X}")
    return "".join(esc(c) if every or c == ":" else c for c in text)


def targets(url: str) -> dict[str, tuple[str, str, str]]:
    """form → (prologue, pattern binding ?svc first, the target as written after SERVICE/LOAD)."""
    host, path = url.rsplit("/", 1)
    host += "/"
    return {
        "iri": ("", "", f"<{url}>"),
        "iri-escaped-colon": ("", "", f"<{_escaped(url)}>"),
        "iri-escaped-all": ("", "", f"<{_escaped(url, every=True)}>"),
        "iri-escaped-long": ("", "", f"<{_escaped(url, every=True, long=True)}>"),
        "empty-prefix": (f"PREFIX : <{host}>\n", "", f":{path}"),
        "named-prefix": (f"PREFIX ex: <{host}>\n", "", f"ex:{path}"),
        "escaped-prefix": (f"PREFIX ex: <{_escaped(host)}>\n", "", f"ex:{path}"),
        "base-relative": (f"BASE <{host}>\n", "", f"<{path}>"),
        "var-values": ("", f"VALUES ?svc {{ <{url}> }}", "?svc"),
        "var-bind": ("", f"BIND(<{url}> AS ?svc)", "?svc"),
        "var-computed": ("", f'BIND(IRI(CONCAT("http://127.0.0.1:", "{url.split(":")[2].split("/")[0]}", "/{path}")) AS ?svc)',
                         "?svc"),
        "var-subquery": ("", f"{{ SELECT ?svc WHERE {{ BIND(<{url}> AS ?svc) }} }}", "?svc"),
    }


SERVICE_WORDS = ["SERVICE", "service", "SERVICE SILENT", "Service silent"]

POSITIONS = {
    "top": "{bind} {svc}",
    "optional": "{bind} OPTIONAL {{ {svc} }}",
    "union": "{bind} {{ ?x ?y ?z }} UNION {{ {svc} }}",
    "minus": "{bind} ?s ?p ?o MINUS {{ {svc} }}",
    "filter-exists": "{bind} FILTER EXISTS {{ {svc} }}",
    "filter-not-exists": "{bind} FILTER NOT EXISTS {{ {svc} }}",
    "graph": "{bind} GRAPH ?g {{ {svc} }}",
    "subquery": "{{ SELECT * WHERE {{ {bind} {svc} }} }}",
    "after-escaped-hash-iri": "?s ?p <http://example.org/\\u0023x> . {bind} {svc}",
    "after-hash-string": '?s ?p "a # b" . {bind} {svc}',
    "after-escaped-quote": "BIND('\\u0027' AS ?q) {bind} {svc} BIND(''' ''' AS ?r)",
    "after-escaped-backslash": "BIND('\\u005C' AS ?q) {bind} {svc} BIND(' ' AS ?r)",
    "lateral": "?a ?b ?c LATERAL {{ {bind} {svc} }}",
    # Oxigraph ends a comment at a carriage return; rdflib (alone) only at a line feed
    "after-cr-comment": "?s ?p ?o # a comment\r{bind} {svc}",
    # an escaped line feed inside a comment is no line end for Oxigraph: what follows it is
    # comment, and a string only rdflib would see must not hide the SERVICE after it
    "after-escaped-newline-comment": '# \\u000A BIND("""\n{bind} {svc}\n# """ AS ?z)',
}


# Valid SPARQL that rdflib's parser does not read (LATERAL is Oxigraph's; a '#' in an IRI or
# a string before ' . SERVICE' is taken for a comment): refused as unverifiable, a 400.
PARSER_GAPS = ("lateral", "after-escaped-hash-iri", "after-hash-string", "after-escaped-newline-comment")


def service_query(prologue: str, bind: str, target: str, position: str, word: str) -> str:
    svc = f"{word} {target} {{ ?s ?p ?o }}"
    return f"{prologue}SELECT * WHERE {{ {POSITIONS[position].format(bind=bind, svc=svc)} }}"


UPDATES = ("update", "update-form")
TRANSPORTS = ["get", "post-form", "post-query", "update", "update-form", "page"]


def _in(transport: str, query: str) -> str:
    """A SELECT as sent by ``transport``: for an update, its WHERE becomes an INSERT's."""
    if transport not in UPDATES:
        return query
    head, _, where = query.partition("SELECT * WHERE")
    return f"{head}INSERT {{ <http://example.org/s> <http://example.org/p> ?o }} WHERE{where}"


def family(url: str):
    """(case id, transport, text) for every target form × position (keyword spellings and
    transports in turn), every target × transport at the top, and LOAD forms in updates."""
    forms = targets(url)
    cycle = itertools.count()
    for (name, (prologue, bind, target)), position in itertools.product(forms.items(), POSITIONS):
        i = next(cycle)
        transport = TRANSPORTS[i % len(TRANSPORTS)]
        query = service_query(prologue, bind, target, position, SERVICE_WORDS[i % len(SERVICE_WORDS)])
        yield f"{name}/{position}", transport, _in(transport, query)
    for (name, (prologue, bind, target)), transport in itertools.product(forms.items(), TRANSPORTS):
        yield f"{name}/top/{transport}", transport, _in(transport, service_query(prologue, bind, target, "top", "SERVICE"))
    for name, (prologue, bind, target) in forms.items():
        if target != "?svc":
            yield f"load/{name}", "update", f"{prologue}LOAD {target}"
            yield f"load-silent-into/{name}", "update-form", f"{prologue}LOAD SILENT {target} INTO GRAPH <http://example.org/g>"
            yield f"load-after-insert/{name}", "update", f"{prologue}INSERT DATA {{ <a:s> <a:p> 'o' }} ;\n{prologue}LOAD {target}"


def send(client, transport: str, text: str):
    """``text`` sent the way ``transport`` says (updates with the token)."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    if transport == "get":
        return client.get("/sparql?" + urlencode({"query": text}))
    if transport == "post-form":
        return client.post("/sparql", data=urlencode({"query": text}), content_type="application/x-www-form-urlencoded")
    if transport == "post-query":
        return client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
    if transport == "page":
        return client.get("/pages/requete?" + urlencode({"query": text}))
    if transport == "update":
        return client.post("/sparql", data=text.encode(), content_type="application/sparql-update", headers=auth)
    return client.post("/sparql", data=urlencode({"update": text}), content_type="application/x-www-form-urlencoded",
                       headers=auth)


FAMILY_SIZE = sum(1 for _ in family("http://127.0.0.1:1/sparql"))


def test_the_family_is_large_and_varied():
    cases = list(family("http://127.0.0.1:1/sparql"))
    assert len(cases) == FAMILY_SIZE > 200
    assert {t for _, t, _ in cases} == set(TRANSPORTS)


TRIED: dict[str, int] = {"requests": 0, "refused": 0, "unverifiable": 0, "server errors": 0}


@pytest.mark.parametrize("case", range(FAMILY_SIZE))
def test_every_form_is_refused_and_reaches_nothing(client, listener, case):
    name, transport, text = list(family(listener.url))[case]
    before = len(listener.hits)
    r = send(client, transport, text)
    TRIED["requests"] += 1
    TRIED["server errors"] += r.status_code >= 500
    TRIED["refused"] += r.status_code == 403 or (transport == "page" and ("would reach outside" in r.text
                                                                               or "never allowed" in r.text))
    TRIED["unverifiable"] += r.status_code == 400 or (transport == "page" and "could not be verified" in r.text)
    FIGURES["outbound family (barrier 1)"] = (
        f"{TRIED['requests']} requests, {TRIED['refused']} refused (403), {TRIED['unverifiable']} unverifiable "
        f"(400), {TRIED['server errors']} 5xx, listener hits {len(listener.hits)}")
    if transport == "page":       # the page shows the refusal next to the query
        assert r.status_code == 200 and ("would reach outside" in r.text or "never allowed" in r.text
                                         or "could not be verified" in r.text), name
    else:
        assert r.status_code in (400, 403), (name, r.status_code, r.data[:300])
        problem = r.get_json()
        assert problem["status"] == r.status_code
        if not any(gap in name for gap in PARSER_GAPS):
            assert r.status_code == 403, (name, problem)
    assert len(listener.hits) == before, f"{name}: the listener was reached"


def test_the_listener_is_reachable_when_the_operator_allows_it(store, listener):
    """Positive control: the same listener, allowed by the operator, is queried (through
    the federation worker) and its answer comes back; a variable target stays refused."""
    app = _app(store, allow_service=[f"http://127.0.0.1:{listener.port}/"])
    try:
        c = app.test_client()
        before = len(listener.hits)
        r = c.get("/sparql?" + urlencode({"query": f"SELECT ?leak WHERE {{ SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}"}),
                  headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.data
        assert r.get_json()["results"]["bindings"][0]["leak"]["value"] == "from the listener"
        assert len(listener.hits) == before + 1
        r = c.get("/sparql?" + urlencode({"query": f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?v) SERVICE ?v {{ }} }}"}))
        assert r.status_code == 403 and "variable" in r.get_json()["detail"]
        r = c.get("/sparql?" + urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.2:9/> { } }"}))
        assert r.status_code == 403
        assert len(listener.hits) == before + 1
    finally:
        app.extensions["publik_kg"].pool.close()


def test_a_base_holds_for_the_operations_after_it(client, listener):
    """Oxigraph keeps an update's BASE for its later operations: so does the judgement."""
    host = listener.url.rsplit("/", 1)[0] + "/"
    before = len(listener.hits)
    r = send(client, "update", f"BASE <{host}> INSERT DATA {{ <a:s> <a:p> 1 }} ;\nLOAD <sparql>")
    assert r.status_code == 403 and listener.url in r.get_json()["detail"]
    assert len(listener.hits) == before


@pytest.mark.parametrize("target, allowed", [
    ("https://query.wikidata.org/sparql", True),
    ("https://query.wikidata.org.evil.example/sparql", False),
    ("https://query.wikidata.org@evil.example/sparql", False),
    ("http://query.wikidata.org/sparql", False),
    ("https://query.wikidata.org:8443/sparql", False),
])
def test_an_allowed_prefix_allows_its_host_only(target, allowed):
    from publik_kg.outbound import Refused, decide
    q = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    if allowed:
        assert decide(q, "query", BASE, ("https://query.wikidata.org",)) is True
    else:
        with pytest.raises(Refused):
            decide(q, "query", BASE, ("https://query.wikidata.org",))


def test_a_bound_value_cannot_become_a_service(store, listener):
    """Values bound into a query (named queries' parameters) are literals whatever they hold,
    and the worker judges the text with its values in: no quote or line break in a value can
    close its string (rdflib's n3() could write one that a stray quote ends)."""
    from rdflib import Literal
    from publik_kg.api import create_app
    app = _app(store)
    try:
        st = app.extensions["publik_kg"]
        evil = {"a": Literal('A\n\\"'), "b": Literal(f"') }} SERVICE <{listener.url}> {{ }} #")}
        before = len(listener.hits)
        res = st.query("SELECT ?a ?b WHERE { ?s ?p ?o } LIMIT 1", bindings=evil)
        assert [(str(a), str(b)) for a, b in res.rows] == [(str(evil["a"]), str(evil["b"]))]
        assert len(listener.hits) == before
    finally:
        app.extensions["publik_kg"].pool.close()


def test_queries_without_service_are_not_parsed_twice_and_still_answer(client):
    r = client.get("/sparql?" + urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p 'service public' }"}),
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    r = client.get("/sparql?" + urlencode({"query": "PREFIX éq: <http://x/> SELECT ?s WHERE { ?s ?p éq:o } # from"}))
    assert r.status_code == 200


# -- the second barrier, on its own ---------------------------------------------------

@pytest.fixture(scope="module")
def pools(store):
    sandboxed = QueryPool(store, 1, 20, sandboxed=True)
    open_pool = QueryPool(store, 1, 20, sandboxed=False)
    yield sandboxed, open_pool
    sandboxed.close()
    open_pool.close()


def test_sandboxed_workers_reach_nothing_even_past_the_parser(pools, listener):
    """Every SERVICE form sent straight to a sandboxed worker (no guard) fails to connect;
    an unsandboxed worker given the same plain query reaches the listener (control)."""
    sandboxed, open_pool = pools
    assert sandboxed.barrier()["seccomp"] is True
    before = len(listener.hits)
    forms = targets(listener.url)
    for (name, (prologue, bind, target)), position in itertools.product(forms.items(), ["top", "filter-exists", "subquery"]):
        q = service_query(prologue, bind, target, position, "SERVICE")
        try:
            sandboxed.query(q, guard=None)
        except StoreError:
            pass
        assert len(listener.hits) == before, f"{name}/{position} reached the listener from a sandboxed worker"
    FIGURES["outbound past the parser (barrier 2)"] = (f"{len(forms) * 3} queries straight to a sandboxed worker "
                                                       f"({'+'.join(k for k, v in sandboxed.barrier().items() if v)}), "
                                                       "listener hits 0; control (no sandbox) 1 hit")
    res = open_pool.query(service_query("", "", f"<{listener.url}>", "top", "SERVICE"), guard=None)
    assert len(listener.hits) == before + 1 and res.rows


def test_a_refused_connection_does_not_tell_an_open_port_from_a_closed_one(pools, listener):
    sandboxed, _ = pools
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    messages = []
    for port in (listener.port, closed_port):
        with pytest.raises(StoreError) as e:
            sandboxed.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", guard=None)
        messages.append(str(e.value).replace(str(port), "PORT"))
    assert messages[0] == messages[1]


LOAD_IN_SANDBOX = """
import json, os, sys
from publik_kg.api import sandbox
from publik_kg.store import OxigraphStore, StoreError
if len(sys.argv) > 2:
    os.setgid(65534); os.setuid(65534)
layers = sandbox.enter()
store = OxigraphStore()
try:
    store.update("LOAD <" + sys.argv[1] + "> INTO GRAPH <http://example.org/g>")
    out = "loaded"
except StoreError as e:
    out = str(e)
print(json.dumps({"layers": layers, "load": out}))
"""


@pytest.mark.parametrize("user", ["root", "nobody"])
def test_load_in_a_sandboxed_process_reaches_nothing(listener, user, tmp_path):
    """The serving process enters the same sandbox: an update's LOAD cannot connect, as
    root (seccomp and an empty network namespace) and as a normal user (seccomp alone)."""
    if user == "nobody" and os.geteuid() != 0:
        pytest.skip("switching users needs root")
    args = [sys.executable, "-c", LOAD_IN_SANDBOX, listener.url] + (["drop"] if user == "nobody" else [])
    before = len(listener.hits)
    out = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["layers"]["seccomp"] is True
    assert result["layers"]["netns"] is (user == "root" and os.geteuid() == 0)
    assert result["load"] != "loaded" and "refused" in result["load"]
    assert len(listener.hits) == before


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").iterdir():
            children = (task / "children").read_text().split()
            out += [int(c) for c in children]
            todo += [int(c) for c in children]
    return out


def _seccomp(pid: int) -> str:
    return next(line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                if line.startswith("Seccomp:"))


def test_the_serving_process_and_its_workers_run_behind_the_barrier(tmp_path, listener):
    """`publik-kg serve`: the process that runs the app (and updates) and every query worker
    are under the seccomp filter; an update's LOAD past the parser would find no route."""
    from publik_kg.cli import main
    from server import Server
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN})
    try:
        procs = _descendants(s.proc.pid)
        filtered = [p for p in procs if _seccomp(p) == "2"]
        # granian's worker (the app) and the two query workers at least; the resource tracker too
        assert len(filtered) >= 3, {p: _seccomp(p) for p in procs}
        log = Path(s.log.name).read_text()
        assert "network sandbox on: seccomp" in log
        r = __import__("requests").post(s.url + "/sparql", data=f"LOAD <{listener.url}>".encode(), timeout=30,
                                        headers={"Content-Type": "application/sparql-update",
                                                 "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403
    finally:
        s.stop()
