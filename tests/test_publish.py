"""The open-data publication (`publik-kg export --out`): deterministic dumps, CSV tables that
map back to the graph's triples through their CSVW metadata, a DCAT-AP catalogue that the
official shapes accept and that harvesters can rely on, VoID, and atomic writing."""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import csvw
import pyshacl
import pytest
import uritemplate
from conftest import BASE, make_dataset, seed_path
from rdflib import Dataset as RdfDataset
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from publik_kg import dumps
from publik_kg.publish import PublishError, publish

OWN = Path(__file__).parent / "data" / "reports"
REPORTS = [seed_path(), *sorted(OWN.iterdir())]
SHAPES = Path(__file__).parent / "vendor-shapes"
URL = "https://data.example.org/club-publik/"
SPDX = Namespace("http://spdx.org/rdf/terms#")
CLUB = "https://w3id.org/publik-kg/ontology#"


@pytest.fixture(scope="module")
def ds():
    return make_dataset(REPORTS)


@pytest.fixture(scope="module")
def pub(ds, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "publication"
    publish(ds, out, URL)
    return out


def catalog(pub: Path) -> Graph:
    return Graph().parse(pub / "catalog.ttl")


def test_the_publication_lists_every_file_with_its_checksum(pub):
    files = {p.relative_to(pub).as_posix() for p in pub.rglob("*") if p.is_file()}
    sums = dict(reversed(line.split("  ", 1)) for line in (pub / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == files - {"SHA256SUMS"}
    for rel, digest in sums.items():
        assert hashlib.sha256((pub / rel).read_bytes()).hexdigest() == digest
    for name in ("publik-kg.nq", "publik-kg.trig", "publik-kg.ttl", "publik-kg.nt", "publik-kg.jsonld",
                 "meetings.csv", "organizations.csv", "requests.csv", "evolutions.csv", "tools-in-use.csv"):
        assert f"dumps/{name}" in files and f"dumps/{name}.gz" in files
        assert gzip.decompress((pub / "dumps" / f"{name}.gz").read_bytes()) == (pub / "dumps" / name).read_bytes()


def test_dumps_hold_the_store(ds, pub):
    d = RdfDataset()
    d.parse(pub / "dumps" / "publik-kg.trig", format="trig")
    nq = RdfDataset()
    nq.parse(pub / "dumps" / "publik-kg.nq", format="nquads")
    trig_quads, nq_quads = set(d.quads((None, None, None, None))), set(nq.quads((None, None, None, None)))
    assert trig_quads == nq_quads and len(nq_quads) == len(ds.store.ox)
    assert {str(g) for *_, g in nq_quads} == set(ds.store.graph_names())
    quads = {(str(q.subject), str(q.predicate), str(q.object)) for q in ds.store.ox}   # N-Triples forms
    union = Graph().parse(pub / "dumps" / "publik-kg.nt", format="nt")
    assert len(union) == len(quads)
    assert isomorphic(Graph().parse(pub / "dumps" / "publik-kg.ttl"), union)
    doc = json.loads((pub / "dumps" / "publik-kg.jsonld").read_text())
    assert doc["@context"] == URL + "context.jsonld"
    doc["@context"] = json.loads((pub / "context.jsonld").read_text())["@context"]   # as a client fetches it
    assert isomorphic(Graph().parse(data=json.dumps(doc), format="json-ld"), union)


def test_same_store_gives_byte_identical_files_in_another_process(pub, tmp_path):
    """The N-Quads dump, loaded into a fresh store by another process with another hash seed,
    publishes exactly the same bytes."""
    script = ("import sys; from pathlib import Path; from publik_kg.store import OxigraphStore; "
              "from publik_kg.dataset import Dataset; from publik_kg.publish import publish; import pyoxigraph as ox; "
              "st = OxigraphStore(); st.ox.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); "
              f"publish(Dataset(st, {BASE!r}), Path(sys.argv[2]), {URL!r})")
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-c", script, str(pub / "dumps" / "publik-kg.nq"), str(again)], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "4242"})
    for f in pub.rglob("*"):
        if f.is_file():
            assert (again / f.relative_to(pub)).read_bytes() == f.read_bytes(), f


def test_catalogue_passes_the_official_dcat_ap_shapes(pub):
    data = catalog(pub)
    mandatory = Graph().parse(SHAPES / "shapes.ttl")
    conforms, report, text = pyshacl.validate(data, shacl_graph=mandatory, inference="none")
    assert conforms, text
    recommended = Graph().parse(SHAPES / "shapes_recommended.ttl")
    _, report, _ = pyshacl.validate(data, shacl_graph=recommended, inference="none", allow_warnings=True)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    warnings = list(report.subjects(sh.resultSeverity, sh.Warning))
    print(f"DCAT-AP 3.0.1 recommended properties: {len(warnings)} warning(s)")
    assert not list(report.subjects(sh.resultSeverity, sh.Violation))


def test_what_harvesters_need_is_there(pub):
    """data.gouv.fr skips a dataset without a literal dct:identifier or a dct:title and drops a
    distribution without dcat:downloadURL / dcat:accessURL."""
    g = catalog(pub)
    (dataset,) = g.subjects(RDF.type, DCAT.Dataset)
    assert isinstance(g.value(dataset, DCTERMS.identifier), Literal) and g.value(dataset, DCTERMS.title)
    assert g.value(dataset, DCTERMS.license) == URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    period = g.value(dataset, DCTERMS.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == ("2016-06-14", "2021-12-02")
    dists = list(g.objects(dataset, DCAT.distribution))
    assert len(dists) == len((pub / "SHA256SUMS").read_text().splitlines()) - 4   # catalogue ×2, VoID, context
    for d in dists:
        url = g.value(d, DCAT.downloadURL)
        assert url == g.value(d, DCAT.accessURL) and str(url).startswith(URL + "dumps/")
        local = pub / str(url)[len(URL):]
        assert int(g.value(d, DCAT.byteSize)) == local.stat().st_size
        assert str(g.value(g.value(d, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(local.read_bytes()).hexdigest()
    (service,) = g.subjects(RDF.type, DCAT.DataService)
    assert g.value(service, DCAT.endpointURL) == URIRef(URL + "sparql")
    assert (service, DCAT.servesDataset, dataset) in g


def test_dataset_and_distribution_iris_stay_stable_as_the_graph_grows(tmp_path):
    """ckanext-dcat deletes what vanishes from a later harvest: two exports of a grown graph
    keep the dataset's IRI and identifier, and every distribution IRI."""
    ds = make_dataset(REPORTS[:2])
    publish(ds, tmp_path / "first", URL)
    ds.ingest([__import__("publik_kg.reading", fromlist=["read_report"]).read_report(p) for p in REPORTS[2:]],
              on_error=pytest.fail)
    publish(ds, tmp_path / "second", URL)
    a, b = catalog(tmp_path / "first"), catalog(tmp_path / "second")
    (da,), (db,) = a.subjects(RDF.type, DCAT.Dataset), b.subjects(RDF.type, DCAT.Dataset)
    assert da == db and a.value(da, DCTERMS.identifier) == b.value(db, DCTERMS.identifier)
    assert set(a.objects(da, DCAT.distribution)) == set(b.objects(db, DCAT.distribution))
    assert a.value(da, DCAT.byteSize) is None and a != b        # the content did change


def test_void_counts_the_union_graph(ds, pub):
    v = Graph().parse(pub / "void.ttl")
    (dataset,) = v.subjects(RDF.type, VOID.Dataset, unique=True) if False else [URIRef(BASE + "id/dataset")]
    union = Graph().parse(pub / "dumps" / "publik-kg.nt", format="nt")
    prov = {str(g) for g in ds.store.graph_names() if "/graph/provenance/" in g}
    assert int(v.value(dataset, VOID.triples)) < len(union)              # provenance graphs are not counted
    subsets = {str(v.value(s, URIRef("http://www.w3.org/ns/sparql-service-description#name")))
               for s in v.objects(dataset, VOID.subset)}
    assert subsets == set(ds.store.graph_names()) and prov <= subsets
    meetings = [p for p in v.objects(dataset, VOID.classPartition) if v.value(p, VOID["class"]) == URIRef(CLUB + "Meeting")]
    assert int(v.value(meetings[0], VOID.entities)) == 7        # six reports + the June 2019 placeholder
    assert v.value(dataset, VOID.sparqlEndpoint) == URIRef(URL + "sparql")


# -- CSV + CSVW --------------------------------------------------------------------------

def _tables(pub: Path) -> list[Path]:
    return sorted((pub / "dumps").glob("*.csv-metadata.json"))


def test_every_csv_parses_and_matches_its_csvw_metadata(pub):
    assert len(_tables(pub)) == 9
    for meta in _tables(pub):
        tg = csvw.CSVW(str(meta), validate=True)
        assert tg.is_valid, (meta.name, [str(w.message) for w in tg.warnings])
        (table,) = tg.tables
        rows = list(table.iterdicts(strict=True))
        header = next(csv.reader((pub / "dumps" / table.url.string).open(encoding="utf-8")))
        assert header == [c.name for c in table.tableSchema.columns]
        assert rows, meta.name


def csvw_triples(meta_path: Path) -> set:
    """CSVW minimal-mode RDF of one table (W3C "Generating RDF from Tabular Data on the Web":
    aboutUrl / propertyUrl / valueUrl templates, datatypes, languages, null cells)."""
    meta = json.loads(meta_path.read_text())
    schema = meta["tableSchema"]
    out = set()
    with (meta_path.parent / meta["url"]).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            values = {k: v for k, v in row.items() if v != ""}
            for col in schema["columns"]:
                cell = row[col["name"]]
                if col.get("suppressOutput") or cell == "":
                    continue
                s = URIRef(uritemplate.expand(col.get("aboutUrl", schema["aboutUrl"]), values))
                p = URIRef(uritemplate.expand(col["propertyUrl"], values))
                if "valueUrl" in col:
                    o = URIRef(uritemplate.expand(col["valueUrl"], values))
                elif col["datatype"] == "integer":
                    o = Literal(int(cell), datatype=XSD.integer)
                else:
                    o = Literal(cell, lang=col.get("lang"))
                out.add((s, p, o))
    return out


def test_the_requests_tables_map_back_to_the_same_triples_as_the_graph(ds, pub):
    got = set()
    for name in ("requests", "request-raisers", "request-topics", "response-stances"):
        got |= csvw_triples(pub / "dumps" / f"{name}.csv-metadata.json")
    rows = list(csv.DictReader((pub / "dumps" / "requests.csv").open(encoding="utf-8")))
    described = {URIRef(r[k]) for r in rows for k in ("request", "response") if r[k]}
    got = {t for t in got if t[0] in described}      # the link tables also list planned evolutions
    expected = set(ds.store.query("""
        PREFIX club: <https://w3id.org/publik-kg/ontology#>
        CONSTRUCT { ?r a ?kind ; ?p ?o . ?resp club:text ?answer ; club:stance ?stance }
        WHERE {
          ?r a ?kind VALUES ?kind { club:FeatureRequest club:SharingOffer }
          { ?r ?p ?o VALUES ?p { club:meeting club:text club:response club:raisedBy club:topic } }
          UNION { ?r club:response ?resp . ?resp club:text ?answer OPTIONAL { ?resp club:stance ?stance } }
        }""").triples)
    assert got == expected
    assert len({t[0] for t in got if t[1] == RDF.type}) == len(rows) > 20


def test_tables_keep_official_codes_and_use_of_tools(pub):
    rows = {r["organization"]: r for r in csv.DictReader((pub / "dumps" / "organizations.csv").open(encoding="utf-8"))}
    capi = rows[BASE + "id/org/epci-243800604"]
    assert (capi["kind"], capi["siren"], capi["meetings"]) == ("CommunauteAgglomeration", "243800604", "1")
    villeurbanne = rows[BASE + "id/org/commune-69266"]
    assert (villeurbanne["inseeCode"], villeurbanne["epci"], villeurbanne["meetings"]) == (
        "69266", BASE + "id/org/epci-200046977", "5")
    tools = {(r["organizationName"], r["relation"], r["toolName"])
             for r in csv.DictReader((pub / "dumps" / "tools-in-use.csv").open(encoding="utf-8"))}
    assert ("CA Porte de l'Isère (CAPI)", "evaluates", "Publik") in tools


# -- writing ------------------------------------------------------------------------------

def test_a_failed_export_leaves_the_previous_publication_untouched(ds, tmp_path, monkeypatch):
    out = tmp_path / "publication"
    publish(ds, out, URL)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def disk_full(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(dumps, "trig", disk_full)
    with pytest.raises(PublishError, match="No space left"):
        publish(ds, out, URL + "v2/")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["publication"]       # no temporary left behind


def test_export_command(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "PUBLIK_KG_DATA_DIR": str(data)}
    cli = [sys.executable, "-m", "publik_kg.cli"]
    subprocess.run(cli + ["ingest", str(seed_path())], env=env, check=True, capture_output=True)
    done = subprocess.run(cli + ["export", "--out", str(tmp_path / "pub"), "--base-url", URL], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "catalogue: " + URL + "catalog.ttl" in done.stderr
    assert (tmp_path / "pub" / "catalog.ttl").exists()
    bad = subprocess.run(cli + ["export", "--out", str(tmp_path / "pub2")], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "--base-url" in bad.stderr and not (tmp_path / "pub2").exists()
