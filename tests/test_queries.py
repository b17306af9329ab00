"""Each named query on the seed graph gives its exact expected rows."""
import pytest
from rdflib import Literal

from publik_kg import namedqueries
from publik_kg.namedqueries import ParameterError

from conftest import BASE


def run(q, name, **raw):
    nq = namedqueries.get(name)
    res = q.ds.store.query(nq.sparql, nq.bindings(raw, BASE))
    return [dict(zip(res.vars, (None if t is None else str(t) for t in row))) for row in res.rows]


def test_catalogue_headers():
    cat = namedqueries.catalogue()
    assert {"meetings", "organizations", "requests", "tools", "demand", "shared-topics",
            "epci-members", "unanswered", "skipped-lines"} <= set(cat)
    for nq in cat.values():
        assert nq.title and nq.description, nq.name


def test_meetings(q):
    rows = run(q, "meetings")
    assert [(r["ordinal"], r["date"], r["venue"], r["host"], r["organizations"]) for r in rows] == [
        (None, "2019-06", None, None, "0"),
        ("8", "2019-12-04", "Musée de la Cour d'Or", "Metz Métropole", "14")]


def test_organizations(q, gold):
    rows = run(q, "organizations")
    got = {(r["code"], r["opening"].split("-")[0] if r["precision"] == "season" else r["opening"]) for r in rows}
    want = {(o.get("insee") or o.get("siren"), o["opening"].split(" ")[0]) for o in gold["organizations"]}
    assert got == want
    assert {r["status"] for r in rows if r["opening"] >= "2020"} == {"planned"}


def test_organizations_by_kind(q):
    rows = run(q, "organizations", kind="club:Commune")
    assert sorted(r["code"] for r in rows) == ["31555", "54395", "57463", "69259", "76540"]
    assert run(q, "organizations", kind="club:Region") == []


def test_requests(q):
    rows = run(q, "requests")
    kinds = sorted(r["kind"] for r in rows)
    assert kinds == ["call for proposals"] * 2 + ["feature request"] * 8 + ["offer to share a development"] * 2
    stances = sorted(", ".join(sorted(r["stances"].split(", "))) for r in rows if r["stances"])
    assert stances == ["accepted", "alternative offered, declined for now", "planned", "under study"]


def test_requests_by_raiser_and_stance(q):
    rouen = f"{BASE}id/org/commune-76540"
    rows = run(q, "requests", raiser=rouen)
    assert [(r["raiserName"], r["stances"]) for r in rows] == [("Rouen", "accepted")]
    rows = run(q, "requests", stance="club:UnderStudy")
    assert len(rows) == 1 and rows[0]["text"].startswith("Inscription simultanée")


def test_tools(q):
    rows = {(r["toolName"], r["relation"], r["orgName"]) for r in run(q, "tools")}
    assert rows == {
        ("Au quotidien", "uses", "Calvados"), ("IODAS", "uses", "Nord"), ("Jahia", "uses", "Calvados"),
        ("NextCloud", "evaluates", "Calvados"), ("Tracim", "evaluates", "Calvados"),
        ("connectMetz", "uses", "Metz"),
        *{("Publik", "uses", o) for o in ("Calvados", "Clermont Auvergne Métropole",
                                          "Commission nationale de l'informatique et des libertés", "Haute-Garonne",
                                          "Metz", "Nancy", "Nord", "Toulouse", "Toulouse Métropole", "Vénissieux")}}
    assert {r["orgName"] for r in run(q, "tools", tool="tool:tracim")} == {"Calvados"}


def test_demand_by_topic(q):
    rows = run(q, "demand", topic="topic:signature")
    assert sorted({r["orgName"] for r in rows}) == ["Nancy", "Vénissieux"]
    rows = run(q, "demand", topic="topic:mobilite")
    assert sorted({r["orgName"] for r in rows}) == ["Métropole du Grand Nancy", "Toulouse", "Toulouse Métropole"]


def test_shared_topics(q):
    rows = run(q, "shared-topics")
    assert all(int(r["organizations"]) >= 2 for r in rows)
    by_topic = {r["topic"].rsplit("/", 1)[-1]: int(r["organizations"]) for r in rows}
    assert by_topic["signature"] == 2 and by_topic["mobilite"] == 3 and by_topic["interne"] >= 5
    high = run(q, "shared-topics", min="5")
    assert {r["topic"] for r in high} == {r["topic"] for r in rows if int(r["organizations"]) >= 5}
    assert run(q, "shared-topics", min="100") == []


def test_epci_members(q):
    rows = {(r["siren"], r["insee"]) for r in run(q, "epci-members")}
    assert rows == {("200039865", "57463"), ("200023414", "76540"), ("200046977", "69259"),
                    ("245400676", "54395"), ("243100518", "31555")}


def test_unanswered(q, gold):
    rows = run(q, "unanswered")
    assert len(rows) == sum(1 for r in gold["requests"] if "response" not in r)
    assert {r["text"][:6] for r in rows} == {"Payfip", "Case à", "Pouvoi", "Possib"}


def test_skipped_lines(q):
    rows = run(q, "skipped-lines")
    assert rows and all(r["reason"] for r in rows)
    assert all(int(r["line"]) >= 1 for r in rows)


@pytest.mark.parametrize("name,raw,message", [
    ("organizations", {"kind": "not an iri"}, "not an IRI"),
    ("shared-topics", {"min": "two"}, "not an integer"),
    ("meetings", {"nope": "1"}, "unknown parameter"),
])
def test_bad_parameters(name, raw, message):
    with pytest.raises(ParameterError, match=message):
        namedqueries.get(name).bindings(raw, BASE)


@pytest.mark.parametrize("payload", ['"} ; DROP ALL ; {"', "> <", "a\nb", "\\u0022 }", "x' } ; CLEAR ALL #"])
def test_injection_is_a_value(q, payload):
    before = q.ds.store.count()
    nq = namedqueries.parse_named_query("t", "PREFIX club: <https://w3id.org/publik-kg/ontology#>\n"
                                        "SELECT ?r WHERE { ?r club:text ?t FILTER(str(?t) = ?text) }")
    res = q.ds.store.query(nq.sparql, {"text": Literal(payload)})
    assert res.rows == []
    assert q.ds.store.count() == before
    with pytest.raises(ParameterError):
        namedqueries.get("organizations").bindings({"kind": f"http://x/{payload}"}, BASE)
