"""A real `publik-kg serve` receiving SPARQL Updates (and reasoning after them) is killed
(SIGKILL, the whole process group) at random moments; each time, the store opened afresh
holds, for every applied update, its log record and vice versa, every acknowledged update
is there, and the inferred graph is either marked stale or the closure of what is asserted.
Restarted on a stale mark, the server reasons by itself."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import requests

from publik_kg import settings as settings_mod
from publik_kg.cli import main
from publik_kg.reasoning import infer
from publik_kg.vocab import ontology_graph
from server import free_port
from test_http_writes import open_dataset, wait_until_fresh

from conftest import seed_path

TOKEN = "crash-token"
CLUB = "https://w3id.org/publik-kg/ontology#"
GRAPH = "http://example.org/crash"
KILLS = int(os.environ.get("PUBLIK_KG_UPDATE_KILLS", "2"))


class KillableServer:
    """`publik-kg serve` in its own process group, so that one SIGKILL ends all of it (the
    granian worker owning the store included)."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PUBLIK_KG_DATA_DIR": str(data_dir), "PUBLIK_KG_UPDATE_TOKEN": TOKEN,
               "PUBLIK_KG_WORKERS": "0"}
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "publik_kg.cli", "serve", "--port", str(self.port)],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while True:
            assert self.proc.poll() is None and time.time() < deadline, "the server did not start"
            try:
                urllib.request.urlopen(self.url + "/sparql?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()


def send_updates(server: KillableServer, first: int, acked: list[int], stop: threading.Event) -> None:
    """Typed insertions (so the reasoner has work), with pauses (so that it catches up, and
    some kills land while it writes or is idle), until the server is gone."""
    n, rng = first, random.Random(first)
    while not stop.is_set():
        text = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/u{n}> a <{CLUB}Commune> }} }}"
        try:
            r = requests.post(server.url + "/sparql", data=text, timeout=10,
                              headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        except requests.RequestException:
            return
        if r.status_code == 204:
            acked.append(n)
        n += 1
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.3, 1.0))


def check(data_dir: Path, acked: list[int]) -> tuple[int, bool]:
    """The invariants of a store left by a killed server; (updates applied, stale)."""
    ds = open_dataset(data_dir)
    try:
        applied = {int(r[0].split("/u")[-1]) for r in ds.store.query(
            "SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[GRAPH]).rows}
        rows = ds.store.query(f"SELECT ?act ?text WHERE {{ ?act <{CLUB}text> ?text }}",
                              default_graphs=[ds.updates_iri]).rows
        logged = {int(re.search(r"/u(\d+)>", str(t)).group(1)): str(a) for a, t in rows}
        assert applied == set(logged), (sorted(applied ^ set(logged)))       # an update iff its record
        assert set(acked) <= applied, sorted(set(acked) - applied)          # acknowledged means stored
        marks = {str(r[0]) for r in ds.store.query(
            "SELECT ?a WHERE { ?g <http://www.w3.org/ns/prov#wasInvalidatedBy> ?a }", default_graphs=[ds.stale_iri]).rows}
        assert marks <= set(logged.values())
        stale = ds.is_stale()
        if not stale:                    # not marked: then it is the closure of what is asserted
            stored = set(ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                        default_graphs=[ds.inferred_iri]).triples)
            assert stored == set(infer(ds._graph(ds.asserted_graphs()), ontology_graph()))
        return len(applied), stale
    finally:
        ds.store.close()


def run_kills(tmp_path: Path, kills: int, seed: int) -> None:
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    rng = random.Random(seed)
    acked: list[int] = []
    applied, stales = 0, 0
    for i in range(kills):
        server = KillableServer(d)
        stop = threading.Event()
        sender = threading.Thread(target=send_updates, args=(server, 10_000 * (i + 1), acked, stop))
        sender.start()
        time.sleep(rng.uniform(0.3, 2.0))
        server.kill()
        stop.set()
        sender.join(20)
        before = applied
        applied, stale = check(d, acked)
        assert applied > before, "no update went through before the kill"
        stales += stale
    # started on a stale mark, the server reasons by itself
    server = KillableServer(d)
    try:
        wait_until_fresh(server, f"{settings_mod.resolve(str(d)).base_uri}graph/provenance/inferred/stale")
    finally:
        server.stop()
    assert check(d, acked)[1] is False
    print(f"{kills} SIGKILLs, {applied} updates applied, {len(acked)} acknowledged, {stales} stores left stale")


def test_killed_while_updating_every_update_has_its_record(tmp_path):
    run_kills(tmp_path, KILLS, 7)


@pytest.mark.slow
def test_killed_while_updating_many_times(tmp_path):
    run_kills(tmp_path, 6 * KILLS, 13)
