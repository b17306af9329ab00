"""Export, push and pull at 10k, 100k and 1M triples, side by side with `oxigraph load`.

    python bench/bench_publish.py [--sizes 10000,100000,1000000]

Data: the bundled report's dataset (ontology, facts, official data, inferences, provenance),
copied under renamed IRIs until the size is reached, each copy in its own named graphs (so
the N-Quads look like many ingested reports). For each size:
  - export: `publish` (dumps, CSV + CSVW, DCAT-AP, VoID) from the embedded store;
  - push: `copy_dataset` to a real `oxigraph serve` (fresh, on disk): one SPARQL Update
    request (DROP + INSERT DATA) per group of ~100k triples;
  - pull: `copy_dataset` back into a fresh embedded store, reading each graph through
    SPARQL (CONSTRUCT), then through the Graph Store Protocol (N-Triples bodies);
  - baseline: `oxigraph load` of the same N-Quads file into a fresh on-disk store (the
    server's own bulk loader, no HTTP, no transaction per report).
Throughput is triples per second of wall time.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def dataset(n: int, work: Path):
    import pyoxigraph as ox

    from publik_kg.cli import bundled_corpus
    from publik_kg.dataset import Dataset
    from publik_kg.reading import read_report
    from publik_kg.store import OxigraphStore

    seed = Dataset(OxigraphStore(), "http://127.0.0.1:8000/")
    seed.ingest([read_report(p) for p in bundled_corpus()], on_error=print)
    quads = list(seed.store.ox)
    store = OxigraphStore(work / "store")
    base = "http://127.0.0.1:8000/"
    copy, total, batch = 0, 0, []
    while total < n:
        for q in quads:
            if total >= n:
                break

            def ren(t):
                if isinstance(t, ox.NamedNode) and t.value.startswith(base) and copy:
                    return ox.NamedNode(t.value.replace(base, f"{base}c{copy}/", 1))
                return t
            batch.append(ox.Quad(ren(q.subject), q.predicate, ren(q.object), ren(q.graph_name)))
            total += 1
        copy += 1
    store.ox.bulk_extend(batch)
    store.ox.flush()
    return Dataset(store, base), len(store.ox)


def timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def one(n: int) -> dict:
    from server import OxigraphServer

    from publik_kg.publish import publish
    from publik_kg.remote import RemoteConfig, RemoteStore
    from publik_kg.store import OxigraphStore
    from publik_kg.transfer import copy_dataset

    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    ds, quads = dataset(n, work)
    row = {"triples": quads}
    _, row["export"] = timed(lambda: publish(ds, work / "pub", "https://example.org/"))
    nq = work / "pub" / "dumps" / "publik-kg.nq"
    srv = OxigraphServer(work / "ox")
    try:
        remote = RemoteStore(RemoteConfig(srv.query_url, srv.update_url))
        _, row["push"] = timed(lambda: copy_dataset(ds.store, remote, "http://127.0.0.1:8000/"))
        assert remote.count() == quads
        for mode, gsp in (("pull", ""), ("pull-gsp", srv.gsp_url)):
            local = OxigraphStore(work / mode)
            source = RemoteStore(RemoteConfig(srv.query_url, gsp_url=gsp))
            _, row[mode] = timed(lambda: copy_dataset(source, local, "http://127.0.0.1:8000/"))
            assert local.count() == quads
            local.close()
    finally:
        srv.stop()
    exe = str(Path(sys.executable).parent / "oxigraph")
    _, row["load"] = timed(lambda: subprocess.run([exe, "load", "--location", str(work / "ox-load"), "--file", str(nq)],
                                                  check=True, capture_output=True))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    print("| triples | export s | push s | triples/s | pull, SPARQL s | triples/s | pull, Graph Store s "
          "| triples/s | `oxigraph load` s (baseline) | triples/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.sizes.split(",")):
        r = one(n)
        t = r["triples"]
        cols = [f"{t:,}", f"{r['export']:.1f}"]
        for k in ("push", "pull", "pull-gsp", "load"):
            cols += [f"{r[k]:.1f}", f"{t / r[k]:,.0f}"]
        print("| " + " | ".join(cols) + " |", flush=True)

if __name__ == "__main__":
    main()
