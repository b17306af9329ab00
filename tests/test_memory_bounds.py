"""Bounded memory per request: results are written as they are evaluated and cut at the row,
triple and byte caps (evaluation stops there), and a query that still allocates too much
ends in its own capped worker — a 503, a new worker — never in the server's memory.

The last test measures the whole process tree of a real `publik-kg serve` while hostile
queries run (figures in docs/RELIABILITY.md, "Memory per request"; rerun with
``pytest -s -m slow tests/test_memory_bounds.py``).
"""
from __future__ import annotations

import json
import os
import threading
import time

import pytest
import requests

from publik_kg.cli import main
from publik_kg.results import Limits, answer
from publik_kg.store import OxigraphStore
from server import Server

from conftest import seed_path

NUMBERS = " ".join(str(i) for i in range(1000))
# 1000 × 1000 = 10^6 solutions, made by the query itself (no data needed)
MILLION_ROWS = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {NUMBERS} }} VALUES ?b {{ {NUMBERS} }} }}"
MILLION_TRIPLES = ("CONSTRUCT { ?s <urn:p> ?b } WHERE { VALUES ?a { %s } VALUES ?b { %s } "
                   "BIND(IRI(CONCAT('urn:s:', STR(?a))) AS ?s) }" % (NUMBERS, NUMBERS))


def doubling(times: int, var: str = "x") -> str:
    """BINDs that double a 10-character string ``times`` times: 10 × 2^times characters."""
    binds = ['BIND("0123456789" AS ?d0)'] + [f"BIND(CONCAT(?d{i}, ?d{i}) AS ?d{i + 1})" for i in range(times)]
    return " ".join(binds) + f" BIND(?d{times} AS ?{var})"


# 10 × 2^27 characters = 1.3 GB: past any worker's cap
STRING_DOUBLING = "SELECT (STRLEN(?x) AS ?n) WHERE { " + doubling(27) + " }"
# 10^4 rows of 1.3 MB strings each: 13 GB of result, cut by bytes
BIG_ROWS = "SELECT ?i ?x WHERE { VALUES ?i { %s } %s }" % (" ".join(str(i) for i in range(10_000)), doubling(17))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("memory") / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    return d


# -- the caps, on the store itself ------------------------------------------------------

def test_select_stops_evaluating_at_the_row_cap():
    store = OxigraphStore()
    # 10^12 solutions: only a lazy evaluation cut at the cap can answer this at all
    huge = f"SELECT ?a ?b ?c ?d WHERE {{ VALUES ?a {{ {NUMBERS} }} VALUES ?b {{ {NUMBERS} }} " \
           f"VALUES ?c {{ {NUMBERS} }} VALUES ?d {{ {NUMBERS} }} }}"
    for fmt in ("json", "csv", "tsv", "xml"):
        t0 = time.perf_counter()
        enc = answer(store, huge, {"select": fmt, "max_rows": 1000})
        assert time.perf_counter() - t0 < 5
        assert enc.truncation == "true; limit=1000"
        if fmt == "json":
            body = json.loads(enc.body)
            assert len(body["results"]["bindings"]) == 1000 and body["truncated"] is True and body["limit"] == 1000
        if fmt in ("csv", "tsv"):
            assert len(enc.body.decode().splitlines()) == 1001          # header + rows
    small = answer(store, "SELECT ?a WHERE { VALUES ?a { 1 2 3 } }", {"select": "json", "max_rows": 3})
    assert not small.truncated and len(json.loads(small.body)["results"]["bindings"]) == 3


def test_construct_is_capped_and_says_so():
    store = OxigraphStore()
    for fmt in ("ntriples", "nquads"):
        enc = answer(store, MILLION_TRIPLES, {"graph": fmt, "max_triples": 5000})
        assert enc.truncation == "true; limit=5000"
        assert len(enc.body.decode().splitlines()) == 5000
    for fmt in ("turtle", "jsonld", "rdfxml", "trig"):
        enc = answer(store, MILLION_TRIPLES, {"graph": fmt, "max_triples": 5000})
        assert enc.truncation == "true; limit=5000"
        from rdflib import Dataset
        assert len(Dataset().parse(data=enc.body, format={"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml",
                                                          "trig": "trig"}[fmt])) == 5000
    whole = answer(store, "CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { VALUES ?x { 1 2 } }", {"graph": "ntriples"})
    assert not whole.truncated and len(whole.body.splitlines()) == 2


def test_result_bytes_are_capped_at_a_row_boundary():
    store = OxigraphStore()
    cap = 4_000_000
    enc = answer(store, BIG_ROWS, {"select": "json", "max_bytes": cap})
    body = json.loads(enc.body)                     # a whole document, cut between two rows
    kept = len(body["results"]["bindings"])
    assert 1 <= kept < 4 and len(enc.body) <= cap
    assert enc.truncation == f"true; limit={kept}; max-bytes={cap}" and body["max_bytes"] == cap
    assert all(len(b["x"]["value"]) == 10 * 2 ** 17 for b in body["results"]["bindings"])
    graph = answer(store, "CONSTRUCT { ?s <urn:p> ?x } WHERE { VALUES ?i { %s } BIND(IRI(CONCAT('urn:s:', STR(?i))) AS ?s) %s }"
                   % (NUMBERS, doubling(12)), {"graph": "ntriples", "max_bytes": cap})
    lines = graph.body.splitlines()
    assert graph.truncated and "max-bytes" in graph.truncation and len(graph.body) <= cap + 50_000
    assert all(line.endswith(b" .") for line in lines) and 50 < len(lines) < 100


