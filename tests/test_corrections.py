"""A maintainer's corrections file: applied on top of extraction, kept across re-ingests,
reported when it no longer matches."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, Q, make_dataset

from publik_kg import dataset as dataset_mod
from publik_kg.cli import main
from publik_kg.reading import read_report

REPORT = Path(__file__).parent / "data" / "reports" / "2021-12-02-club-publik-10e-reunion.txt"
CORRECTIONS = f"""
@prefix club: <https://w3id.org/publik-kg/ontology#> .
@prefix topic: <https://w3id.org/publik-kg/topics/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kg: <{BASE}id/> .

# the 44 communes' portal: the metropolis is also known by its old name
kg:org\\/epci-200039865 skos:altLabel "Communauté d'agglomération de Metz Métropole"@fr .

[] a club:Retraction ;
   rdf:subject kg:meeting\\/2021-12-02\\/request\\/{{request}} ;
   rdf:predicate club:topic ; rdf:object topic:cartographie ;
   rdfs:comment "voirie requests are about roads, not maps" .

[] a club:Retraction ;
   rdf:subject kg:org\\/commune-57463 ; rdf:predicate club:uses ; rdf:object <https://w3id.org/publik-kg/tools/tracim> .
"""


def _request_slug(ds) -> str:
    rows = Q(ds).rows("SELECT ?r WHERE { ?r club:topic <https://w3id.org/publik-kg/topics/cartographie> ; club:meeting ?m . ?m club:date ?d "
                      'FILTER(STR(?d) = "2021-12-02") }')
    assert len(rows) == 1
    return str(rows[0][0]).rsplit("/", 1)[1]


def _cartography(ds) -> bool:
    return Q(ds).ask("ASK WHERE { ?r club:topic <https://w3id.org/publik-kg/topics/cartographie> ; club:meeting ?m . ?m club:date ?d "
                     'FILTER(STR(?d) = "2021-12-02") }')


def test_corrections_apply_survive_reingest_and_report_what_no_longer_matches(monkeypatch):
    from rdflib import Graph
    ds = make_dataset([REPORT])
    text = CORRECTIONS.replace("{request}", _request_slug(ds))
    notes = ds.correct(Graph().parse(data=text, format="turtle"), "corrections.ttl")
    assert not _cartography(ds)
    assert Q(ds).ask('ASK WHERE { ?o club:siren "200039865" ; skos:altLabel '
                     '"Communauté d\'agglomération de Metz Métropole"@fr }')
    # Metz uses no Tracim in this report: that retraction matches nothing, and says so
    assert len(notes) == 1 and "tools/tracim" in notes[0]
    # a new extractor reads the report again: the corrections still hold
    monkeypatch.setattr(dataset_mod, "extractor_fingerprint", lambda: "next-version")
    out = ds.ingest([read_report(REPORT)], on_error=pytest.fail)
    assert out[0].status == "replaced"
    assert not _cartography(ds)
    assert Q(ds).ask('ASK WHERE { ?o skos:altLabel "Communauté d\'agglomération de Metz Métropole"@fr }')
    # dropping the retraction brings the extracted fact back
    ds.correct(Graph(), "empty.ttl")
    assert _cartography(ds)


def test_cli_correct_rejects_bad_files(tmp_path, capsys):
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(REPORT)]) == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["correct", "--data-dir", str(d), str(bad)]) != 0
    incomplete = tmp_path / "incomplete.ttl"
    incomplete.write_text("@prefix club: <https://w3id.org/publik-kg/ontology#> . [] a club:Retraction .",
                          encoding="utf-8")
    assert main(["correct", "--data-dir", str(d), str(incomplete)]) == 2
    assert "rdf:subject" in capsys.readouterr().err
    assert main(["correct", "--data-dir", str(d), str(tmp_path / "missing.ttl")]) != 0
