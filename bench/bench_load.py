"""A bounded load test on loopback: concurrent clients against `publik-kg serve` while writes run.

    python bench/bench_load.py [--clients 8] [--seconds 60] [--meetings 20]

The server holds the bundled report and N synthetic meetings (bench/gen.py), every safety
limit on (query workers with a timeout, row cap, response cache). For a fixed time:
  - readers: C client threads, each looping over a mix of requests — an aggregate over
    /sparql, a named query (/queries/…), an entity page in HTML (/id/…), a snapshot check;
  - a writer ingests a report over HTTP (POST /reports, with the token) again and again,
    alternating two versions of it (the second has one more request): each is a whole
    ingest — parse, resolve, reason, one transaction — while the server serves;
  - the snapshot check counts that meeting's requests: a reader must always see the count
    of one version or the other, never a state in between;
  - memory: the resident size of the server's process tree (HTTP worker + query workers),
    sampled every second.
Reports requests, errors (HTTP ≥ 500, connection failures, wrong snapshots), throughput,
latency percentiles, and memory at start / peak / end.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

TOKEN = "load-test-token"
REPORT = Path(__file__).resolve().parent.parent / "tests" / "data" / "reports" / "2021-12-02-club-publik-10e-reunion.txt"
EXTRA = "\n\nDemandes complémentaires\n\n- Demande des participants : un export des statistiques par quartier.\n"
SNAPSHOT = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { "
            "?r a club:FeatureRequest ; club:meeting <http://127.0.0.1:8000/id/meeting/2021-12-02> }")
AGGREGATE = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?t (COUNT(?r) AS ?n) "
             "WHERE { ?r club:topic ?t } GROUP BY ?t ORDER BY DESC(?n)")


def rss_tree(pid: int) -> int:
    """Resident bytes of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(next(ln for ln in Path(f"/proc/{p}/status").read_text().splitlines()
                              if ln.startswith("VmRSS:")).split()[1]) * 1024
            for t in Path(f"/proc/{p}/task").iterdir():
                children = (t / "children").read_text().split()
                todo += [int(c) for c in children]
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total


def main() -> None:
    from gen import generate
    from server import Server

    from publik_kg.cli import bundled_corpus, main as cli

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--meetings", type=int, default=20)
    args = ap.parse_args()

    from publik_kg.dataset import Dataset
    from publik_kg.reading import decode_report
    from publik_kg.store import OxigraphStore

    versions = [REPORT.read_bytes(), REPORT.read_bytes() + EXTRA.encode()]
    expected = set()
    for v in versions:                                   # the count each version gives
        probe = Dataset(OxigraphStore(), "http://127.0.0.1:8000/")
        probe.ingest([decode_report(REPORT.name, REPORT.name, v)], on_error=print)
        expected.add(int(probe.store.query(SNAPSHOT).rows[0][0]))
    assert len(expected) == 2, expected
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    data = work / "data"
    reports = generate(args.meetings, work / "reports")
    assert cli(["ingest", "-q", "--data-dir", str(data), *map(str, bundled_corpus()), *map(str, reports)]) == 0
    server = Server(data, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN})
    try:
        entities = [r["meeting"]["value"] for r in requests.get(
            server.url + "/sparql", params={"query": "SELECT ?meeting WHERE { ?meeting a <https://w3id.org/publik-kg/"
                                                      "ontology#Meeting> }"},
            headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]]
        paths = [p.replace("http://127.0.0.1:8000", "") for p in entities]
        stop = time.time() + args.seconds
        lat: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        memory: list[int] = []
        writes = [0]

        def reader(k: int) -> None:
            s = requests.Session()
            i = k
            while time.time() < stop:
                i += 1
                kind = i % 4
                t = time.perf_counter()
                try:
                    if kind == 0:
                        r = s.get(server.url + "/sparql", params={"query": AGGREGATE},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
                    elif kind == 1:
                        r = s.get(server.url + "/queries/" + ("demand-matrix", "returning-organizations", "unanswered")[i % 3],
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
                    elif kind == 2:
                        r = s.get(server.url + paths[i % len(paths)], headers={"Accept": "text/html"}, timeout=30)
                    else:
                        r = s.get(server.url + "/sparql", params={"query": SNAPSHOT},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
                        rows = r.json()["results"]["bindings"] if r.ok else []
                        if rows and int(rows[0]["n"]["value"]) not in expected:
                            with lock:
                                errors.append(f"inconsistent snapshot: {rows}")
                    dt = time.perf_counter() - t
                    with lock:
                        lat.append(dt)
                        if r.status_code >= 500:
                            errors.append(f"HTTP {r.status_code} {r.url[:80]}")
                except requests.RequestException as e:
                    with lock:
                        errors.append(f"{type(e).__name__}: {e}")

        def writer() -> None:
            while time.time() < stop:
                r = requests.post(server.url + "/reports", params={"name": REPORT.name},
                                  data=versions[writes[0] % 2],
                                  headers={"Content-Type": "text/plain; charset=utf-8",
                                           "Authorization": f"Bearer {TOKEN}"}, timeout=60)
                if r.status_code not in (200, 201):
                    with lock:
                        errors.append(f"ingest HTTP {r.status_code}")
                writes[0] += 1

        def sampler() -> None:
            while time.time() < stop:
                memory.append(rss_tree(server.proc.pid))
                time.sleep(1)

        first = requests.post(server.url + "/reports", params={"name": REPORT.name}, data=versions[1],
                              headers={"Content-Type": "text/plain; charset=utf-8",
                                       "Authorization": f"Bearer {TOKEN}"}, timeout=120)
        assert first.status_code == 201, first.text          # the meeting exists before readers look
        stop = time.time() + args.seconds
        threads = [threading.Thread(target=writer), threading.Thread(target=sampler)]
        threads += [threading.Thread(target=reader, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.stop()
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    mb = [m / 2**20 for m in memory]
    print("| clients | seconds | requests | ingests | errors | req/s | p50 ms | p95 ms | p99 ms "
          "| memory MB start / peak / end |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(f"| {args.clients} | {args.seconds:.0f} | {len(lat):,} | {writes[0]} | {len(errors)} "
          f"| {len(lat) / args.seconds:,.0f} | {q(.5):.1f} | {q(.95):.1f} | {q(.99):.1f} "
          f"| {mb[0]:.0f} / {max(mb):.0f} / {mb[-1]:.0f} |")
    if errors:
        print("errors:", *sorted(set(errors))[:10], sep="\n  ")
    print(f"median latency {statistics.median(lat) * 1000:.1f} ms; data dir {data}", file=sys.stderr)
    sys.exit(1 if errors or mb[-1] > 1.5 * mb[0] + 100 else 0)


if __name__ == "__main__":
    main()
