"""Fixture ladder: bundled seed report → in-memory dataset → query helpers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from publik_kg.cli import bundled_corpus
from publik_kg.dataset import Dataset
from publik_kg.reading import read_report
from publik_kg.store import OxigraphStore
from publik_kg.validation import validate

HERE = Path(__file__).parent
BASE = "http://127.0.0.1:8000/"
PREFIXES = """
PREFIX club: <https://w3id.org/publik-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def seed_path() -> Path:
    return next(p for p in bundled_corpus() if "8eme" in p.name)


def make_dataset(paths: list[Path], store=None) -> Dataset:
    ds = Dataset(store or OxigraphStore(), BASE)
    errors = []
    ds.ingest([read_report(p) for p in paths], on_error=errors.append)
    assert not errors, errors
    return ds


def shacl(store):
    """The SHACL report of everything a store holds (asserted and inferred, all graphs)."""
    union = Graph()
    for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples:
        union.add(t)
    return validate(union)


class Q:
    """SPARQL helper over a dataset (bindings are typed terms)."""

    def __init__(self, ds: Dataset):
        self.ds = ds

    def rows(self, body: str, **bindings):
        return self.ds.store.query(PREFIXES + body, bindings or None).rows

    def ask(self, body: str, **bindings) -> bool:
        return self.ds.store.query(PREFIXES + body, bindings or None).boolean

    def values(self, body: str, **bindings) -> set[str]:
        return {str(r[0]) for r in self.rows(body, **bindings)}


@pytest.fixture(scope="session")
def seed_ds() -> Dataset:
    return make_dataset([seed_path()])


@pytest.fixture(scope="session")
def q(seed_ds) -> Q:
    return Q(seed_ds)


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((HERE / "data" / "gold" / "2019-12-04-club-publik-8eme-reunion.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def asserted_graph(seed_ds) -> Graph:
    g = Graph()
    for t in seed_ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                 default_graphs=seed_ds.asserted_graphs()).triples:
        g.add(t)
    return g


FIGURES: dict[str, str] = {}       # reliability figures of this run (fuzz cases, kills survived)


def pytest_terminal_summary(terminalreporter, config):
    """The reliability figures the run measured (docs/RELIABILITY.md)."""
    for name, text in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {text}")
