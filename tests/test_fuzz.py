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
