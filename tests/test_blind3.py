"""The third blind set (tests/data/blind3/) is made of well-formed annotated reports.

Written and annotated blind, after the extraction was tuned on the variants and the held-out
set, to measure how it generalises; this file checks the annotations only, never the
extractor. Each annotation passes the held-out set's checks (tests/test_heldout.py, reused as
is, which itself reuses the variants'): it loads with ``publik-kg evaluate``'s loader, its codes
exist in the COG with that kind of body and official name, what it looks for is in its text, it
carries at least four must_not checks and none contradicts it, dates written with a weekday are
right, and no long line was copied from the development reports. On top of that: the set
covers the kinds of meeting BLIND3.md promises, and no long line was copied from the held-out
reports either.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import test_heldout
from test_heldout import annotation
from test_heldout import test_dates_written_with_a_weekday_are_right as check_weekdays
from test_heldout import test_must_not_checks_do_not_contradict_the_annotation as check_must_not
from test_heldout import test_no_line_is_copied_from_the_development_reports as check_not_copied
from test_heldout import test_passes_the_variants_checks as check_variants
from test_variants import ROOT, folded

BLIND3 = ROOT / "tests" / "data" / "blind3"
ANNOTATIONS = sorted(BLIND3.glob("*.json"))
REPORTS = sorted(p for p in BLIND3.iterdir() if p.suffix in (".md", ".txt") and p.name != "BLIND3.md")


def test_each_report_has_its_annotation_and_its_row():
    assert len(REPORTS) == 8
    assert {p.stem for p in REPORTS} == {p.stem for p in ANNOTATIONS}, "each report has a .json"
    names = {p.name for p in REPORTS}
    table = (BLIND3 / "BLIND3.md").read_text(encoding="utf-8")
    for p in ANNOTATIONS:
        report = json.loads(p.read_text(encoding="utf-8"))["report"]
        assert report in names and Path(report).stem == p.stem, p.name
        assert f"`{p.stem}`" in table, f"{p.stem} is not described in BLIND3.md"


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_passes_the_heldout_checks(path):
    check_variants(path)
    check_must_not(path)
    check_weekdays(path)


def test_no_line_is_copied_from_the_development_reports(monkeypatch):
    monkeypatch.setattr(test_heldout, "REPORTS", REPORTS)
    check_not_copied()


def test_no_line_is_copied_from_the_heldout_reports():
    heldout = ROOT / "tests" / "data" / "heldout"
    seen = {folded(x).strip() for p in heldout.iterdir() if p.suffix in (".md", ".txt")
            for x in p.read_text(encoding="utf-8").splitlines() if len(x.strip()) >= 50}
    for p in REPORTS:
        for line in p.read_text(encoding="utf-8").splitlines():
            assert len(line.strip()) < 50 or folded(line).strip() not in seen, f"{p.name}: {line[:60]}"


def test_the_set_covers_what_blind3_md_promises():
    loaded = [annotation(p) for p in ANNOTATIONS]
    meetings = [d["meeting"] for d, _ in loaded]
    assert any(m["online"] is True for m in meetings) and any(m["online"] is False for m in meetings)
    assert sum(m["end_date"] is not None for m in meetings) >= 2, "meetings over two days"
    assert any(m["rank"] is None for m in meetings) and sum(m["rank"] is not None for m in meetings) >= 3
    vendors = {m["vendor"] for m in meetings}
    assert "Entr'ouvert" in vendors and len(vendors - {"Entr'ouvert", None}) >= 1, "another product's vendor"
    kinds = {o["kind"] for d, _ in loaded for o in d["organizations"]}
    assert {"commune", "departement", "region", "metropole", "communaute-urbaine", "communaute-agglomeration",
            "communaute-communes", "syndicat", "gip", "etablissement-public", "state", "company",
            "association"} <= kinds
    stances = {s.strip() for d, _ in loaded for r in d["requests"] if r.get("answer")
               for s in r["answer"]["stance"].split(",")}
    assert stances == {"accepted", "planned", "under study", "declined", "alternative offered"}
    assert any(r["answer"] is None for d, _ in loaded for r in d["requests"]), "a request left unanswered"
    checks = {c["check"]["kind"] for d, _ in loaded for c in d["must_not"]}
    assert checks == {"org_at_meeting", "venue", "code_on", "meeting_date", "request_topic",
                      "meeting_in_period", "separate_person"}
