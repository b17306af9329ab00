"""Query evaluation in worker processes that can be killed on timeout.

Neither pyoxigraph nor rdflib can interrupt a running query from a thread, so each
query runs in a worker process holding a read-only handle on the on-disk store. A
query over the time limit gets its worker killed and replaced; other workers go on
serving. Workers reopen the store when its generation changes (a write happened).
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time

from publik_kg.results import answer
from publik_kg.store import OxigraphStore, QuerySyntaxError, StoreError


class QueryTimeout(Exception):
    """The query ran past the limit and was cancelled."""


class PoolBusy(Exception):
    """No worker became free in time."""


def _worker(conn, path: str) -> None:
    store, gen = None, None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        want, sparql, kw, formats = job
        for attempt in range(4):
            try:
                if store is None or want != gen:
                    store = OxigraphStore(path, read_only=True)
                    gen = want
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
    def __init__(self, ctx, path: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, path), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    def __init__(self, store: OxigraphStore, size: int, timeout: float):
        self.store, self.timeout = store, timeout
        self.path = str(store.path)
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.workers: list[_Worker] = []
        for _ in range(size):
            self._spawn()

    def _spawn(self) -> None:
        w = _Worker(self.ctx, self.path)
        with self.lock:
            self.workers.append(w)
        self.idle.put(w)

    def query(self, sparql: str, formats: dict | None = None, **kw):
        """The result of a read query; written by the worker when ``formats`` says how."""
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(f"all query workers stayed busy for {self.timeout:g} s") from None
        try:
            w.conn.send((self.store.generation(), sparql, kw, formats))
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
            raise StoreError(f"query worker failed: {e}") from None
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
