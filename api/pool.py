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

Each worker's memory is capped (``RLIMIT_DATA``: its heap and private anonymous mappings)
so that a runaway query — a result built whole, a string doubled again and again — ends
in its worker, never in a server-wide swap: Python raises MemoryError (the worker says so
and exits), Rust code in pyoxigraph aborts the process on an allocation failure. Either
way the pool replaces the worker and the client gets a 503 (``WorkerLost``).
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import resource
import shutil
import threading
import time
from pathlib import Path

from publik_kg.results import answer
from publik_kg.store import OxigraphStore, QuerySyntaxError, StoreError


class QueryTimeout(Exception):
    """The query ran past the limit and was cancelled."""


class PoolBusy(Exception):
    """No worker could answer: none became free in time, or the one running the query died."""


class WorkerLost(PoolBusy):
    """The worker died under the query (out of its memory, most likely) and was replaced."""


KEEP_SNAPSHOTS = 3


def limit_memory(mb: int) -> None:
    """Cap this process's data segment (heap, anonymous mappings, thread stacks) at ``mb``
    MiB; 0 leaves it as it is. RLIMIT_DATA rather than RLIMIT_AS: the address space of a
    worker also holds RocksDB's file mappings and reserved, untouched arenas (450-520 MB
    of it right after a snapshot is opened, varying from run to run), while its data
    segment is about 95 MB then and grows only with what queries really allocate."""
    if mb > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (mb << 20, resource.getrlimit(resource.RLIMIT_DATA)[1]))


def _worker(conn, memory_mb: int = 0) -> None:
    limit_memory(memory_mb)
    store, opened = None, None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        snapshot, sparql, kw, formats = job
        for attempt in range(4):
            try:
                if store is None or snapshot != opened:
                    store = None
                    store = OxigraphStore(snapshot, read_only=True)
                    opened = snapshot
                conn.send(("ok", answer(store, sparql, formats, **kw)))
            except QuerySyntaxError as e:
                conn.send(("syntax", str(e)))
            except MemoryError:
                conn.send(("memory", ""))     # the pool replaces this worker: its heap may be a ruin
                return
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
    def __init__(self, ctx, memory_mb: int = 0):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, memory_mb), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    def __init__(self, store: OxigraphStore, size: int, timeout: float, memory_mb: int = 0):
        self.store, self.timeout, self.memory_mb = store, timeout, memory_mb
        self.snapshots = Path(f"{store.path}.snapshots")
        shutil.rmtree(self.snapshots, ignore_errors=True)       # left by an earlier run
        self.snapshots.mkdir(parents=True)
        self.snap_lock = threading.Lock()
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.workers: list[_Worker] = []
        for _ in range(size):
            self._spawn()

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
        w = _Worker(self.ctx, self.memory_mb)
        with self.lock:
            self.workers.append(w)
        self.idle.put(w)

    def _replace(self, w: _Worker) -> None:
        with self.lock:
            if w in self.workers:
                self.workers.remove(w)
        w.kill()
        self._spawn()

    def _take(self) -> _Worker:
        """An idle worker that is still alive (one that died idle is replaced first)."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                w = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise PoolBusy(f"all query workers stayed busy for {self.timeout:g} s") from None
            if w.proc.is_alive():
                return w
            self._replace(w)

    def lost(self, exitcode: int | None) -> WorkerLost:
        cap = f" ({self.memory_mb} MB)" if self.memory_mb else ""
        how = f" (exit status {exitcode})" if exitcode not in (None, 0) else ""
        return WorkerLost(f"the query worker stopped{how}, most likely out of the memory a query may use{cap}; "
                          "it was replaced — simplify the query (a smaller result, shorter strings) or retry")

    def query(self, sparql: str, formats: dict | None = None, **kw):
        """The result of a read query; written by the worker when ``formats`` says how."""
        w = self._take()
        try:
            snapshot = self.snapshot()
        except BaseException:
            self.idle.put(w)
            raise
        try:
            w.conn.send((snapshot, sparql, kw, formats))
            if not w.conn.poll(self.timeout):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was cancelled")
            status, payload = w.conn.recv()
        except QueryTimeout:
            self._replace(w)
            raise
        except (EOFError, OSError) as e:
            # the worker died (an allocation failure aborts it, the OOM killer kills it):
            # not the client's malformed input, so not a 400 — a 503, and a new worker
            w.proc.join(1)
            code = w.proc.exitcode
            self._replace(w)
            raise self.lost(code) from e
        if status == "memory":
            self._replace(w)
            raise self.lost(None)
        self.idle.put(w)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        raise StoreError(payload)

    def close(self) -> None:
        with self.lock:
            for w in self.workers:
                w.kill()
            self.workers.clear()
        shutil.rmtree(self.snapshots, ignore_errors=True)
