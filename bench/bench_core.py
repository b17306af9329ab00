"""Benchmark the core pipeline and the named queries.

    python bench/bench_core.py [--scale 1,20] [--repeat 5]

1. Seed ingest broken down: gazetteer and vocabulary load, parse, map, OWL-RL reasoning,
   store write (Oxigraph vs rdflib Memory).
2. Named-query latency on the same data in rdflib's Memory store (baseline) and in
   Oxigraph (the store publik-kg uses), side by side, at several sizes: the seed's
   asserted + inferred graphs, copied N times under renamed IRIs.
Prints a Markdown report (copied into BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time
import resource
from pathlib import Path

from rdflib import Dataset as RDataset, URIRef

from publik_kg import __version__, namedqueries
from publik_kg.cli import bundled_corpus
from publik_kg.extract import parse_report
from publik_kg.gazetteer import load as load_gazetteer
from publik_kg.mapping import Iris, map_report
from publik_kg.reasoning import infer, infer_owlrl
from publik_kg.store import OxigraphStore
from publik_kg.vocab import lexicons, ontology_graph

BASE = "http://127.0.0.1:8000/"
DEFAULT_PARAMS = {"organizations": {"kind": "club:Commune"}, "demand": {"topic": "topic:signature"},
                  "tools": {"tool": "tool:publik"}, "meeting-diff": {"from": "2019-06-01", "to": "2019-12-04"}}


def params(name: str, copies: int) -> dict:
    """Parameters for a named query; entity IRIs are those of the first copy."""
    if name == "timeline":
        return {"org": f"id/{'c0/' if copies > 1 else ''}org/commune-57463"}    # Metz
    return DEFAULT_PARAMS.get(name, {})


def timed(fn, repeat=1):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times)


def ingest_breakdown(path: Path, repeat: int):
    text = path.read_text(encoding="utf-8")
    rows = []
    t = time.perf_counter()
    gaz = load_gazetteer()
    lex = lexicons()
    onto = ontology_graph()
    rows.append(("load gazetteer + ontology (once per process)", time.perf_counter() - t))
    report, dt = timed(lambda: parse_report(text, lex, gaz), repeat)
    rows.append(("parse report → model", dt))
    (facts, ref), dt = timed(lambda: map_report(report, "seed", Iris(BASE), gaz), repeat)
    rows.append((f"map model → RDF ({len(facts) + len(ref)} triples)", dt))
    asserted = facts + ref
    inferred, dt = timed(lambda: infer(asserted, onto), repeat)
    rows.append((f"OWL-RL closure, publik-kg rules ({len(inferred)} inferred triples)", dt))
    reference, dt = timed(lambda: infer_owlrl(asserted, onto), max(1, repeat // 2))
    rows.append((f"OWL-RL closure, owlrl (baseline; {len(reference)} inferred triples)", dt))
    graphs = {BASE + "graph/report/seed": list(facts), BASE + "graph/reference/seed": list(ref),
              BASE + "graph/inferred": list(inferred), BASE + "graph/ontology": list(onto)}

    def ox_write():
        s = OxigraphStore()
        s.replace_graphs(graphs)
        return s

    def rdflib_write():
        d = RDataset(default_union=True)
        for g, triples in graphs.items():
            ctx = d.graph(URIRef(g))
            for tr in triples:
                ctx.add(tr)
        return d

    _, dt = timed(ox_write, repeat)
    rows.append(("store write, Oxigraph (one transaction)", dt))
    _, dt = timed(rdflib_write, repeat)
    rows.append(("store write, rdflib Memory (baseline)", dt))
    return rows, graphs


def scaled(graphs: dict[str, list], n: int) -> dict[str, list]:
    """n copies of the data, entity IRIs under BASE renamed per copy (vocabulary kept)."""
    if n == 1:
        return graphs
    prefix = BASE + "id/"

    def ren(term, k):
        if isinstance(term, URIRef) and str(term).startswith(prefix):
            return URIRef(f"{prefix}c{k}/{str(term)[len(prefix):]}")
        return term

    out = {}
    for g, triples in graphs.items():
        if g.endswith("/ontology"):
            out[g] = triples
            continue
        out[g] = [(ren(s, k), ren(p, k), ren(o, k)) for k in range(n) for s, p, o in triples]
    return out


def query_table(graphs, repeat, copies):
    ox = OxigraphStore()
    ox.replace_graphs(graphs)
    rd = RDataset(default_union=True)
    for g, triples in graphs.items():
        ctx = rd.graph(URIRef(g))
        for tr in triples:
            ctx.add(tr)
    rows = []
    for name, nq in namedqueries.catalogue().items():
        bindings = nq.bindings(params(name, copies), BASE)
        res, t_ox = timed(lambda: ox.query(nq.sparql, bindings), repeat)
        try:
            r2, t_rd = timed(lambda: list(rd.query(nq.sparql, initBindings=bindings)), repeat)
            n_rd = str(len(r2))
        except Exception as e:  # rdflib's evaluator fails on some valid queries
            n_rd, t_rd = f"error: {type(e).__name__}", float("nan")
        rows.append((name, len(res.rows), n_rd, t_rd, t_ox))
    return sum(len(t) for t in graphs.values()), rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="1,20")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    seed = next(p for p in bundled_corpus() if "8eme" in p.name)
    print(f"# publik-kg {__version__} core benchmark\n")
    print(f"Python {platform.python_version()}, {platform.machine()}, median of {args.repeat} runs.\n")
    rows, graphs = ingest_breakdown(seed, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print("## Seed ingest, step by step\n\n| step | seconds |\n|---|---:|")
    for label, dt in rows:
        print(f"| {label} | {dt:.3f} |")
    print(f"\nPeak resident memory after the breakdown: {peak / 1e6:.0f} MB.\n")
    for n in [int(x) for x in args.scale.split(",")]:
        size, qrows = query_table(scaled(graphs, n), args.repeat, n)
        print(f"## Named queries, {size:,} triples ({n}× the seed)\n")
        print("| query | rows (Oxigraph / rdflib) | rdflib Memory ms | Oxigraph ms | speed-up |\n|---|---|---:|---:|---:|")
        for name, n_ox, n_rd, t_rd, t_ox in qrows:
            print(f"| {name} | {n_ox} / {n_rd} | {t_rd * 1000:.1f} | {t_ox * 1000:.1f} | {t_rd / t_ox:.1f}× |")
        print()


if __name__ == "__main__":
    main()
