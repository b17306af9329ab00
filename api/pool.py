"""Query evaluation in worker processes that can be killed on timeout.

Neither pyoxigraph nor rdflib can interrupt a running query from a thread, so each
query runs in a worker process. A query over the time limit gets its worker killed and
replaced; other workers go on serving.

Workers never open the live store: a read-only handle on a database another process
writes is undefined behaviour in Oxigraph (the load test saw workers grow by gigabytes
and stall while updates arrived). After each write the server takes a *snapshot* — an
Oxigraph backup, hard links to the immutable files, made in milliseconds — and workers
open that snapshot read-only; nobody writes to it. Each query thus sees one consistent
state. The last few snapshots are kept for queries still running on them.

Workers are also where a request's text is judged before it runs (publik_kg.outbound:
rdflib's parser can take seconds on hostile input, and a deep parse can overflow a stack;
here it is killed on timeout and costs a worker, not the server) and they cannot reach the
network (api/sandbox.py). A query that needs an operator-allowed SERVICE is handed to the
*federation* pool, whose one worker has no sandbox.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import queue
import shutil
import threading
import time
from pathlib import Path

from publik_kg import outbound
from publik_kg.results import answer
from publik_kg.store import OxigraphStore, QuerySyntaxError, StoreError

from . import sandbox


class QueryTimeout(Exception):
    """The query ran past the limit and was cancelled."""


class PoolBusy(Exception):
    """No worker became free in time."""


KEEP_SNAPSHOTS = 3
PREFLIGHT_STACK = 1 << 20    # bytes: less than any thread of the server that runs updates


def _start(sandboxed: bool) -> tuple:
    """The worker's first message: the barrier it runs behind, or why there is none."""
    if not sandboxed:
        return ("ready", {})
    try:
        return ("ready", sandbox.enter())
    except sandbox.SandboxError as e:
        return ("nosandbox", str(e))


def _preflight(update: str) -> tuple:
    """Parse ``update`` and run it on an empty store, in a thread with a small stack: an
    update that would overflow the stack of the server's own threads dies here instead."""
    import pyoxigraph as ox
    out: list = [("ok", None)]

    def run():
        try:
            ox.Store().update(update)
        except SyntaxError as e:
            out[0] = ("syntax", str(e))
        except Exception:           # evaluation errors on an empty store say nothing
            pass
    threading.stack_size(PREFLIGHT_STACK)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    return out[0]


def _judge(op: str, sparql: str, guard, sandboxed: bool) -> tuple | None:
    """The answer to send without evaluating (a refusal, a hand-over, a pre-flight
    verdict), or None when the query is to be evaluated here."""
    if guard is not None:
        allowed, base = guard
        try:
            networked = outbound.decide(sparql, "update" if op == "check-update" else "query", base, allowed)
        except outbound.Refused as e:
            return ("forbidden", str(e))
        except outbound.Unverifiable as e:
            return ("unverifiable", str(e))
        if networked and sandboxed and op == "query":
            return ("federate", None)
    return _preflight(sparql) if op == "check-update" else None


def _worker(conn, sandboxed: bool = True) -> None:
    conn.send(_start(sandboxed))
    store, opened = None, None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        op, snapshot, sparql, kw, formats, guard = job
        verdict = _judge(op, sparql, guard, sandboxed)
        if verdict is not None:
            conn.send(verdict)
            continue
        for attempt in range(4):
            try:
                if store is None or snapshot != opened:
                    store = None
                    store = OxigraphStore(snapshot, read_only=True)
                    opened = snapshot
                conn.send(("ok", answer(store, sparql, formats, **kw)))
            except QuerySyntaxError as e:
                conn.send(("syntax", str(e)))
            except Exception as e:
                # A read-only handle races the writer's compactions (files renamed or
                # removed under it): reopen and try again before giving up.
                if attempt < 3 and any(w in str(e) for w in ("Corruption", "IO error", "No such file")):
                    store = None
                    time.sleep(0.05 * (attempt + 1))
                    continue
                conn.send(("store", str(e) if isinstance(e, StoreError) else f"{type(e).__name__}: {e}"))
            break


class _Worker:
    def __init__(self, ctx, sandboxed: bool):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, sandboxed), daemon=True)
        self.proc.start()
        child.close()
        self.barrier: dict | None = None       # set from the worker's first message

    def started(self, timeout: float) -> None:
        """Wait for the worker's first message; SandboxError when it has no barrier."""
        if self.barrier is not None:
            return
        if not self.conn.poll(timeout):
            raise StoreError(f"a query worker did not start within {timeout:g} s")
        status, payload = self.conn.recv()
        if status != "ready":
            raise sandbox.SandboxError(f"query worker without its network barrier: {payload} "
                                       "(PUBLIK_KG_NETWORK_SANDBOX=off runs without it)")
        self.barrier = payload

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


