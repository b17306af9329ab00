"""Copy a whole dataset between stores, named graphs preserved: ``push`` (embedded →
remote SPARQL server) and ``pull`` (remote → embedded). The target's graphs are replaced
in one ``replace_graphs`` call, so it holds the old copy or the new one, never a mix;
graphs of this dataset that the source no longer has are dropped, other graphs are left."""
from __future__ import annotations

import pyoxigraph as ox

from .store import Store, from_ox


def copy_dataset(source: Store, target: Store, base: str) -> tuple[int, int]:
    """(graphs, triples) copied from ``source`` to ``target``."""
    graphs = {}
    for name in source.graph_names():
        data = source.dump("ntriples", graph=name)
        graphs[name] = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    ours = base.rstrip("/") + "/graph/"
    stale = [g for g in target.graph_names() if g.startswith(ours) and g not in graphs]
    target.replace_graphs(graphs, drop=stale)
    return len(graphs), sum(len(t) for t in graphs.values())
