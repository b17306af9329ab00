"""Copy a whole dataset between stores, named graphs preserved: ``push`` (embedded →
remote SPARQL server) and ``pull`` (remote → embedded).

The target's graphs are replaced in groups of about ``group`` triples, each group in one
``replace_graphs`` call (atomic: a graph is never half-copied), so the server's transaction
stays bounded however large the dataset (one transaction for a million triples made the
Oxigraph server hold gigabytes). A copy that fails midway leaves some graphs new and the
rest old, each whole; running it again completes it. Graphs of this dataset that the
source no longer has are dropped last; other graphs are left alone."""
from __future__ import annotations

import pyoxigraph as ox

from .store import Store, from_ox


def copy_dataset(source: Store, target: Store, base: str, group: int = 100_000) -> tuple[int, int]:
    """(graphs, triples) copied from ``source`` to ``target``."""
    names = source.graph_names()
    batch: dict[str, list] = {}
    size = total = 0
    for name in names:
        data = source.dump("ntriples", graph=name)
        batch[name] = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                       for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        size += len(batch[name])
        total += len(batch[name])
        if size >= group:
            target.replace_graphs(batch)
            batch, size = {}, 0
    ours = base.rstrip("/") + "/graph/"
    stale = [g for g in target.graph_names() if g.startswith(ours) and g not in set(names)]
    target.replace_graphs(batch, drop=stale)
    return len(names), total
