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

Workers are also where a request's text is judged before it runs (publik_kg.outbound:
rdflib's parser can take seconds on hostile input, and a deep parse can overflow a stack;
here it is killed on timeout and costs a worker, not the server), and they cannot reach
the network (api/sandbox.py). A query that needs an operator-allowed SERVICE is handed to
the *federation* pool, whose one worker has no sandbox.
"""
from __future__ import annotations

import fcntl
import itertools
import logging
import multiprocessing as mp
import os
import queue
import resource
import shutil
import signal
import threading
import time
import uuid
from pathlib import Path

from publik_kg import outbound
from publik_kg.results import answer
from publik_kg.sparqltext import BindingError, inject_values
from publik_kg.store import NetworkClosed, OxigraphStore, QuerySyntaxError, StoreError, StoreUnavailable

from . import sandbox

log = logging.getLogger("publik_kg.pool")

class QueryTimeout(Exception):
    """The query ran past the limit and was cancelled."""


class PoolBusy(Exception):
    """No worker could answer: none became free in time, or the one running the query died."""


class WorkerLost(PoolBusy):
    """The worker died under the query (out of its memory, most likely) and was replaced."""


KEEP_SNAPSHOTS = 3
TRIAL_STACK = 1 << 20    # bytes: less than any thread of the server that runs updates


def limit_memory(mb: int) -> None:
    """Cap this process's data segment (heap, anonymous mappings, thread stacks) at ``mb``
    MiB; 0 leaves it as it is. RLIMIT_DATA rather than RLIMIT_AS: the address space of a
    worker also holds RocksDB's file mappings and reserved, untouched arenas (450-520 MB
    of it right after a snapshot is opened, varying from run to run), while its data
    segment is about 95 MB then and grows only with what queries really allocate."""
    if mb > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (mb << 20, resource.getrlimit(resource.RLIMIT_DATA)[1]))


def _start(sandboxed: bool) -> tuple:
    """The worker's first message: the barrier it runs behind, or why there is none."""
    if not sandboxed:
        return ("ready", {})
    try:
        return ("ready", sandbox.enter())
    except sandbox.SandboxError as e:
        return ("nosandbox", str(e))


def _trial(update: str, copy: str, base: str) -> tuple:
    """Run ``update`` on ``copy`` (a throwaway copy of the store), in a thread with a small
    stack: an update that would overflow the stack of the server's own threads, or run past
    the time limit (this worker is then killed), dies here instead; one that the store
    refuses (a DROP of a missing graph…) is refused here first."""
    import pyoxigraph as ox
    out: list = [("store", "the trial run of the update did not finish")]

    def run():
        store = None
        try:
            store = ox.Store(copy)
            store.update(update, base_iri=base or None)
            out[0] = ("ok", None)
        except SyntaxError as e:
            out[0] = ("syntax", str(e))
        except MemoryError:
            out[0] = ("memory", "")
        except OSError as e:               # the copy could not be opened, a disk error, a failed LOAD
            out[0] = ("closed", str(NetworkClosed(""))) if isinstance(e, PermissionError) else \
                ("unavailable", f"the update could not be tried: {e}")
        except Exception as e:
            out[0] = ("store", f"the update was refused: {e}")
        finally:
            del store
            shutil.rmtree(copy, ignore_errors=True)
    threading.stack_size(TRIAL_STACK)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    return out[0]


def _judge(op: str, snapshot: str | None, sparql: str, kw: dict, guard, sandboxed: bool) -> tuple | None:
    """The answer to send without evaluating (a refusal, a hand-over, a trial's verdict),
    or None when the query is to be evaluated here."""
    if guard is not None:
        allowed, base = guard
        try:
            text = inject_values(sparql, kw["bindings"]) if kw.get("bindings") else sparql   # what will run
            networked = outbound.decide(text, "update" if op == "check-update" else "query", base, allowed)
        except outbound.Refused as e:
            return ("forbidden", str(e))
        except (outbound.Unverifiable, BindingError) as e:
            return ("unverifiable", str(e))
        if networked and sandboxed:
            return ("federate", None)
    return _trial(sparql, snapshot, guard[1] if guard else "") if op == "check-update" else None