_pools = itertools.count()


def _own_snapshot_dir(root: Path) -> Path:
    """A snapshot directory for one pool under ``root``; those of pools whose process is
    gone (an earlier run) are removed."""
    root.mkdir(parents=True, exist_ok=True)
    for d in root.iterdir():
        pid = d.name.split("-")[0]
        if not (pid.isdigit() and Path(f"/proc/{pid}").exists()):
            shutil.rmtree(d, ignore_errors=True)
    own = root / f"{os.getpid()}-{next(_pools)}"
    own.mkdir()
    return own


class QueryPool:
    """``sandboxed``: workers run behind the network barrier; ``federation``: the pool that
    takes the queries whose operator-allowed SERVICE needs the network."""

    def __init__(self, store: OxigraphStore, size: int, timeout: float, sandboxed: bool = True,
                 federation: "QueryPool | None" = None):
        self.store, self.timeout, self.sandboxed, self.federation = store, timeout, sandboxed, federation
        self.snapshots = _own_snapshot_dir(Path(f"{store.path}.snapshots"))
        self.snap_lock = threading.Lock()
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.workers: list[_Worker] = []
        for _ in range(size):
            self._spawn()
        for w in list(self.workers):
            w.started(60)

    def barrier(self) -> dict:
        """The network barrier the workers run behind ({} when none)."""
        return self.workers[0].barrier or {} if self.workers else {}

    def snapshot(self) -> str:
        """The directory of a snapshot of the store's current generation (made once)."""
        gen = self.store.generation() or "0"
        target = self.snapshots / gen
        with self.snap_lock:
            if not target.exists():
                tmp = self.snapshots / f".{gen}.{threading.get_ident()}"
                shutil.rmtree(tmp, ignore_errors=True)
                self.store.snapshot(tmp)
                tmp.rename(target)
                # older ones go once no query can still be running on them
                old = sorted((p for p in self.snapshots.iterdir() if not p.name.startswith(".")),
                             key=lambda p: p.stat().st_mtime)[:-KEEP_SNAPSHOTS]
                for p in old:
                    if time.time() - p.stat().st_mtime > 2 * self.timeout + 5:
                        shutil.rmtree(p, ignore_errors=True)
        return str(target)

    def _spawn(self) -> None:
        w = _Worker(self.ctx, self.sandboxed)
        with self.lock:
            self.workers.append(w)
        self.idle.put(w)

    def query(self, sparql: str, formats: dict | None = None, guard=None, **kw):
        """The result of a read query; written by the worker when ``formats`` says how.
        ``guard`` = (allowed prefixes, base IRI): the worker judges the text first."""
        status, payload = self._run(("query", self.snapshot(), sparql, kw, formats, guard))
        if status == "federate":
            if self.federation is None:
                raise outbound.Refused("this server allows no query to reach the network")
            return self.federation.query(sparql, formats, guard, **kw)
        return self._answer(status, payload)

    def check_update(self, update: str, guard) -> None:
        """Judge an update before the server runs it: its outbound targets and whether it
        parses and plans on an empty store without overflowing a stack."""
        self._answer(*self._run(("check-update", None, update, {}, None, guard)))

    def _answer(self, status: str, payload):
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "forbidden":
            raise outbound.Refused(payload)
        if status == "unverifiable":
            raise outbound.Unverifiable(payload)
        raise StoreError(payload)

    def _run(self, job: tuple) -> tuple:
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(f"all query workers stayed busy for {self.timeout:g} s") from None
        try:
            w.started(self.timeout)
            w.conn.send(job)
            if not w.conn.poll(self.timeout):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was cancelled")
            status, payload = w.conn.recv()
        except (QueryTimeout, EOFError, OSError, BrokenPipeError) as e:
            with self.lock:
                self.workers.remove(w)
            w.kill()
            self._spawn()
            if isinstance(e, QueryTimeout):
                raise
            raise StoreError("the request stopped the worker evaluating it (too deeply nested or too "
                             "large to evaluate); it was not run") from None
        self.idle.put(w)
        return status, payload

    def close(self) -> None:
        with self.lock:
            for w in self.workers:
                w.kill()
            self.workers.clear()
        if self.federation is not None:
            self.federation.close()
        shutil.rmtree(self.snapshots, ignore_errors=True)
