"""A small LRU cache of query responses, valid for one store generation.

Only stores that report a generation (on-disk Oxigraph: it changes with every write)
are cached, so a response can never outlive the data it was computed from.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class ResponseCache:
    def __init__(self, entries: int = 512, max_bytes: int = 1_000_000):
        self.entries, self.max_bytes = entries, max_bytes
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
            return hit

    def put(self, key, value: tuple[bytes, dict, str]) -> None:
        if len(value[0]) > self.max_bytes or self.entries <= 0:
            return
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.entries:
                self.data.popitem(last=False)
