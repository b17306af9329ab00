"""CORS: preflights on every route answer 204 with the origins, methods and headers a
browser needs (Authorization included), cached; every CORS response exposes the API's own
headers. In-process (test client, real store) for every route and configuration, and on a
real server for the response cache. The browser's view is in tests/test_browser.py."""
from __future__ import annotations

import re

import pytest
import requests

from publik_kg.api import create_app
from publik_kg.api.config import Config
from server import Server

from conftest import seed_path

ORIGIN = "https://client.example"
SAMPLE = {"name": "organizations", "rest": "org/commune-57463", "path": "publik-kg.ttl"}
NEEDED_EXPOSED = {"x-result-truncated", "etag", "link", "retry-after", "www-authenticate"}


def header_set(value: str | None) -> set[str]:
    return {h.strip().lower() for h in (value or "").split(",") if h.strip()}


def app_client(seed_ds, **config):
    cfg = Config.from_env(env={}, workers=0, max_rows=3, **config)
    return create_app(cfg, seed_ds.store, seed_ds.iris.base).test_client()


@pytest.fixture(scope="module")
def client(seed_ds):
    return app_client(seed_ds)


def routes(app) -> list[tuple[str, set[str]]]:
    """Every route of the app as a concrete path, with its methods."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:any\(([^,)]+)[^)]*\):\w+|(?:\w+:)?(\w+))>",
                      lambda m: m.group(1) or SAMPLE[m.group(2)], rule.rule)
        out.append((path, set(rule.methods)))
    return out


def preflight(client, path: str, method: str, origin: str = ORIGIN):
    return client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": "authorization, content-type"})


def test_preflight_on_every_route(client):
    found = routes(client.application)
    assert {"/sparql", "/reports", "/queries/organizations", "/id/org/commune-57463"} <= {p for p, _ in found}
    for path, methods in found:
        method = "POST" if "POST" in methods else "GET"
        r = preflight(client, path, method)
        assert r.status_code == 204, (path, r.status_code)
        assert r.get_data() == b""
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        allowed = header_set(r.headers["Access-Control-Allow-Methods"])
        assert allowed == {m.lower() for m in methods}, path
        assert {"authorization", "content-type", "accept"} <= header_set(r.headers["Access-Control-Allow-Headers"])
        assert int(r.headers["Access-Control-Max-Age"]) >= 600
        assert NEEDED_EXPOSED <= header_set(r.headers["Access-Control-Expose-Headers"])


def test_sparql_preflight_allows_post_with_authorization(client):
    r = preflight(client, "/sparql", "POST")
    assert {"get", "post"} <= header_set(r.headers["Access-Control-Allow-Methods"])
    assert "delete" not in header_set(r.headers["Access-Control-Allow-Methods"])
    assert "authorization" in header_set(r.headers["Access-Control-Allow-Headers"])


def test_options_on_an_unknown_path_is_404(client):
    assert preflight(client, "/no/such/route", "GET").status_code == 404


@pytest.mark.parametrize("name,send,header", [
    ("truncated SELECT", lambda c: c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                         headers={"Origin": ORIGIN, "Accept": "application/sparql-results+json"}),
     "X-Result-Truncated"),
    ("entity with ETag and Link", lambda c: c.get("/id/org/commune-57463",
                                                  headers={"Origin": ORIGIN, "Accept": "text/turtle"}), "ETag"),
    ("update without token", lambda c: c.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update",
                                              headers={"Origin": ORIGIN}), None),
    ("wrong method", lambda c: c.delete("/sparql", headers={"Origin": ORIGIN}), "Allow"),
    ("unknown path", lambda c: c.get("/nowhere", headers={"Origin": ORIGIN}), None),
])
def test_every_cors_response_exposes_the_api_headers(client, name, send, header):
    r = send(client)
    assert r.headers["Access-Control-Allow-Origin"] == "*", name
    exposed = header_set(r.headers["Access-Control-Expose-Headers"])
    assert NEEDED_EXPOSED <= exposed, name
    if header:                                   # the header is really sent, and exposed
        assert r.headers.get(header) and header.lower() in exposed, (name, dict(r.headers))


def test_listed_origins_are_echoed_others_get_nothing(seed_ds):
    c = app_client(seed_ds, cors_origins="https://a.example, https://b.example")
    for origin in ("https://a.example", "https://b.example"):
        r = preflight(c, "/sparql", "POST", origin)
        assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == origin
        assert "origin" in header_set(r.headers.get("Vary"))
    r = preflight(c, "/sparql", "POST", "https://evil.example")
    assert r.status_code == 204 and "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Headers" not in r.headers


def test_no_cors_when_disabled(seed_ds):
    c = app_client(seed_ds, cors_origins="")
    r = c.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": ORIGIN})
    assert r.status_code == 200 and not [h for h in r.headers.keys() if h.lower().startswith("access-control-")]


def test_cached_answers_keep_each_origin(tmp_path):
    """On a real server, with its response cache: a read cached for one listed origin is not
    served with that origin's header to another."""
    from publik_kg.cli import main
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    s = Server(d, {"PUBLIK_KG_CORS_ORIGINS": "https://a.example,https://b.example"})
    try:
        url, q = s.url + "/sparql", {"query": "ASK { ?s ?p ?o }"}
        for _ in range(2):
            for origin in ("https://a.example", "https://b.example", "https://evil.example"):
                r = requests.get(url, params=q, headers={"Origin": origin, "Accept": "application/sparql-results+json"})
                assert r.status_code == 200 and r.json()["boolean"] is True
                want = None if "evil" in origin else origin
                assert r.headers.get("Access-Control-Allow-Origin") == want, origin
        r = requests.options(url, headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "authorization"})
        assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "https://a.example"
    finally:
        s.stop()
