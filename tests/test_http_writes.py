"""Writers of a real `publik-kg serve` go through one write lock: concurrent POST /reports
and SPARQL Updates leave an inferred graph equal to a fresh closure, and the update log
names the writer by its configured label, never by anything derived from the token."""
from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import requests

from publik_kg import settings as settings_mod
from publik_kg.cli import main
from publik_kg.dataset import Dataset
from publik_kg.store import OxigraphStore, StoreError
from server import Server

from conftest import seed_path

OWN = Path(__file__).parent / "data" / "reports"
TOKEN = "writes-t0ken-" + hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:8]
UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
CLUB = "https://w3id.org/publik-kg/ontology#"


def open_dataset(data_dir: Path) -> Dataset:
    """The server's store, opened once the server has let it go."""
    conf = settings_mod.resolve(str(data_dir))
    deadline = time.time() + 20
    while True:
        try:
            return Dataset(OxigraphStore(conf.store_dir), conf.base_uri)
        except StoreError:
            assert time.time() < deadline, "the server did not release its store"
            time.sleep(0.2)


def wait_until_fresh(server: Server, ds_iri: str, timeout: float = 60) -> None:
    """Until the inferred graph has no stale mark (the background reasoner is idle)."""
    ask = {"query": f"ASK {{ GRAPH <{ds_iri}> {{ ?s ?p ?o }} }}"}
    deadline = time.time() + timeout
    while requests.get(server.url + "/sparql", params=ask, timeout=10).json()["boolean"]:
        assert time.time() < deadline, "the inferred graph stayed stale"
        time.sleep(0.2)


def inferred(ds: Dataset) -> set[bytes]:
    return set(ds.store.dump("ntriples", ds.inferred_iri).splitlines())


def test_concurrent_reports_and_updates_leave_the_closure_of_what_is_asserted(tmp_path):
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    base = settings_mod.resolve(str(d)).base_uri
    stale_iri = f"{base}graph/provenance/inferred/stale"
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN, "PUBLIK_KG_UPDATE_AGENT": "Data team"})
    reports = sorted(OWN.iterdir())
    statuses: dict[str, int] = {}
    start = threading.Barrier(len(reports) + 2)

    def post_report(p: Path) -> None:
        start.wait()
        r = requests.post(f"{s.url}/reports?name={p.name}", data=p.read_bytes(),
                          headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"}, timeout=120)
        statuses[p.name] = r.status_code

    def updates(k: int) -> None:
        start.wait()
        for i in range(6):      # typed things (inferences follow) and removals of earlier ones
            text = (f"INSERT DATA {{ GRAPH <http://example.org/g{k}> {{ <http://example.org/x{k}-{i}> a <{CLUB}Commune> }} }}"
                    if i % 3 else f"DELETE WHERE {{ GRAPH <http://example.org/g{k}> {{ <http://example.org/x{k}-{i - 2}> ?p ?o }} }}")
            statuses[f"u{k}-{i}"] = requests.post(s.url + "/sparql", data=text, headers=UPDATE, timeout=120).status_code

    try:
        threads = [threading.Thread(target=post_report, args=(p,)) for p in reports]
        threads += [threading.Thread(target=updates, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        assert {n: c for n, c in statuses.items() if c not in (201, 204)} == {} and len(statuses) == len(reports) + 12
        wait_until_fresh(s, stale_iri)
    finally:
        s.stop()
    ds = open_dataset(d)
    try:
        assert not ds.is_stale()
        assert set(ds._stored_report_ids()) >= {p.stem for p in reports}
        written = inferred(ds)
        ds.reason()                                  # the closure of the same asserted graphs
        fresh = inferred(ds)
        assert written == fresh, (len(written), len(fresh), sorted(written ^ fresh)[:5])
        assert any(b"<http://example.org/x1-5>" in t and b"org#Organization" in t for t in fresh)
        assert not any(b"<http://example.org/x1-1>" in t for t in fresh)          # deleted by u1-3
        # the log names the writer by its label; nothing of the token is anywhere
        dump = ds.store.dump("nquads")
        assert f"<{base}id/agent/data-team> <http://www.w3.org/2000/01/rdf-schema#label> \"Data team\"".encode() in dump
        digest = hashlib.sha256(TOKEN.encode()).hexdigest()
        leaks = [x for x in [TOKEN, *(digest[:n] for n in range(10, 65))] if x.encode() in dump]
        assert leaks == [] and b"id/token/" not in dump
        assert TOKEN not in (d.parent / f"server-{s.port}.log").read_text()
    finally:
        ds.store.close()
