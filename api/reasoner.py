"""Keeps the inferred graph in step with SPARQL Updates, off the request path.

An accepted update marks the inferred graph stale (in the update's own transaction); one
background thread recomputes the OWL-RL closure (seconds) and replaces the inferred graph,
clearing the mark, in one transaction — written only if no other write came in while it
computed (``Dataset.reason_if_stale``), so it never overwrites a newer state. Updates
arriving meanwhile trigger one more pass, so the graph is eventually the closure of the
last update. A pass finds nothing to do when another writer (an ingest) already
recomputed the closure.
"""
from __future__ import annotations

import logging
import threading

from publik_kg.dataset import Dataset

log = logging.getLogger("publik_kg.reasoner")


class BackgroundReasoner:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.pending = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.thread = threading.Thread(target=self._run, name="publik-kg-reasoner", daemon=True)
        self.thread.start()

    def schedule(self) -> None:
        self.idle.clear()
        self.pending.set()

    def _run(self) -> None:
        while True:
            self.pending.wait()
            self.pending.clear()
            try:
                self.dataset.reason_if_stale()
            except Exception:  # keep serving; the next update retries
                log.exception("recomputing the inferred graph failed")
            if not self.pending.is_set():
                self.idle.set()
