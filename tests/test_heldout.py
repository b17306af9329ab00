"""The held-out reports (tests/data/heldout/) are well-formed annotated reports.

They were written and annotated blind, after the extraction was tuned on the variants, to
measure how it generalises; this file checks the annotations only, never the extractor.
Each annotation passes the same checks as the variants' (tests/test_variants.py, reused
as is): it loads with ``publik-kg evaluate``'s loader, its codes exist in the COG with that
kind of body and official name, and what it looks for is in its text. On top of that: the
set covers the layouts and kinds of meeting HELDOUT.md promises, every report carries at
least four must_not checks, no must_not contradicts the report's own annotation, and no
long line was copied from the reports the extraction was developed on.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from publik_kg.evaluation import load_annotation
from test_variants import COG, ROOT, folded
from test_variants import test_loads_with_the_evaluation_loader as check_loads
from test_variants import test_official_codes_exist_with_that_kind_of_body as check_codes
from test_variants import test_what_is_looked_for_is_in_the_text as check_quoted

HELDOUT = ROOT / "tests" / "data" / "heldout"
ANNOTATIONS = sorted(HELDOUT.glob("*.json"))
REPORTS = sorted(p for p in HELDOUT.iterdir() if p.suffix in (".md", ".txt") and p.name != "HELDOUT.md")


def annotation(path: Path) -> tuple[dict, str]:
    data, report = load_annotation(path)
    return data, report.read_text(encoding="utf-8")


def test_each_report_has_its_annotation_and_its_row():
    assert len(REPORTS) >= 10
    assert {p.stem for p in REPORTS} == {p.stem for p in ANNOTATIONS}, "each report has a .json"
    names = {p.name for p in REPORTS}
    for p in ANNOTATIONS:
        report = json.loads(p.read_text(encoding="utf-8"))["report"]
        assert report in names and Path(report).stem == p.stem, p.name
    table = (HELDOUT / "HELDOUT.md").read_text(encoding="utf-8")
    for p in REPORTS:
        assert f"`{p.stem}`" in table, f"{p.stem} is not described in HELDOUT.md"


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_passes_the_variants_checks(path):
    check_loads(path)
    check_codes(path)
    check_quoted(path)


def test_the_set_covers_what_heldout_md_promises():
    loaded = [annotation(p) for p in ANNOTATIONS]
    meetings = [d["meeting"] for d, _ in loaded]
    texts = [t for _, t in loaded]
    plain = [t for p, (_, t) in zip(ANNOTATIONS, loaded) if p.with_suffix(".txt").exists()]
    markdown = re.compile(r"^(#{1,6} |\s*[-*+] |\s*\d+\. |\|)|\*\*|^h\d\. ", re.M)
    assert sum(not markdown.search(t) for t in plain) >= 2, "plain-text minutes with no Markdown at all"
    assert any("|_. Collectivité |_. Participants |" in t for t in texts), "a Textile wiki table"
    assert any(m["online"] is True and m["end_date"] is None for m in meetings), "a one-afternoon webinar"
    assert any(m["end_date"] and m["end_date"][:7] != m["date"][:7] for m in meetings), "two days across a month"
    assert any(m["rank"] is None for m in meetings) and sum(m["rank"] is not None for m in meetings) >= 5
    vendors = {m["vendor"] for m in meetings}
    assert {"EO", "l'éditeur"} <= vendors, "a vendor named only 'EO', one only 'l'éditeur'"
    assert len(vendors - {"EO", "l'éditeur", "Entr'ouvert", None}) >= 1, "another product's community"
    kinds = {o["kind"] for d, _ in loaded for o in d["organizations"]}
    assert {"commune", "departement", "region", "metropole", "communaute-urbaine", "communaute-agglomeration",
            "communaute-communes", "syndicat", "gip", "etablissement-public", "state", "company"} <= kinds
    stances = {s.strip() for d, _ in loaded for r in d["requests"] if r.get("answer")
               for s in r["answer"]["stance"].split(",")}
    assert stances == {"accepted", "planned", "under study", "declined", "alternative offered"}


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_must_not_checks_do_not_contradict_the_annotation(path):
    data, _ = annotation(path)
    m, rules = data["meeting"], data["must_not"]
    assert len(rules) >= 4
    days = {m["date"], m["end_date"]} - {None}
    present = {folded(x) for o in data["organizations"] if o["role"] != "mentioned"
               for x in (o["label"], o["canonical_name"], *o.get("aliases", []))}
    codes = {o["label"]: o.get("insee") or o.get("siren") for o in data["organizations"]}
    for rule in rules:
        c = rule["check"]
        assert rule["what"] and rule["why"]
        if c["kind"] == "meeting_date":
            date.fromisoformat(c["date"])
            assert c["date"] not in days
        elif c["kind"] == "meeting_in_period":
            assert not any(c["from"] <= d[:7] <= c["to"] for d in days), c
        elif c["kind"] == "venue":
            assert folded(c["label"]) not in {folded(x) for x in (m["venue"], m["city"]) if x}
        elif c["kind"] == "org_at_meeting":
            assert not {folded(x) for x in c["labels"]} & present, c
        elif c["kind"] == "code_on":
            assert c["label"] in codes and codes[c["label"]] != c["code"], c
        elif c["kind"] == "separate_person":
            assert any(p["name"] == c["same_as"] for p in data["people"]), c
        elif c["kind"] == "request_topic":
            assert any(folded(c["fragment"]) in folded(r["text"]) for r in data["requests"]), c
        else:
            pytest.fail(f"unknown must_not check {c['kind']}")


@pytest.mark.parametrize("path", ANNOTATIONS, ids=lambda p: p.stem)
def test_dates_written_with_a_weekday_are_right(path):
    """Dates written with their weekday ('jeudi 20 juin') agree with the calendar of the
    meeting's year (or the next, for plans), and the meeting's day is written somewhere."""
    data, text = annotation(path)
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    days = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
    year = int(data["meeting"]["date"][:4])
    for wd, d, mo in re.findall(rf"({'|'.join(days)})\s+(\d{{1,2}})(?:er)?\s+({'|'.join(months)})", text, re.I):
        mo_n = months.index(mo.lower()) + 1
        ok = any(days[date(y, mo_n, int(d)).weekday()] == wd.lower() for y in (year, year + 1))
        assert ok, f"{wd} {d} {mo} is no {wd} in {year} or {year + 1}"
    first = date.fromisoformat(data["meeting"]["date"])
    written = re.search(rf"\b{first.day}(er)?\b[^.\n]{{0,30}}{months[first.month - 1]}", text, re.I)
    assert written or f"{first.day:02d}/{first.month:02d}" in text, "the meeting's day is written somewhere"


def test_no_line_is_copied_from_the_development_reports():
    seen = set()
    for folder in ("real", "variants", "reports"):
        for p in (ROOT / "tests" / "data" / folder).iterdir():
            if p.suffix in (".md", ".txt"):
                seen |= {folded(x).strip() for x in p.read_text(encoding="utf-8").splitlines() if len(x.strip()) >= 50}
    for p in REPORTS:
        for line in p.read_text(encoding="utf-8").splitlines():
            assert len(line.strip()) < 50 or folded(line).strip() not in seen, f"{p.name}: {line[:60]}"
