"""A zygote for the crash tests: imports publik-kg and loads its data (and the language
model) once, then for each
line read on stdin ("ingest STORE REPORTS", "publish STORE OUT", "push STORE SERVER_URL",
"wait - -") forks a child that does the
work on the on-disk store and exits; prints the child's pid so the test can SIGKILL it.
No store is open in the zygote, so the children start clean (RocksDB does not survive a
fork of a process that has it open)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    from publik_kg.dataset import Dataset
    from publik_kg.gazetteer import load
    from publik_kg.publish import publish
    from publik_kg.reading import read_report
    from publik_kg.remote import RemoteConfig, RemoteStore
    from publik_kg.transfer import copy_dataset
    from publik_kg.store import OxigraphStore
    from publik_kg.vocab import lexicons, ontology_graph
    from publik_kg import nlp
    load(), lexicons(), ontology_graph(), nlp.model()       # the language model too: children do not reload it
    print("ready", flush=True)
    child = 0
    for line in sys.stdin:
        if child:
            os.waitpid(child, 0)
            child = 0
        cmd, store_dir, arg = line.split()
        if cmd == "wait":                        # the previous child has finished
            print("done", flush=True)
            continue
        child = os.fork()
        if child == 0:
            ds = Dataset(OxigraphStore(store_dir), "http://127.0.0.1:8000/")
            if cmd == "ingest":
                ds.ingest([read_report(p) for p in sorted(Path(arg).iterdir())], on_error=print)
            elif cmd == "push":                  # arg: the server's base URL
                copy_dataset(ds.store, RemoteStore(RemoteConfig(arg + "/query", arg + "/update")),
                             "http://127.0.0.1:8000/", group=1)    # each graph its own request
            else:
                publish(ds, Path(arg), "https://example.org/")
            ds.store.close()
            os._exit(0)
        print(child, flush=True)


if __name__ == "__main__":
    main()
