"""Property-based bad input (hypothesis): generated reports never crash ingest, which either
stores a valid graph (SHACL) or refuses with a clear error and leaves the store as it was;
generated HTTP requests never get a 5xx nor a stack trace; named-query parameters holding
SPARQL are values, never code. The number of cases tried is printed at the end of the run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BASE, FIGURES, make_dataset, shacl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from publik_kg import namedqueries
from publik_kg.api import create_app
from publik_kg.api.config import Config
from publik_kg.dataset import IngestError
from publik_kg.reading import ReadError, read_report

CASES: dict[str, int] = {}
EXAMPLES = int(os.environ.get("PUBLIK_KG_FUZZ_EXAMPLES", "120"))
OWN = Path(__file__).parent / "data" / "reports"

WORDS = ["réunion", "Club", "Publik", "Villeurbanne", "Métropole", "de", "Lyon", "souhaiterait", "un", "module",
         "Entr'ouvert", "répond", "besoin", "portail", "ouvert", "en", "2019", "juin", "jeudi", "3", "mars",
         "Demande", "des", "participants", ":", "Claire", "Morel", "C.", "(", ")", "**", "#", "-", "Saint-Denis",
         "8ème", "la", "dixième", "s'est", "tenue", "le", "à", "l'occasion", "du", "salon", "Passerelle", "PayFip"]
line = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join),
    st.tuples(st.sampled_from(["# ", "## ", "### ", "- ", "* ", "1. ", "    - ", "> ", "",
                               "h2. ", "h3(#x). ", "** ", "# ", "p. ", "{{toc}}", "<h2>", "<p>", "<li>", "</ul>", "<br>",
                               "<script>", "<!-- ", "<a href=\"http://x\">"]),
              st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)).map("".join),
    st.text(max_size=80),                                                    # any unicode, controls included
    st.sampled_from(["", "\x00\x01\x02", "\ufeff", "é" * 5000, "#" * 300, "- " * 400, "\r", "\t\t"]),
)
HEADER = st.sampled_from(["", "La dixième réunion du Club des utilisateurs Publik s'est tenue le jeudi 2 décembre 2021 à Metz.\n\n",
                          "# Club Publik\n\nLa réunion fondatrice du club s'est tenue le 14 juin 2016.\n\n"])


@pytest.fixture(scope="module")
def ds():
    return make_dataset([OWN / "2018-11-22-club-publik-4e-reunion.md"])


def _quads(ds) -> set:
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in ds.store.ox}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(header=HEADER, lines=st.lists(line, max_size=30), encoding=st.sampled_from(["utf-8", "latin-1", "utf-16"]),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=3000)),
       suffix=st.sampled_from([".md", ".txt", ".textile", ".html"]))
def test_generated_reports_are_stored_validly_or_refused_cleanly(ds, tmp_path_factory, header, lines, encoding, cut,
                                                                 suffix):
    CASES["report"] = CASES.get("report", 0) + 1
    data = (header + "\n".join(lines)).encode(encoding, "replace")
    if cut is not None:
        data = data[:cut]                                           # a truncated file
    path = tmp_path_factory.mktemp("fuzz") / f"2022-03-03-club-fuzz{suffix}"
    path.write_bytes(data)
    before = _quads(ds)
    try:
        source = read_report(path)
    except ReadError as e:
        assert e.reason and _quads(ds) == before
        CASES["report refused"] = CASES.get("report refused", 0) + 1
        return
    errors = []
    ds.ingest([source], on_error=errors.append)
    if errors:
        assert isinstance(errors[0], IngestError) and errors[0].reason
        assert _quads(ds) == before                                 # nothing half-written
        CASES["report refused"] = CASES.get("report refused", 0) + 1
        return
    try:
        report = shacl(ds.store)
        assert report.conforms, report.text[:2000]
        CASES["report stored"] = CASES.get("report stored", 0) + 1
    finally:                                   # removed even on failure: the next case starts clean
        removed = ds.remove(source.report_id)
    assert removed and _quads(ds) == before    # and it leaves cleanly


# -- HTTP -------------------------------------------------------------------------------

VALID = ["SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK WHERE { ?s a ?c }",
         "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2",
         "PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?m a club:Meeting }"]


@st.composite
def near_valid(draw) -> str:
    """A valid query with one character dropped, or junk inserted."""
    q = draw(st.sampled_from(VALID))
    i = draw(st.integers(min_value=0, max_value=len(q)))
    junk = draw(st.sampled_from(["{", "}", "?", "<", ">", '"', "\\", "#", "\x00", "é", "SERVICE", " ", ".", "*"]))
    return q[:i] + q[i + 1:] if draw(st.booleans()) else q[:i] + junk + q[i:]


sparql_text = st.one_of(st.sampled_from(VALID), st.text(max_size=200), near_valid())
PATHS = ["/sparql", "/queries", "/queries/requests", "/queries/timeline", "/queries/nope", "/id/org/commune-57463",
         "/id/nope", "/pages/demandes", "/pages/requete", "/catalog", "/dumps/", "/dumps/x", "/ontology", "/",
         "/openapi.json", "/id/", "/%00", "/id/org/commune-57463.ttl"]


@pytest.fixture(scope="module")
def client(seed_ds):
    return create_app(Config.from_env(env={}, workers=0), seed_ds.store, seed_ds.iris.base).test_client()


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       path=st.one_of(st.sampled_from(PATHS), st.text(max_size=30).map(lambda t: "/" + t)),
       query=sparql_text,
       params=st.dictionaries(st.sampled_from(["org", "topic", "stance", "min", "kind", "from", "to", "format",
                                               "default-graph-uri", "named-graph-uri", "raiser"]),
                              st.text(max_size=40), max_size=3),
       accept=st.one_of(st.none(), st.sampled_from(["*/*", "text/html", "application/sparql-results+json",
                                                     "text/turtle;q=0.5, */*;q=0.1", "image/png", "", "a/b/c"]),
                        st.text(max_size=30)),
       ctype=st.one_of(st.none(), st.sampled_from(["application/sparql-query", "application/sparql-update",
                                                    "application/x-www-form-urlencoded", "text/plain; charset=latin-1",
                                                    "application/sparql-query; charset=utf-16"]), st.text(max_size=20)))
def test_generated_requests_never_get_a_server_error(client, method, path, query, params, accept, ctype):
    CASES["http"] = CASES.get("http", 0) + 1
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    args = dict(params)
    body = None
    if method == "GET":
        args["query"] = query
    elif method == "POST":
        body = query.encode("utf-8", "surrogatepass") if ctype and "sparql" in ctype else None
        if body is None:
            args["query"] = query
    try:
        r = client.open(path, method=method, query_string=args, data=body, headers=headers,
                        content_type=ctype if body is not None else None)
    except (ValueError, UnicodeError):
        return                                     # not representable as an HTTP request at all
    text = r.get_data(as_text=True) if r.mimetype and "text" in r.mimetype or "json" in (r.mimetype or "") else ""
    assert r.status_code < 500, (method, path, r.status_code, text[:300])
    assert "Traceback" not in text and 'File "' not in text


# -- SPARQL fragments, through real workers and updates ---------------------------------

FRAGMENT_TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "GRAPH", "SERVICE", "SILENT",
                   "LOAD", "INTO", "INSERT", "DELETE", "DATA", "CLEAR", "DROP", "CREATE", "ALL", "DEFAULT", "USING",
                   "WITH", "PREFIX", "BASE", "OPTIONAL", "UNION", "MINUS", "FILTER", "EXISTS", "NOT", "BIND", "AS",
                   "VALUES", "LATERAL", "LIMIT", "ORDER", "BY", "GROUP", "COUNT", "IRI", "CONCAT", "STR",
                   "{", "}", "(", ")", "[", "]", ".", ";", ",", "*", "=", "<", ">", "&&", "||", "/", "|", "^", "a",
                   "?s", "?p", "?o", "?v", "$é", "_:b", "<http://example.org/x>", "<x>", r"<http\u003A//x/>",
                   "<http://x/#a>", ":", ":x", "éq:", "éq:o", "ex:", "ex:x", "日本:名", "'s'", '"s"', "'''long'''",
                   r'"\u0027"', r"'\u005C'", '"a # b"', "1", "-2.5e3", "true", "@fr", "^^", "# c\n", "\n", "\u00a0"]
fragment = st.lists(st.sampled_from(FRAGMENT_TOKENS), min_size=1, max_size=40).map(" ".join)
HOSTILE_BYTES = st.one_of(st.binary(max_size=300), fragment.map(lambda t: t.encode("utf-8")),
                          st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """The app as served: an on-disk store, query workers (sandboxed), updates with a token."""
    from conftest import seed_path

    from publik_kg.store import OxigraphStore
    store = OxigraphStore(tmp_path_factory.mktemp("fuzz-pool") / "store")
    ds = make_dataset([seed_path()], store)
    app = create_app(Config.from_env(env={}, workers=2, update_token="fuzz-token", query_timeout=10), store,
                     ds.iris.base)
    yield app.test_client()
    app.extensions["publik_kg"].pool.close()


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(body=HOSTILE_BYTES,
       route=st.sampled_from(["get", "form-query", "sparql-query", "sparql-update", "form-update", "page", "named",
                              "reports"]),
       ctype_noise=st.one_of(st.none(), st.sampled_from(["; charset=utf-8", "; charset=latin-1", ";;", '; x="y'])),
       accept=st.one_of(st.none(), st.sampled_from(["*/*", "text/html", "application/sparql-results+xml", "text/csv",
                                                     "text/tab-separated-values", "application/ld+json",
                                                     "text/turtle;q=0.5, */*;q=0.1", "image/png", ""]),
                        st.text(max_size=20)),
       proto=st.one_of(st.none(), st.sampled_from(["https", "a b", "http, https", "javascript", "\x00"])))
def test_generated_sparql_never_gets_a_server_error(pooled, body, route, ctype_noise, accept, proto):
    """Random SPARQL fragments and bytes, through every way in, with the token (so updates
    are evaluated), forged proxy headers and any Accept: never a 5xx, never a trace."""
    CASES["sparql"] = CASES.get("sparql", 0) + 1
    from urllib.parse import quote_from_bytes
    headers = {"Authorization": "Bearer fuzz-token"}
    if accept is not None:
        headers["Accept"] = accept
    if proto is not None:
        headers["X-Forwarded-Proto"] = proto
    noise = ctype_noise or ""
    try:
        if route in ("get", "page"):
            path = "/sparql" if route == "get" else "/pages/requete"
            r = pooled.get(f"{path}?query={quote_from_bytes(body)}", headers=headers)
        elif route == "named":
            r = pooled.get(f"/queries/requests?org={quote_from_bytes(body)}&topic={quote_from_bytes(body[:20])}",
                           headers=headers)
        elif route in ("form-query", "form-update"):
            key = b"query=" if route == "form-query" else b"update="
            r = pooled.post("/sparql", data=key + quote_from_bytes(body).encode(), headers=headers,
                            content_type="application/x-www-form-urlencoded" + noise)
        elif route == "reports":
            r = pooled.post("/reports?name=2020-01-01-fuzz.md", data=body, headers=headers,
                            content_type="text/markdown" + noise)
        else:
            r = pooled.post("/sparql", data=body, headers=headers, content_type=f"application/{route}" + noise)
    except (ValueError, UnicodeError):
        return                                     # not representable as an HTTP request at all
    text = r.get_data(as_text=True) if "text" in (r.mimetype or "") or "json" in (r.mimetype or "") else ""
    assert r.status_code < 500, (route, body[:200], r.status_code, text[:300])
    assert "Traceback" not in text and 'File "' not in text


# -- injection --------------------------------------------------------------------------

INJECTIONS = ['"} ; DROP ALL ; {"', "> <", "x\n} INSERT DATA { <urn:a> <urn:b> <urn:c> } #", "\\u0022 ; CLEAR ALL",
              "https://example.org/a> } ; DROP ALL ; SELECT * WHERE { <x", "' OR 1=1 --", "\x00"]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("name", ["timeline", "requests", "demand", "repeated-requests", "answered"])
def test_a_parameter_holding_sparql_is_a_value(seed_ds, name, value):
    """The graph is unchanged and the query means what it meant: an unknown value matches
    nothing (or is refused as not an IRI / integer), it is never run as SPARQL."""
    CASES["injection"] = CASES.get("injection", 0) + 1
    nq = namedqueries.get(name)
    before = len(seed_ds.store.ox)
    for p in nq.params:
        try:
            bindings = nq.bindings({p.name: value}, BASE)
        except namedqueries.ParameterError:
            continue                                   # refused as a bad value: fine
        rows = seed_ds.store.query(nq.sparql, bindings).rows
        assert rows == [] or p.type == "integer"
        assert all(isinstance(v, (URIRef, Literal)) for v in bindings.values())
    assert len(seed_ds.store.ox) == before


def test_report_cases():
    """Runs last in this module: the number of generated cases, for the run summary."""
    FIGURES["generated cases tried"] = ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
