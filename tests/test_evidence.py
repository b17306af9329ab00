"""Every fact the stages read keeps its evidence (graph/evidence.py): stored in the report's
provenance graph as a club:Evidence statement (line, quote, stage, rule, prior confidence)
and listed by `publik-kg ingest --explain`. The report is ours."""
from __future__ import annotations

import pytest

from conftest import Q, make_dataset
from publik_kg.cli import main

REPORT = ("# 5e réunion du club\n\nLa cinquième réunion du Club des utilisateurs Publik s'est tenue le jeudi 6 mars 2025 "
          "à Lorient.\n\n## Nouveautés\n\nPrésentation par Entr'ouvert, Hélène Garnier.\n\n"
          "Lors des échanges, plusieurs participants ont plébiscité l'idée d'un annuaire partagé des connecteurs. "
          "Entr'ouvert mettra à disposition une page du wiki.\n")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("evidence") / "2025-03-06-club.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_evidence_is_stored_as_provenance(report):
    q = Q(make_dataset([report]))
    rows = {(str(stage), str(rule), int(line), str(p)) for stage, rule, line, p in q.rows(
        "SELECT ?stage ?rule ?line ?p WHERE { GRAPH ?g { ?e a club:Evidence ; club:stage ?stage ; club:rule ?rule ; "
        "club:startLine ?line ; rdf:predicate ?p ; club:confidence ?c ; club:quote ?q } "
        "FILTER(STRENDS(STR(?g), '/provenance/2025-03-06-club')) }")}
    club = "https://w3id.org/publik-kg/ontology#"
    assert ("people", "model+pattern", 7, club + "affiliation") in rows
    assert ("asks", "verb", 9, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") in rows
    assert ("answers", "commitment", 9, club + "response") in rows
    # each evidence names a statement the facts graph holds
    assert q.ask("ASK WHERE { ?e a club:Evidence ; rdf:subject ?s ; rdf:predicate club:affiliation ; rdf:object ?o . "
                 "?s foaf:name 'Hélène Garnier' ; club:affiliation ?o }")


def test_ingest_explain_lists_each_fact_with_its_evidence(report, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PUBLIK_KG_DATA_DIR", str(tmp_path / "data"))
    assert main(["ingest", "--explain", str(report)]) == 0
    out = capsys.readouterr().out
    assert "people/model+pattern 0.95  affiliation: Hélène Garnier — Entr'ouvert" in out
    assert "line    9  answers/commitment" in out
