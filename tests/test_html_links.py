"""Only http(s) IRIs become links in the HTML pages: a javascript:, data: (or any other
scheme's) IRI that comes out of a query result or out of the graph is shown as text.
The app in-process (test client) on a real store holding such IRIs."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from publik_kg.api import create_app
from publik_kg.api.config import Config
from publik_kg.store import OxigraphStore

from conftest import BASE

HOSTILE = ["javascript:alert(1)", "JavaScript:alert(document.domain)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
           "vbscript:msgbox(1)", "file:///etc/passwd", "urn:x:not-a-page"]
LINKED = ["http://example.org/kept", "https://example.org/kept"]
ENTITY = BASE + "id/org/hostile"
# An organization raising a request and a meeting whose IRIs are javascript: ones, for the
# matrix ("qui veut quoi") and the home page's latest meeting.
PAGES_DATA = """
<urn:x:request> <https://w3id.org/publik-kg/ontology#topic> <https://w3id.org/publik-kg/topic/x> ;
  <https://w3id.org/publik-kg/ontology#raisedBy> <javascript:alert(2)> .
<javascript:alert(2)> a <https://w3id.org/publik-kg/ontology#Organization> ;
  <http://www.w3.org/2004/02/skos/core#prefLabel> "Evil org"@fr .
<https://w3id.org/publik-kg/topic/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "Topic x"@fr .
<javascript:alert(3)> a <https://w3id.org/publik-kg/ontology#Meeting> ;
  <https://w3id.org/publik-kg/ontology#report> <urn:x:report> ;
  <https://w3id.org/publik-kg/ontology#date> "2999-01-01" ;
  <https://w3id.org/publik-kg/ontology#ordinal> 99 ;
  <http://www.w3.org/2000/01/rdf-schema#label> "Evil meeting" .
"""


class Links(HTMLParser):
    """Every href of a page, and the text of the page."""

    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.hrefs += [v for k, v in attrs if k == "href" and v is not None]

    def handle_data(self, data):
        self.text.append(data)


def is_safe_href(href: str) -> bool:
    """A link of ours (a path, a query, a fragment) or to an http(s) IRI."""
    return href.startswith(("/", "?", "#")) and not href.startswith("//") \
        or href.lower().startswith(("http://", "https://"))


@pytest.fixture(scope="module")
def client():
    store = OxigraphStore()
    graph = BASE + "graph/loaded/hostile"
    objects = " ".join(f"<{ENTITY}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{iri}> ." for iri in HOSTILE + LINKED)
    sources = " ".join(f"<{ENTITY}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{iri}> ." for iri in HOSTILE[:3])
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <{ENTITY}> a <https://w3id.org/publik-kg/ontology#Organization> ; "
                 f"<http://www.w3.org/2004/02/skos/core#prefLabel> \"Hostile\"@fr . {objects} {sources} {PAGES_DATA} }} }}")
    app = create_app(Config.from_env(env={}, workers=0), store, BASE)
    return app.test_client()


def values_query(iris: list[str]) -> str:
    """A SELECT whose result is the given IRIs, each made by IRI() in a BIND."""
    return "SELECT ?x WHERE { " + " UNION ".join(f'{{ BIND(IRI("{i}") AS ?x) }}' for i in iris) + " }"


def test_query_page_links_only_http_iris(client):
    r = client.get("/pages/requete", query_string={"query": values_query(HOSTILE + LINKED)})
    assert r.status_code == 200
    page = Links(r.get_data(as_text=True))
    bad = [h for h in page.hrefs if not is_safe_href(h)]
    assert bad == []
    assert set(LINKED) <= set(page.hrefs)                   # http(s) results still are links
    shown = "".join(page.text)
    assert all(iri in shown for iri in HOSTILE)             # the others are shown, as text


def test_query_page_single_javascript_iri(client):
    """The query of the issue: one javascript: IRI from BIND(IRI(...)), and a data: one."""
    for iri in ("javascript:alert(1)", "data:text/html,hello"):
        r = client.get("/pages/requete", query_string={"query": f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}'})
        page = Links(r.get_data(as_text=True))
        assert r.status_code == 200 and iri in "".join(page.text)
        assert not any(h.lower().startswith(("javascript:", "data:")) for h in page.hrefs), page.hrefs


def test_entity_page_links_only_http_iris(client):
    """Values and provenance sources of an entity page, read from the graph."""
    r = client.get("/id/org/hostile", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = Links(r.get_data(as_text=True))
    assert [h for h in page.hrefs if not is_safe_href(h)] == []
    assert set(LINKED) <= set(page.hrefs)
    shown = "".join(page.text)
    assert all(iri in shown for iri in HOSTILE)


@pytest.mark.parametrize("path,text", [("/", "Evil meeting"), ("/pages/qui-veut-quoi", "Evil org")])
def test_pages_link_only_http_iris(client, path, text):
    """The home page's latest meeting and the matrix's organizations, when their IRIs are
    javascript: ones."""
    r = client.get(path)
    page = Links(r.get_data(as_text=True))
    assert r.status_code == 200 and text in "".join(page.text)
    assert [h for h in page.hrefs if not is_safe_href(h)] == []


def test_safe_href_predicate_is_strict():
    """The test's own notion of a safe link refuses what a browser would run or leave for."""
    assert not any(is_safe_href(h) for h in HOSTILE + ["//evil.example/x", " javascript:alert(1)"])
    assert all(is_safe_href(h) for h in LINKED + ["/id/org/x", "?format=ttl"])