def test_results_for_pages_are_capped_too():
    """Without a format (HTML pages), the worker still hands back at most the caps."""
    store = OxigraphStore()
    res = answer(store, MILLION_ROWS, {"max_rows": 20})
    assert res.truncated and len(res.rows) == 20
    res = answer(store, MILLION_TRIPLES, {"max_triples": 30})
    assert res.truncated and len(res.triples) == 30
    assert Limits.of(None) == Limits()


# -- the worker's memory cap ------------------------------------------------------------

def test_a_worker_out_of_memory_is_a_503_and_is_replaced(data_dir):
    from publik_kg.api.pool import QueryPool, WorkerLost
    store = OxigraphStore(data_dir / "oxigraph")
    pool = QueryPool(store, 1, 20, memory_mb=320)
    try:
        first = pool.workers[0]
        with pytest.raises(WorkerLost, match="320 MB"):
            pool.query(STRING_DOUBLING, guard=None)
        assert first not in pool.workers and len(pool.workers) == 1
        res = pool.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", guard=None)
        assert int(res.rows[0][0]) > 1000                             # the new worker answers
    finally:
        pool.close()
        store.close()


# -- the whole process tree of a real server under hostile queries ---------------------

def _tree_rss(root: int, largest: list | None = None) -> int:
    """Resident bytes of ``root`` and all its descendants, read from /proc (the largest
    process's appended to ``largest``)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{name}/statm") as f:
                resident = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(name)] = resident * os.sysconf("SC_PAGE_SIZE")
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree} - tree
        grew, tree = bool(more), tree | more
    if largest is not None:
        largest.append(max(rss.get(p, 0) for p in tree))
    return sum(rss.get(p, 0) for p in tree)


@pytest.mark.slow
def test_process_tree_stays_under_1_gib_while_hostile_queries_run(data_dir):
    server = Server(data_dir, {"PUBLIK_KG_UPDATE_TOKEN": ""})
    samples: list[int] = []
    largest: list[int] = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(_tree_rss(server.proc.pid, largest))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    hostile = {"select": (MILLION_ROWS, "application/sparql-results+json"),
               "construct": (MILLION_TRIPLES, "application/n-triples"),
               "doubling": (STRING_DOUBLING, "application/sparql-results+json"),
               "big rows": (BIG_ROWS, "application/sparql-results+json"),
               "doubling again": (STRING_DOUBLING, "text/csv")}
    got: dict[str, requests.Response] = {}
    small: list[tuple[int, float]] = []
    done = threading.Event()

    def run(name):
        query, accept = hostile[name]
        got[name] = requests.post(server.url + "/sparql", data=query.encode(), timeout=60,
                                  headers={"Content-Type": "application/sparql-query", "Accept": accept})

    def small_client():
        k = 0
        while (not done.is_set() or k < 20) and k < 400:
            k += 1                                  # a new query each time: the response cache cannot answer
            t0 = time.perf_counter()
            r = requests.get(server.url + "/sparql", timeout=30,
                             params={"query": f"SELECT ?s WHERE {{ ?s a ?t }} LIMIT {k}"})
            small.append((r.status_code, time.perf_counter() - t0))
    try:
        baseline = _tree_rss(server.proc.pid)
        client = threading.Thread(target=small_client)
        client.start()
        threads = [threading.Thread(target=run, args=(name,)) for name in hostile]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        time.sleep(0.5)
        done.set()
        client.join(30)
        after = requests.get(server.url + "/sparql", params={"query": MILLION_ROWS[:-1] + " } LIMIT 5"}, timeout=30)
    finally:
        stop.set()
        sampler.join()
        server.stop()

    peak = max(samples)
    figures = {"baseline MB": baseline >> 20, "peak MB": peak >> 20, "largest process MB": max(largest) >> 20, "samples": len(samples),
               "small queries": len(small), "small non-200": sum(s != 200 for s, _ in small),
               "small slowest s": round(max(d for _, d in small), 2),
               **{name: f"{r.status_code} {r.headers.get('X-Result-Truncated', '')} {len(r.content):,} B"
                  for name, r in got.items()}}
    print("\nmemory per request:", json.dumps(figures, indent=1))

    assert peak < 1 << 30, figures
    assert small and all(s == 200 for s, _ in small), figures
    sel = got["select"]
    assert sel.status_code == 200 and sel.headers["X-Result-Truncated"] == "true; limit=10000"
    assert len(sel.json()["results"]["bindings"]) == 10_000 and sel.json()["truncated"] is True
    con = got["construct"]
    assert con.status_code == 200 and con.headers["X-Result-Truncated"] == "true; limit=100000"
    assert len(con.content.splitlines()) == 100_000
    for dbl in (got["doubling"], got["doubling again"]):
        assert dbl.status_code == 503 and dbl.headers["Retry-After"]
        assert dbl.headers["Content-Type"].startswith("application/problem+json") and "memory" in dbl.json()["detail"]
    big = got["big rows"]
    assert big.status_code == 200 and "max-bytes=16000000" in big.headers["X-Result-Truncated"]
    assert len(big.content) <= 16_000_000 and big.json()["truncated"] is True
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 5
