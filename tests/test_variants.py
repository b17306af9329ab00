"""The variant reports (tests/data/variants/) are well-formed annotated reports.

Each variant annotation must load with the loader ``publik-kg evaluate`` uses, carry only
official codes that exist in the shipped COG with the right kind of body, and quote its
report: every label, name, tool, request and answer fragment it asks a graph for is in
the text. No extraction is run here (the metamorphic comparison is a separate test).
"""
from __future__ import annotations

import csv
import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest

from publik_kg.evaluation import AnnotationError, load_annotation

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ROOT / "tests" / "data" / "variants"
ANNOTATIONS = sorted(VARIANTS.glob("*.json"))

# the annotation's kind of body -> the COG row kind its code must have
INSEE_KINDS = {"commune": "commune", "departement": "departement", "region": "region"}
SIREN_KINDS = {"metropole": {"METRO", "MET69"}, "communaute-urbaine": {"CU"}, "communaute-agglomeration": {"CA"},
               "communaute-communes": {"CC"}}     # MET69: the Métropole de Lyon
STANCES = {"accepted", "planned", "under study", "declined", "alternative offered"}


def cog() -> dict[tuple[str, str], dict]:
    """(COG kind, code) -> row, for the current communes, départements, régions and EPCI."""
    with gzip.open(ROOT / "data" / "cog.tsv.gz", "rt", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return {(r["kind"], r["code"]): r for r in csv.DictReader(lines, delimiter="\t")}


COG = cog()


def folded(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u2019", "'").replace("\\", "")
    return re.sub(r"\s+", " ", s).casefold()


def loaded(path: Path) -> tuple[dict, str]:
    data, report = load_annotation(path)
    return data, folded(report.read_text(encoding="utf-8"))


def test_there_are_variants_of_every_kind():
    stems = {p.stem for p in ANNOTATIONS}
    assert {p.stem for p in VARIANTS.glob("*.md")} - {"VARIANTS"} == stems, "each variant has a .md and a .json"
    table = (VARIANTS / "VARIANTS.md").read_text(encoding="utf-8")
    for stem in stems:
        assert f"`{stem}`" in table, f"{stem} is not described in VARIANTS.md"
    derived = [json.loads(p.read_text(encoding="utf-8")).get("derived_from") for p in ANNOTATIONS]
    real = {p.name for p in (ROOT / "tests" / "data" / "real").glob("*.md")}
    assert {d for d in derived if d} <= real
    assert len({d for d in derived if d}) >= 4, "a re-layout of each of the four real reports"
    assert sum(d is None for d in derived) >= 6, "re-phrasings and other communities' minutes"


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_loads_with_the_evaluation_loader(path):
    data, text = loaded(path)
    assert 1500 <= len(text) <= 4000, f"{len(text)} characters"
    m = data["meeting"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["date"])
    for key in ("end_date", "rank", "online", "venue", "city", "host", "vendor"):
        assert key in m, f"meeting.{key} missing (null when the text does not say)"
    labels = {o["label"] for o in data.get("organizations", [])}
    for key in ("host", "vendor"):
        assert m[key] is None or m[key] in labels, f"meeting.{key} {m[key]!r} is no organization label"
    for p in data.get("people", []):
        assert p.get("organization") is None or p["organization"] in labels, p
    for o in data.get("organizations", []):
        assert o.get("member_of") is None or o["member_of"] in labels, o
        assert o["role"] in {"participant", "host", "vendor", "mentioned"}, o


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_official_codes_exist_with_that_kind_of_body(path):
    data, _ = loaded(path)
    for o in data.get("organizations", []):
        assert not ("insee" in o and "siren" in o), o["label"]
        if "insee" in o:
            kind = INSEE_KINDS[o["kind"]]
            row = COG.get((kind, o["insee"]))
            assert row is not None, f"{o['label']}: no {kind} {o['insee']} in the COG"
        elif "siren" in o:
            row = COG.get(("epci", o["siren"]))
            assert row is not None, f"{o['label']}: no EPCI {o['siren']} in the COG"
            assert row["epci_type"] in SIREN_KINDS[o["kind"]], f"{o['label']}: a {row['epci_type']}"
        else:
            assert o.get("kind") not in INSEE_KINDS | SIREN_KINDS, f"{o['label']}: an official body without code"
            continue
        assert row["name"] == o["canonical_name"], f"{o['label']}: the COG names it {row['name']!r}"
    for rule in data.get("must_not", []):
        check = rule["check"]
        if check["kind"] == "code_on":     # the wrong code is a real one (the trap is plausible)
            assert any(code == check["code"] for (_, code) in COG), check


def reversed_name(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{last} {first}"


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_what_is_looked_for_is_in_the_text(path):
    data, text = loaded(path)
    m = data["meeting"]
    for key in ("venue", "city", "attendance"):
        if m.get(key):
            assert folded(m[key]) in text, f"meeting.{key}"
    for o in data.get("organizations", []):
        assert folded(o["label"]) in text, o["label"]
    for p in data.get("people", []):
        n = folded(p["name"])
        assert n in text or folded(reversed_name(p["name"])) in text, p["name"]
    for t in data.get("tools", []):
        assert folded(t) in text, t
    for r in data.get("requests", []):
        assert folded(r["fragment"]) in text, r["fragment"]
        assert folded(r["fragment"]) in folded(r["text"]), r["fragment"]
        answer = r.get("answer")
        if answer:
            assert folded(answer["fragment"]) in text, answer["fragment"]
            stances = {s.strip() for s in answer["stance"].split(",")}
            assert stances <= STANCES, f"{r['fragment']}: {answer['stance']}"


def test_a_broken_annotation_is_refused(tmp_path):
    """The loader the tests rely on does refuse what evaluate cannot use."""
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"report": "missing.md", "meeting": {"date": "2020-01-01"}}), encoding="utf-8")
    with pytest.raises(AnnotationError):
        load_annotation(bad)
