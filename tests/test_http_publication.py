"""The publication over HTTP: /catalog (conneg), /.well-known/void, /context.jsonld, /dumps/…
with ETags (SHA-256 of the file), conditional requests and gzip."""
from __future__ import annotations

import gzip
import hashlib

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from publik_kg.api import create_app
from publik_kg.api.config import Config


@pytest.fixture(scope="module")
def client(seed_ds):
    config = Config.from_env(env={}, workers=0, base_uri="https://club.example.org/kg/")
    return create_app(config, seed_ds.store, seed_ds.iris.base).test_client()


def test_catalog_by_content_negotiation(client):
    ttl = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.mimetype == "text/turtle"
    g = Graph().parse(data=ttl.data, format="turtle")
    (service,) = g.subjects(RDF.type, DCAT.DataService)
    assert str(g.value(service, DCAT.endpointURL)) == "https://club.example.org/kg/sparql"
    jsonld = client.get("/catalog", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json" and jsonld.json["@context"] == "https://club.example.org/kg/context.jsonld"
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/catalog.ttl").data == ttl.data


def test_void_and_context(client):
    void = client.get("/.well-known/void")
    assert void.mimetype == "text/turtle" and b"void:sparqlEndpoint" in void.data
    assert "club" in client.get("/context.jsonld").json["@context"]


def test_dumps_with_etag_and_gzip(client):
    listing = client.get("/dumps/").json
    entry = next(e for e in listing if e["file"] == "publik-kg.ttl")
    plain = client.get("/dumps/publik-kg.ttl")
    assert plain.status_code == 200 and plain.mimetype == "text/turtle" and "Content-Encoding" not in plain.headers
    assert hashlib.sha256(plain.data).hexdigest() == entry["sha256"] and len(plain.data) == entry["bytes"]
    assert plain.headers["ETag"].strip('"') == entry["sha256"]
    again = client.get("/dumps/publik-kg.ttl", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    zipped = client.get("/dumps/publik-kg.ttl", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    csv = client.get("/dumps/requests.csv")
    assert csv.mimetype == "text/csv" and csv.data.startswith(b"request,kind,meeting")


@pytest.mark.parametrize("path", ["/dumps/nope.ttl", "/dumps/..%2Fcatalog.ttl", "/dumps/.hidden"])
def test_unknown_files_are_404_problems(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
