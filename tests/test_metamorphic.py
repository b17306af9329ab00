"""Metamorphic: a report and its re-layouts (the same words and facts in another layout,
written blind: tests/data/variants/VARIANTS.md) give the same facts. Each re-layout carries
its original's annotation, so the evaluation must find, miss and over-read the same items
on both, and violate the same must_not rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from publik_kg.evaluation import evaluate_file

DATA = Path(__file__).parent / "data"
RELAYOUTS = sorted(p for p in (DATA / "variants").glob("*.json")
                   if json.loads(p.read_text(encoding="utf-8")).get("derived_from"))


def _facts(path: Path) -> dict:
    checked = evaluate_file(path).checked
    counts = {k: (t.tp, t.fn, t.fp) for k, t in checked.tallies.items()}
    missed = sorted((f.kind, f.item) for f in checked.false_negatives)
    extra = sorted((f.kind, f.item) for f in checked.false_positives)
    violated = sorted(r["what"] for r in checked.must_not if r["violated"])
    return {"counts": counts, "missed": missed, "extra": extra, "violated": violated}


def test_every_real_report_has_a_relayout():
    originals = {json.loads(p.read_text(encoding="utf-8"))["derived_from"] for p in RELAYOUTS}
    assert {p.stem for p in (DATA / "real").glob("20*.md")} - {"2019-12-04-club-publik-8eme-reunion"} \
        == {Path(o).stem for o in originals}


@pytest.mark.parametrize("variant", RELAYOUTS, ids=lambda p: p.stem)
def test_a_relayout_gives_the_facts_of_its_original(variant):
    original = DATA / "real" / (Path(json.loads(variant.read_text(encoding="utf-8"))["derived_from"]).stem + ".json")
    assert _facts(variant) == _facts(original)