def _worker(conn, sandboxed: bool = True, memory_mb: int = 0, stderr: str = "") -> None:
    if stderr:      # what Rust prints as it aborts tells a stack overflow from a memory failure
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    hello = _start(sandboxed)
    conn.send(hello)
    if hello[0] != "ready":
        return                  # never evaluate without the barrier asked for
    limit_memory(memory_mb)
    store, opened = None, None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        op, snapshot, sparql, kw, formats, guard = job
        try:
            verdict = _judge(op, snapshot, sparql, kw, guard, sandboxed)
        except MemoryError:
            conn.send(("memory", ""))
            return
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
                conn.send(_failure(e))
            break


def _failure(e: Exception) -> tuple:
    """The message for an error met while evaluating: the client's fault or the server's."""
    if isinstance(e, (StoreUnavailable, NetworkClosed)):
        return ("unavailable" if isinstance(e, StoreUnavailable) else "closed", str(e))
    if isinstance(e, StoreError):
        return ("store", str(e))
    return ("unavailable", f"the store could not answer: {type(e).__name__}: {e}")   # e.g. a snapshot gone


class _Worker:
    def __init__(self, ctx, sandboxed: bool, memory_mb: int, stderr: Path):
        self.conn, child = ctx.Pipe()
        self.stderr = stderr
        self.proc = ctx.Process(target=_worker, args=(child, sandboxed, memory_mb, str(stderr)), daemon=True)
        self.proc.start()
        child.close()
        self.barrier: dict | None = None       # set from the worker's first message

    def started(self, timeout: float) -> None:
        """Wait for the worker's first message; SandboxError when it has no barrier."""
        if self.barrier is not None:
            return
        if not self.conn.poll(timeout):
            raise WorkerLost(f"a query worker did not start within {timeout:g} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerLost("a query worker stopped before it started") from None
        if status != "ready":
            raise sandbox.SandboxError(f"query worker without its network barrier: {payload} "
                                       "(PUBLIK_KG_NETWORK_SANDBOX=off runs without it)")
        self.barrier = payload

    def last_words(self) -> str:
        """The end of what the worker wrote to its standard error."""
        try:
            with open(self.stderr, "rb") as f:
                f.seek(max(0, f.seek(0, 2) - 4096))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        try:
            self.stderr.unlink()
        except OSError:
            pass


_serial = itertools.count()        # names of workers' files and trial copies in this process


def _own_snapshot_dir(root: Path) -> tuple[Path, int]:
    """A snapshot directory for one pool under ``root``, and the descriptor of the lock it
    holds on it while it lives; directories whose lock nobody holds (left by a process that
    is gone, whatever its pid) are removed."""
    root.mkdir(parents=True, exist_ok=True)
    for d in root.iterdir():
        try:
            fd = os.open(d / ".lock", os.O_RDWR)
        except OSError:
            shutil.rmtree(d, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue                       # a live pool's
        finally:
            os.close(fd)
        shutil.rmtree(d, ignore_errors=True)
    own = root / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    own.mkdir()
    fd = os.open(own / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return own, fd


class QueryPool:
    """``sandboxed``: workers run behind the network barrier; ``federation``: the pool that
    takes the queries whose operator-allowed SERVICE needs the network."""

    def __init__(self, store: OxigraphStore, size: int, timeout: float, memory_mb: int = 0,
                 sandboxed: bool = True, federation: "QueryPool | None" = None):
        self.store, self.timeout, self.memory_mb = store, timeout, memory_mb
        self.sandboxed, self.federation = sandboxed, federation
        self.snapshots, self._lock_fd = _own_snapshot_dir(Path(f"{store.path}.snapshots"))
        self.stderrs = self.snapshots / ".workers"        # each worker's standard error
        self.stderrs.mkdir()
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
        return (self.workers[0].barrier or {}) if self.workers else {}

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
                # older ones go once no query can still be running on them: a snapshot stopped
                # being the current one when the next was made (that one's time)
                kept = sorted((p for p in self.snapshots.iterdir() if not p.name.startswith(".")),
                              key=lambda p: p.stat().st_mtime)
                for p, successor in zip(kept[:-KEEP_SNAPSHOTS], kept[1:]):
                    if time.time() - successor.stat().st_mtime > 2 * self.timeout + 5:
                        shutil.rmtree(p, ignore_errors=True)
        return str(target)

    def _spawn(self) -> None:
        w = _Worker(self.ctx, self.sandboxed, self.memory_mb, self.stderrs / f"{next(_serial)}.stderr")
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
        return WorkerLost(f"the query worker stopped{how}, most likely out of the memory a query may use{cap}, "
                          "or on a query nested too deeply; it was replaced — simplify the query "
                          "(a smaller result, shorter strings, less nesting) or retry")

    def query(self, sparql: str, formats: dict | None = None, *, guard, **kw):
        """The result of a read query; written by the worker when ``formats`` says how.
        ``guard`` = (allowed prefixes, base IRI): the worker judges the text first (None:
        it does not — only for tests of the sandbox on its own)."""
        status, payload = self._run("query", sparql, kw, formats, guard)
        if status == "federate":               # only a sandboxed pool with a federation says so
            return self.federation.query(sparql, formats, guard=guard, **kw)
        return self._answer(status, payload)

    def check_update(self, update: str, *, guard) -> None:
        """Judge an update before the server runs it: its outbound targets, then a trial run
        on a throwaway copy of the store (hard links: cheap) under the time limit. Only an
        update that passes is run for real, so updates are bounded in time like queries."""
        copy = self.snapshots / f".trial-{next(_serial)}"
        self.store.snapshot(copy)
        try:
            status, payload = self._run("check-update", update, {}, None, guard, snapshot=str(copy))
        except QueryTimeout:
            raise QueryTimeout(f"the update ran longer than {self.timeout:g} s on a copy of the store and was "
                               "not applied") from None
        finally:
            shutil.rmtree(copy, ignore_errors=True)
        if status == "federate":
            return self.federation.check_update(update, guard=guard)
        self._answer(status, payload)

    def _answer(self, status: str, payload):
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "forbidden":
            raise outbound.Refused(payload)
        if status == "unverifiable":
            raise outbound.Unverifiable(payload)
        if status == "unavailable":
            raise StoreUnavailable(payload)
        if status == "closed":
            raise NetworkClosed(payload)
        raise StoreError(payload)

    def _run(self, op: str, sparql: str, kw: dict, formats: dict | None, guard, snapshot: str | None = None) -> tuple:
        w = self._take()
        try:
            w.started(self.timeout)
        except (WorkerLost, sandbox.SandboxError):
            self._replace(w)                   # it is gone, or it will not evaluate: a new one
            raise
        try:
            snapshot = self.snapshot() if op == "query" else snapshot
        except BaseException:
            self.idle.put(w)
            raise
        try:
            w.conn.send((op, snapshot, sparql, kw, formats, guard))
            if not w.conn.poll(self.timeout):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was cancelled")
            status, payload = w.conn.recv()
        except QueryTimeout:
            self._replace(w)
            raise
        except (EOFError, OSError) as e:
            # the worker died (an allocation failure or a stack overflow aborts it, the OOM
            # killer kills it): not the client's malformed input, so not a 400 — a 503
            w.proc.join(1)
            code, words = w.proc.exitcode, w.last_words()
            self._replace(w)
            # a stack overflow in a native library is a segmentation fault (or Rust's own message)
            if code == -signal.SIGSEGV or "overflowed its stack" in words:
                log.warning("a query worker overflowed its stack: %s", words[-300:].strip())
                raise StoreError("the request is nested too deeply to be evaluated (it overflowed the stack "
                                 "of the worker that read it); nothing was run") from e
            if words.strip():
                log.warning("a query worker died: %s", words[-300:].strip())
            raise self.lost(code) from e
        if status == "memory":
            self._replace(w)
            raise self.lost(None)
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
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
