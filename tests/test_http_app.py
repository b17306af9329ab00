"""The Flask app in-process (test client): named queries, linked data, pages, OpenAPI,
bad input. The app gets its store injected."""
from __future__ import annotations

import re

import pytest

from publik_kg.api import create_app
from publik_kg.api.config import Config
from publik_kg.api.openapi import document
from publik_kg.remote import RemoteConfig, RemoteStore
from publik_kg.transfer import copy_dataset
from server import OxigraphServer


@pytest.fixture(scope="module", params=["embedded", "remote"])
def client(request, seed_ds, tmp_path_factory):
    """The app on the embedded store, and on a real Oxigraph server holding the same data."""
    store = seed_ds.store
    if request.param == "remote":
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db")
        request.addfinalizer(server.stop)
        store = RemoteStore(RemoteConfig(server.query_url, server.update_url, server.gsp_url))
        copy_dataset(seed_ds.store, store, seed_ds.iris.base)
    app = create_app(Config.from_env(env={}, workers=0), store, seed_ds.iris.base)
    return app.test_client()


def test_openapi_matches_routes(client):
    app_paths = set()
    for rule in client.application.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        app_paths.add(re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule).replace("{rest}", "{path}"))
    assert app_paths == set(document()["paths"])
    assert client.get("/openapi.json").json["openapi"].startswith("3.")


def test_queries_catalogue_and_run(client):
    names = {q["name"] for q in client.get("/queries").json}
    assert "organizations" in names
    r = client.get("/queries/organizations?kind=club:Departement", headers={"Accept": "application/sparql-results+json"})
    assert len(r.json["results"]["bindings"]) == 4
    assert client.get("/queries/organizations?kind=%20bad").status_code == 400
    assert client.get("/queries/organizations?nope=1").status_code == 400
    assert client.get("/queries/nope").status_code == 404
    html = client.get("/queries/tools", headers={"Accept": "text/html"})
    assert html.content_type.startswith("text/html") and "Calvados" in html.get_data(as_text=True)


@pytest.mark.parametrize("suffix,accept,ctype", [
    ("", "text/turtle", "text/turtle"), ("", "application/ld+json", "application/ld+json"),
    (".nt", "*/*", "application/n-triples"), (".rdf", "*/*", "application/rdf+xml"),
    ("", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
])
def test_entity_dereferences(client, suffix, accept, ctype):
    r = client.get(f"/id/org/commune-57463{suffix}", headers={"Accept": accept})
    assert r.status_code == 200 and r.content_type.startswith(ctype)
    assert 'rel="describedby"' in r.headers["Link"] and r.headers["ETag"]


def test_entity_revalidation_and_404(client):
    r = client.get("/id/org/commune-57463", headers={"Accept": "text/turtle"})
    again = client.get("/id/org/commune-57463", headers={"Accept": "text/turtle", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/id/org/nowhere").status_code == 404


def test_entity_page_has_provenance_and_inbound_links(client):
    r = client.get("/id/org/commune-76540", headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert "Rouen" in page and 'id="incoming"' in page
    req = re.search(r'href="(/id/meeting/2019-12-04/request/mettre[^"]+)"', page).group(1)
    page = client.get(req, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert re.search(r"Source : .*lignes \d+–\d+", page)


def test_vocabularies(client):
    assert client.get("/ontology", headers={"Accept": "text/turtle"}).content_type.startswith("text/turtle")
    page = client.get("/topics", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="signature"' in page


@pytest.mark.parametrize("path", ["/", "/pages/reunions", "/pages/organisations", "/pages/outils", "/pages/demandes",
                                  "/pages/requete", "/pages/qui-veut-quoi"])
def test_pages_render_with_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.content_type.startswith("text/html")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"]


def test_bad_inputs_get_4xx(client):
    assert client.post("/sparql", data="ASK {}", content_type="application/sparql-query; charset=latin-1").status_code == 415
    assert client.delete("/sparql").status_code == 405
    assert client.get("/sparql", query_string={"query": "ASK {}", "format": "png"}).status_code == 406
    assert client.get("/pages/organisations?kind=bad").status_code == 400
    assert client.get("/nowhere/at/all").status_code == 404


def test_entity_last_modified(seed_ds, tmp_path):
    """An on-disk store knows when it last changed: Last-Modified and If-Modified-Since."""
    import pyoxigraph
    from publik_kg.store import OxigraphStore
    disk = OxigraphStore(tmp_path / "store")
    disk.ox.load(seed_ds.store.dump("nquads"), format=pyoxigraph.RdfFormat.N_QUADS)
    disk.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")   # a write sets the generation
    c = create_app(Config.from_env(env={}, workers=0), disk, seed_ds.iris.base).test_client()
    r = c.get("/id/org/commune-57463", headers={"Accept": "text/turtle"})
    assert r.headers["Last-Modified"].endswith("GMT")
    again = c.get("/id/org/commune-57463", headers={"Accept": "text/turtle", "If-Modified-Since": r.headers["Last-Modified"]})
    assert again.status_code == 304
    disk.close()
