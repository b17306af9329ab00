"""The web UI in a real headless browser (Debian's chromium driven by Playwright):
open each page, run a query from the query page and read the table, follow a link from
the "qui veut quoi" matrix to the requests behind it. Screenshots go to test-artifacts/."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from publik_kg.cli import main
from server import Server

from conftest import seed_path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
if not CHROMIUM and not os.environ.get("PUBLIK_KG_REQUIRE_BROWSER"):
    pytest.skip("no chromium on this machine (.ci/run installs it)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")
XSS = '<script>window.__pwned = 1</script><img src=x onerror=\\"window.__pwned = 2\\">'
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("ui") / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    hostile = d.parent / "hostile.ttl"                        # a label that is markup
    hostile.write_text('<http://127.0.0.1:8000/id/org/hostile> a <https://w3id.org/publik-kg/ontology#Organization> ;\n'
                       f'  <http://www.w3.org/2004/02/skos/core#prefLabel> "{XSS}"@fr .\n', encoding="utf-8")
    assert main(["load", "--data-dir", str(d), str(hostile)]) == 0
    s = Server(d)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def page(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page()
        yield pg
        browser.close()


@pytest.mark.parametrize("path,text", [
    ("/", "Club des utilisateurs Publik"), ("/pages/reunions", "Musée de la Cour d'Or"),
    ("/pages/organisations", "Métropole du Grand Nancy"), ("/pages/outils", "Tracim"),
    ("/pages/demandes", "Payfip"), ("/queries", "organizations"), ("/ontology", "Meeting"),
])
def test_pages_open(server, page, path, text):
    page.goto(server.url + path)
    assert text in page.content()
    page.screenshot(path=str(ARTIFACTS / f"page{path.replace('/', '_') or '_home'}.png"), full_page=True)


def test_query_page_runs_a_query(server, page):
    page.goto(server.url + "/pages/requete")
    page.fill("#query", "SELECT ?name WHERE { ?o <https://w3id.org/publik-kg/ontology#inseeCode> \"57463\" ; "
                        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name }")
    page.click("#run")
    page.wait_for_selector("#results")
    cells = page.locator("#results tbody td").all_inner_texts()
    assert cells == ["Metz"]
    page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)


def test_matrix_links_to_requests(server, page):
    page.goto(server.url + "/pages/qui-veut-quoi")
    row = page.locator("#matrix tbody tr", has_text="signature")
    link = row.locator("a.cell").first
    link.click()
    page.wait_for_selector("#results")
    texts = page.locator("#results tbody").inner_text()
    assert "parapheur" in texts or "signature" in texts
    req = page.locator("#results tbody a[href*='/request/']").first
    req.click()
    page.wait_for_selector("#properties")
    assert "Source" in page.content()
    page.screenshot(path=str(ARTIFACTS / "matrix-to-request.png"), full_page=True)


def test_markup_from_the_graph_renders_as_text(server, page):
    """A label holding <script> and an onerror handler is shown as text and never runs."""
    page.goto(server.url + "/id/org/hostile")
    assert page.evaluate("window.__pwned") is None
    assert '<script>window.__pwned = 1</script>' in page.inner_text("body")
    page.goto(server.url + "/pages/requete?query=" + __import__("urllib.parse").parse.quote(
        "SELECT ?l WHERE { <http://127.0.0.1:8000/id/org/hostile> ?p ?l }"))
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None


def test_query_page_links_only_http_iris(server, page):
    """javascript: and data: IRIs of a query result are shown as text, never as links; an
    http(s) IRI still is a link. Checked on the protocol of every link the browser resolved."""
    from urllib.parse import quote
    query = ('SELECT ?x WHERE { { BIND(IRI("javascript:window.__pwned=3") AS ?x) } UNION '
             '{ BIND(IRI("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==") AS ?x) } UNION '
             '{ BIND(IRI("https://example.org/kept") AS ?x) } }')
    page.goto(server.url + "/pages/requete?query=" + quote(query))
    page.wait_for_selector("#results")
    cells = page.locator("#results tbody td").all_inner_texts()
    assert any(c.startswith("javascript:") for c in cells) and any(c.startswith("data:") for c in cells)
    protocols = page.eval_on_selector_all("a[href]", "links => links.map(a => a.protocol)")
    assert protocols and set(protocols) <= {"http:", "https:"}, protocols
    assert page.locator("#results a[href='https://example.org/kept']").count() == 1
    page.locator("#results td", has_text="javascript:").click()      # clicking the text runs nothing
    assert page.evaluate("window.__pwned") is None


def test_cross_origin_fetch_with_authorization(server, page):
    """A page of another origin (a plain server on another loopback port) fetch()es the API
    with an Authorization header: Chromium sends a preflight, accepts the answer, may read
    ETag and Link, and reuses the preflight (Access-Control-Max-Age) for the next request."""
    import http.server
    import threading

    class Blank(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><title>other origin</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    log = Path(server.log.name)
    before = log.read_text().count("OPTIONS /sparql 204")
    try:
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/")
        script = """async ([url, query]) => {
            const out = [];
            for (let i = 0; i < 2; i++) {
                const r = await fetch(url + "/sparql", {method: "POST", body: query, headers: {
                    "Authorization": "Bearer not-a-token", "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json"}});
                out.push({status: r.status, n: (await r.json()).results.bindings[0].n.value});
            }
            const e = await fetch(url + "/id/org/commune-57463", {headers: {"Accept": "text/turtle",
                                                                            "Authorization": "Bearer x"}});
            out.push({status: e.status, etag: e.headers.get("ETag"), link: e.headers.get("Link")});
            return out;
        }"""
        q = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }"
        first, second, entity = page.evaluate(script, [server.url, q])
    finally:
        other.shutdown()
        other.server_close()
    assert first == second == {"status": 200, "n": "2"}
    assert entity["status"] == 200 and entity["etag"] and 'rel="describedby"' in entity["link"]
    assert log.read_text().count("OPTIONS /sparql 204") - before == 1     # one preflight, then cached
