"""Why granian: the same minimal Flask endpoint under waitress and under granian.

    pip install waitress && python bench/bench_wsgi.py [--seconds 4] [--clients 1,4]

A constant SPARQL JSON answer, so only the HTTP server and Flask are measured; same
closed-loop client as bench_http.py.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bench_http import load_loop  # noqa: E402
from server import free_port  # noqa: E402

APP = '''
from flask import Flask, Response
app = Flask(__name__)

@app.get("/sparql")
def sparql():
    return Response(b'{"head":{"vars":["p","o"]},"results":{"bindings":[]}}',
                    content_type="application/sparql-results+json")
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--clients", default="1,4")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-wsgi-"))
    (tmp / "minimal.py").write_text(APP)
    bindir = Path(sys.executable).parent
    servers = {
        "waitress (4 threads)": lambda port: [str(bindir / "waitress-serve"), "--port", str(port), "--threads", "4",
                                              "minimal:app"],
        "granian (1 process, 4 threads)": lambda port: [str(bindir / "granian"), "--interface", "wsgi", "--port",
                                                        str(port), "--blocking-threads", "4", "minimal:app"],
    }
    print("| server | clients | req/s | p50 ms | p95 ms | errors |\n|---|---:|---:|---:|---:|---:|")
    for name, cmd in servers.items():
        port = free_port()
        proc = subprocess.Popen(cmd(port), cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        try:
            for c in [int(x) for x in args.clients.split(",")]:
                r = load_loop(port, lambda n: "/sparql?query=ASK%7B%7D", args.seconds, c)
                print(f"| {name} | {c} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['errors']} |", flush=True)
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
