"""Write tests/data/real/floors.json: today's overall precision and recall per kind, minus
a margin, from ``publik-kg evaluate`` on every annotation of tests/data/real/.

tests/test_evaluation.py fails when a figure drops below its floor (a ratchet). Run this
again after the extraction improves, to raise the floors to the new figures:

    python scripts/evaluation_floors.py [--margin 0.02]
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from publik_kg.evaluation import evaluate

REAL = Path(__file__).resolve().parent.parent / "tests/data/real"


def floors(margin: float) -> dict:
    result = evaluate(sorted(p for p in REAL.glob("20*.json")))
    out = {}
    for kind, fig in result["overall"].items():
        out[kind] = {m: max(0.0, math.floor((fig[m] - margin) * 1000) / 1000) if fig[m] is not None else None
                     for m in ("precision", "recall")}
    return {"about": f"Overall precision/recall per kind of `publik-kg evaluate tests/data/real/20*.json`, "
                     f"minus {margin}; written by scripts/evaluation_floors.py. "
                     "tests/test_evaluation.py fails below these.",
            "margin": margin, "must_not_violated_max": result["must_not"]["violated"], "floors": out}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--margin", type=float, default=0.02)
    args = ap.parse_args()
    (REAL / "floors.json").write_text(json.dumps(floors(args.margin), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {REAL / 'floors.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
