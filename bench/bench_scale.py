"""How ingest grows with the number of meetings: 1, 10, 100, 1,000 synthetic reports.

    python bench/bench_scale.py [--sizes 1,10,100,1000]

Each size runs in a fresh process (so peak memory is its own): bench/gen.py writes the
reports, then one `Dataset.ingest` into an on-disk Oxigraph store, timed by step — parse
and map every report, OWL-RL reasoning over everything asserted, the store transaction —
and, as the baseline, owlrl's closure of the same triples while it stays under a time cap.
Resolution is shown by counts: organization and person mentions vs distinct IRIs.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COUNTS = """PREFIX club: <https://w3id.org/publik-kg/ontology#>
SELECT (COUNT(DISTINCT ?m) AS ?meetings) (COUNT(DISTINCT ?o) AS ?orgs) (COUNT(DISTINCT ?p) AS ?people)
       (COUNT(DISTINCT ?r) AS ?requests)
WHERE { { ?m a club:Meeting } UNION { ?x club:attendee ?o . ?o a club:Collectivity }
        UNION { ?p a club:Person } UNION { ?r a club:Request } }"""


def one(n: int, owlrl_cap: int) -> dict:
    from gen import generate

    from publik_kg import dataset as dataset_mod
    from publik_kg.reading import read_report
    from publik_kg.reasoning import infer_owlrl
    from publik_kg.store import OxigraphStore
    from publik_kg.vocab import ontology_graph

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    paths = generate(n, tmp / "reports")
    ds = dataset_mod.Dataset(OxigraphStore(tmp / "store"), "http://127.0.0.1:8000/")
    ds.ensure_ontology()
    t = time.perf_counter()
    sources = [read_report(p) for p in paths]
    _, staged = ds.stage([(s, ds._parse(s)) for s in sources])       # what Dataset.ingest writes
    t_prepare = time.perf_counter() - t
    timing = {}
    real_infer = dataset_mod.infer

    def timed_infer(asserted, onto):
        t0 = time.perf_counter()
        out = real_infer(asserted, onto)
        timing["reason"], timing["asserted"], timing["inferred"] = time.perf_counter() - t0, len(asserted), len(out)
        timing["asserted_graph"] = asserted
        return out

    dataset_mod.infer = timed_infer
    t = time.perf_counter()
    with ds.lock:                                   # as every unit of work of the dataset
        ds._commit(staged)
    t_commit = time.perf_counter() - t
    row = ds.store.query(COUNTS).rows[0]
    out = {"meetings": n, "prepare": t_prepare, "reason": timing["reason"], "write": t_commit - timing["reason"],
           "asserted": timing["asserted"], "inferred": timing["inferred"], "quads": ds.store.count(),
           "counts": [int(x) for x in row], "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if timing["asserted"] <= owlrl_cap:
        t = time.perf_counter()
        infer_owlrl(timing["asserted_graph"], ontology_graph())
        out["owlrl"] = time.perf_counter() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100,1000")
    ap.add_argument("--owlrl-cap", type=int, default=40_000, help="largest asserted graph owlrl is timed on")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.owlrl_cap)))
        return
    print("| meetings | asserted triples | inferred | parse + map + resolve s | reasoning s (rules) | owlrl s (baseline) "
          "| store write s | total s | peak RSS MB | meetings / collectivities / people / requests |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in [int(x) for x in args.sizes.split(",")]:
        res = json.loads(subprocess.run([sys.executable, __file__, "--one", str(n), "--owlrl-cap", str(args.owlrl_cap)],
                                        check=True, capture_output=True, text=True).stdout)
        total = res["prepare"] + res["reason"] + res["write"]
        owl = f"{res['owlrl']:.1f}" if "owlrl" in res else "not run"
        print(f"| {n:,} | {res['asserted']:,} | {res['inferred']:,} | {res['prepare']:.1f} | {res['reason']:.1f} | {owl} "
              f"| {res['write']:.1f} | {total:.1f} | {res['rss_mb']:.0f} | {' / '.join(map(str, res['counts']))} |",
              flush=True)


if __name__ == "__main__":
    main()
