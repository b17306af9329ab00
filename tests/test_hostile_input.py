"""Inputs built to overflow a parser's or an evaluator's stack: the server survives them.

Oxigraph's parser recurses on nesting and on long operator chains; in the server process a
stack overflow would end the process. Queries run in workers (a worker dies, the client
gets a 400 saying why, a new worker is started; a chain that is merely slow meets the
time limit); updates are parsed and planned first in a
worker, on a thread with a smaller stack than the server's, so the server never runs one
that could overflow its own.
"""
from __future__ import annotations

import pytest
import requests

from publik_kg.cli import main
from server import Server

from conftest import seed_path

TOKEN = "hostile-input-token"
N = 30_000


def deep(kind: str, n: int = N) -> str:
    """A WHERE clause that is nested ``n`` deep, or a chain ``n`` long, of one construct."""
    if kind == "groups":
        return "{" * n + "}" * n
    if kind == "parentheses":
        return "{ BIND(" + "(" * n + "1" + ")" * n + " AS ?x) }"
    if kind == "sum":
        return "{ BIND(" + "+".join(["1"] * n) + " AS ?x) }"
    if kind == "conjunction":
        return "{ FILTER(" + "&&".join(["true"] * (n // 2)) + ") }"
    if kind == "union":
        return "{ " + " UNION ".join(["{}"] * (n // 3)) + " }"
    if kind == "concat":
        return "{ BIND(" + "CONCAT(" * (n // 10) + "'a'" + ",'b')" * (n // 10) + " AS ?x) }"
    if kind == "blank-nodes":
        return "{ ?s ?p " + "[ ?p " * (n // 10) + "?o" + "]" * (n // 10) + " }"
    if kind == "path":
        return "{ ?s " + "/".join(["<p:a>"] * (n // 6)) + " ?o }"
    raise ValueError(kind)


KINDS = ["groups", "parentheses", "sum", "conjunction", "union", "concat", "blank-nodes", "path"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile") / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN, "PUBLIK_KG_WORKERS": "2", "PUBLIK_KG_QUERY_TIMEOUT": "5"})
    yield s
    s.stop()


def _alive(server) -> None:
    r = requests.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_deep_queries_are_refused_and_the_server_lives(server, kind):
    q = "SELECT * WHERE " + deep(kind)
    assert len(q) < 100_000
    r = requests.post(server.url + "/sparql", data=q.encode(), timeout=60,
                      headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    # answered, refused as too deep, or cancelled at the time limit like any long query
    assert r.status_code in (200, 400) or (r.status_code == 503 and "cancelled" in r.text), \
        (kind, r.status_code, r.text[:300])
    if r.status_code != 200:
        assert r.headers["Content-Type"].startswith("application/problem+json")
    _alive(server)


@pytest.mark.parametrize("kind", KINDS)
def test_deep_updates_never_reach_the_server_process(server, kind):
    u = "INSERT { <http://example.org/s> <http://example.org/p> 1 } WHERE " + deep(kind)
    r = requests.post(server.url + "/sparql", data=u.encode(), timeout=60,
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (204, 400), (kind, r.status_code, r.text[:300])
    _alive(server)
    r = requests.post(server.url + "/sparql", data=b"INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }",
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 204          # and the store still takes writes


def test_a_long_update_is_cancelled_and_not_applied(server):
    """An update runs first on a copy of the store under the time limit (5 s here): a long
    one gets a 503 and nothing of it is stored; the store takes the next write at once."""
    marker = "http://example.org/long-update"
    slow = (f"INSERT {{ GRAPH <http://example.org/g> {{ <{marker}> <http://example.org/n> ?n }} }} WHERE {{ "
            "GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } BIND(CONCAT(STR(?a), STR(?d), STR(?g)) AS ?n) }")
    t0 = __import__("time").monotonic()
    r = requests.post(server.url + "/sparql", data=slow.encode(), timeout=60,
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 503 and "not applied" in r.json()["detail"] and r.headers["Retry-After"]
    assert __import__("time").monotonic() - t0 < 5 + 10
    ask = requests.get(server.url + "/sparql", params={"query": f"ASK {{ <{marker}> ?p ?o }}"}, timeout=30)
    assert ask.json()["boolean"] is False
    r = requests.post(server.url + "/sparql", data=f"INSERT DATA {{ GRAPH <http://example.org/g> {{ <{marker}> <http://example.org/n> 1 }} }}".encode(),
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 204
    ask = requests.get(server.url + "/sparql", params={"query": f"ASK {{ <{marker}> ?p ?o }}"}, timeout=30)
    assert ask.json()["boolean"] is True


def test_an_update_the_store_refuses_is_a_400(server):
    for u in ("DROP GRAPH <http://example.org/missing>", "CREATE GRAPH <http://example.org/g2> ; CREATE GRAPH <http://example.org/g2>"):
        r = requests.post(server.url + "/sparql", data=u.encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 400 and "refused" in r.json()["detail"], (u, r.text)


def test_long_lines_of_markers_parse_in_linear_time():
    """Lines of emphasis markers, digits and field names, as pasted logs are, parse in a
    bounded time (the emphasis and acronym patterns are linear)."""
    import time
    from publik_kg.dataset import load_gazetteer
    from publik_kg.extract import parse_report
    from publik_kg.vocab import lexicons
    head = "Le club s'est réuni le 4 mars 2024 à Rennes.\n\n## Notes\n\n"
    for line in ("*a " * 2700, "A" + "7" * 8000, ", ".join(f"form_var_champ{i}" for i in range(1500))):
        t = time.perf_counter()
        parse_report(head + line + "\n", lexicons(), load_gazetteer(), "x.md")
        assert time.perf_counter() - t < 10, line[:20]
