"""HTTP benchmark: publik-kg serve vs oxigraph serve on the same data, same run.

    python bench/bench_http.py [--scale 20] [--seconds 5] [--clients 1,4,8]

Builds the seed graph (asserted + inferred), copies it N times under renamed IRIs
(as bench_core.py does), writes it to a publik-kg data dir and, as N-Quads, to an
`oxigraph load` location; starts both servers on loopback (oxigraph with
--union-default-graph, publik-kg with every safety limit on: worker processes, limits,
logging), then runs a closed-loop load from Python client threads for a fixed time:
an aggregate /sparql query, a one-entity lookup, and two named queries (sent to
oxigraph as the same SPARQL with the parameters already bound). Needs `pip install oxigraph`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bench_core import BASE, ingest_breakdown, scaled  # noqa: E402
from server import Server, free_port  # noqa: E402

from publik_kg import namedqueries  # noqa: E402
from publik_kg.cli import bundled_corpus  # noqa: E402
from publik_kg.sparqltext import inject_values  # noqa: E402
from publik_kg.store import OxigraphStore  # noqa: E402

AGGREGATE = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?kind (COUNT(DISTINCT ?r) AS ?n) "
             "WHERE { ?r a ?kind ; club:raisedBy ?o } GROUP BY ?kind ORDER BY DESC(?n)")
LOOKUP = f"SELECT ?p ?o WHERE {{ <{BASE}id/c0/org/commune-57463> ?p ?o }}"   # Metz, first copy


def load_loop(url_host: int, path_of, seconds: float, clients: int):
    lat, errors, stop = [], [0], time.time() + seconds
    lock = threading.Lock()

    def run(i):
        conn = http.client.HTTPConnection("127.0.0.1", url_host, timeout=30)
        n = 0
        while time.time() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path_of(n + i), headers={"Accept": "application/sparql-results+json"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", url_host, timeout=30)
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                if not ok:
                    errors[0] += 1
            n += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    lat.sort()
    return {"rps": len(lat) / wall, "p50": lat[len(lat) // 2] * 1000, "p95": lat[int(len(lat) * 0.95)] * 1000,
            "errors": errors[0], "n": len(lat)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--clients", default="1,4,8")
    ap.add_argument("--no-cache", action="store_true", help="turn publik-kg's response cache off")
    ap.add_argument("--only", help="comma-separated workload name prefixes to run (default: all)")
    args = ap.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    _, graphs = ingest_breakdown(next(p for p in bundled_corpus() if "8eme" in p.name), 1)
    graphs = scaled(graphs, args.scale)
    data = tmp / "pkg"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"base_uri": BASE}))
    store = OxigraphStore(data / "oxigraph")
    store.replace_graphs(graphs)
    (tmp / "dump.nq").write_bytes(store.dump("nquads"))
    triples = store.count()
    if not store.query(LOOKUP).rows:
        sys.exit("the lookup entity is missing from the benchmark data")
    entities = [r[0] for r in store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }} ORDER BY ?s").rows]
    store.close()
    subprocess.run([oxigraph, "load", "--location", str(tmp / "ox"), "--file", str(tmp / "dump.nq")],
                   check=True, capture_output=True)
    port = free_port()
    ox = subprocess.Popen([oxigraph, "serve", "--location", str(tmp / "ox"), "--bind", f"127.0.0.1:{port}",
                           "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pkg = Server(data, {"PUBLIK_KG_WORKERS": "2", "PUBLIK_KG_CACHE_ENTRIES": "0" if args.no_cache else "512"})
    time.sleep(1)

    def named(name, **raw):
        nq = namedqueries.get(name)
        return nq, inject_values(nq.sparql, nq.bindings(raw, BASE))

    org_q, org_bound = named("organizations", kind="club:Metropole")
    dem_q, dem_bound = named("demand", topic="topic:signature")
    def varied(n):
        return f"SELECT ?p ?o WHERE {{ <{entities[(n * 7919) % len(entities)]}> ?p ?o }}"

    workloads = {
        "aggregate (/sparql)": (lambda n: "/sparql?" + urlencode({"query": AGGREGATE}),
                                lambda n: "/query?" + urlencode({"query": AGGREGATE})),
        "lookup (/sparql)": (lambda n: "/sparql?" + urlencode({"query": LOOKUP}),
                             lambda n: "/query?" + urlencode({"query": LOOKUP})),
        # a different entity each time: mostly cache misses, even with the cache on
        "lookup, varied entity": (lambda n: "/sparql?" + urlencode({"query": varied(n)}),
                                  lambda n: "/query?" + urlencode({"query": varied(n)})),
        "mix aggregate+lookup": (lambda n: "/sparql?" + urlencode({"query": AGGREGATE if n % 2 else LOOKUP}),
                                 lambda n: "/query?" + urlencode({"query": AGGREGATE if n % 2 else LOOKUP})),
        "named: organizations": (lambda n: "/queries/organizations?kind=club:Metropole",
                                 lambda n: "/query?" + urlencode({"query": org_bound})),
        "named: demand": (lambda n: "/queries/demand?topic=topic:signature",
                          lambda n: "/query?" + urlencode({"query": dem_bound})),
    }
    cache = "off" if args.no_cache else "on"
    print(f"# HTTP benchmark: {triples:,} quads, {len(entities):,} entities ({args.scale}× the seed), {args.seconds:g} s per cell, response cache {cache}\n")
    print("| workload | clients | publik-kg req/s | p50 ms | p95 ms | errors | oxigraph serve req/s | p50 ms | p95 ms | errors | ratio (oxigraph / publik-kg) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for name, (pkg_path, ox_path) in workloads.items():
            if args.only and not any(name.startswith(w) for w in args.only.split(",")):
                continue
            for c in [int(x) for x in args.clients.split(",")]:
                a = load_loop(pkg.port, pkg_path, args.seconds, c)
                b = load_loop(port, ox_path, args.seconds, c)
                print(f"| {name} | {c} | {a['rps']:.0f} | {a['p50']:.1f} | {a['p95']:.1f} | {a['errors']} | "
                      f"{b['rps']:.0f} | {b['p50']:.1f} | {b['p95']:.1f} | {b['errors']} | {b['rps'] / max(a['rps'], 1e-9):.2f} |",
                      flush=True)
    finally:
        pkg.stop()
        ox.terminate()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
