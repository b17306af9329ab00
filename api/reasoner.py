"""Keeps the inferred graph in step with SPARQL Updates, off the request path.

An accepted update only marks the inferred graph stale; one background thread
recomputes the OWL-RL closure (seconds) and replaces the inferred graph in one
transaction. Updates arriving meanwhile trigger one more pass, so the graph is
eventually consistent with the last update.
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
                self.dataset.reason()
            except Exception:  # keep serving; the next update retries
                log.exception("recomputing the inferred graph failed")
            if not self.pending.is_set():
                self.idle.set()
