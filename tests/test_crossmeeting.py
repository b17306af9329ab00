"""Cross-meeting questions over the seed and four test reports of our own (tests/data/reports),
ingested in several orders, one report at a time: the answers must not depend on the order.

The reports: the founding meeting (June 2016, "Étaient présents :" list and paragraphs led
by "**Body (First Last)** :"), 2nd meeting (June 2017, participant bullets), 4th (Nov. 2018,
"Body (First Last)" headings), the seed (8th, Dec. 2019), 9th (June 2020, plain text with
cards), 10th (Dec. 2021, plain-text bullets; "C. Morel"; refers to "le Club de juin 2019").
"""
from __future__ import annotations

import functools
import itertools
import random
from pathlib import Path

import pytest
from conftest import BASE, make_dataset, seed_path
from rdflib import Literal, URIRef

from publik_kg import namedqueries
from publik_kg.dataset import Dataset
from publik_kg.reading import read_report
from publik_kg.store import OxigraphStore

OWN = Path(__file__).parent / "data" / "reports"
REPORTS = [seed_path(), *sorted(OWN.iterdir())]
FOURTH, TENTH = OWN / "2018-11-22-club-publik-4e-reunion.md", OWN / "2021-12-02-club-publik-10e-reunion.txt"
ORG = BASE + "id/org/"
VILLEURBANNE, NANCY, GRAND_NANCY = ORG + "commune-69266", ORG + "commune-54395", ORG + "epci-245400676"
METZ, METZ_METROPOLE = ORG + "commune-57463", ORG + "epci-200039865"


def _ingest_one_by_one(order) -> Dataset:
    ds = Dataset(OxigraphStore(), BASE)
    for path in order:
        errors = []
        ds.ingest([read_report(path)], on_error=errors.append)
        assert not errors
    return ds


def _orders():
    rng = random.Random(7)
    shuffled = [rng.sample(REPORTS, len(REPORTS)) for _ in range(2)]
    return [list(reversed(REPORTS)), *shuffled]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return make_dataset(REPORTS)


def run(ds: Dataset, name: str, **params) -> list[dict]:
    nq = namedqueries.get(name)
    res = ds.store.query(nq.sparql, nq.bindings({k: str(v) for k, v in params.items()}, BASE))
    return [{v: (None if t is None else str(t)) for v, t in zip(res.vars, row)} for row in res.rows]


def answers(ds: Dataset) -> dict:
    """Everything the cross-meeting queries say, in an order-free form."""
    return {
        "orgs": {(r["org"], int(r["meetings"])) for r in run(ds, "returning-organizations")},
        "people": {(r["name"], int(r["meetings"])) for r in run(ds, "returning-people")},
        "repeated": {(r["org"], r["topic"], int(r["meetings"]), r["first"], r["last"])
                     for r in run(ds, "repeated-requests")},
        "matrix": {(r["topic"], r["org"], int(r["requests"]), int(r["meetings"]), r["since"])
                   for r in run(ds, "demand-matrix")},
        "answered": {(r["stance"], r["request"]) for r in run(ds, "answered")},
        "unanswered": {r["request"] for r in run(ds, "unanswered")},
        "diff": {(r["change"], r["item"]) for r in run(ds, "meeting-diff", **{"from": "2019-12-04", "to": "2021-12-02"})},
        "timeline": [(r["date"], r["event"], r["item"]) for r in run(ds, "timeline", org=VILLEURBANNE)],
        "quads": len(ds.store.ox),
    }


def test_organizations_present_at_several_meetings(ds):
    got = dict(answers(ds)["orgs"])
    assert got == {VILLEURBANNE: 5, GRAND_NANCY: 3, METZ: 2, METZ_METROPOLE: 2, NANCY: 2,
                   ORG + "commune-93048": 3, ORG + "epci-200046977": 2,
                   ORG + "commune-76540": 2, ORG + "departement-38": 2}   # Rouen, Isère: 2016 + later


def test_people_present_at_several_meetings(ds):
    assert dict(answers(ds)["people"]) == {"Claire Morel": 3, "Pierre Colin": 2, "Sophie Garnier": 2}


def test_requests_raised_at_several_meetings(ds):
    topic = "https://w3id.org/publik-kg/topics/"
    assert answers(ds)["repeated"] == {
        (VILLEURBANNE, topic + "agenda", 3, "2017-06-15", "2021-12-02"),
        (GRAND_NANCY, topic + "signature", 2, "2018-11-22", "2021-12-02"),
    }
    assert len(run(ds, "repeated-requests", min=3)) == 1


def test_demand_matrix_counts_and_first_date(ds):
    cells = {(t, o): (n, m, since) for t, o, n, m, since in answers(ds)["matrix"]}
    assert cells[("https://w3id.org/publik-kg/topics/agenda", VILLEURBANNE)] == (3, 3, "2017-06-15")
    assert cells[("https://w3id.org/publik-kg/topics/signature", GRAND_NANCY)] == (2, 2, "2018-11-22")


def test_answers_by_stance(ds):
    by_stance = {}
    for stance, request in answers(ds)["answered"]:
        by_stance.setdefault(stance.rsplit("#", 1)[1], set()).add(request)
    assert any("/2018-11-22/request/villeurbanne-souhaiterait" in r for r in by_stance["Planned"])
    assert any("/2018-11-22/request/pouvoir-exporter" in r for r in by_stance["UnderStudy"])
    assert any("/2021-12-02/request/pouvoir-archiver" in r for r in by_stance["Planned"])
    only_planned = run(ds, "answered", stance="club:Planned")
    assert only_planned and {r["stance"] for r in only_planned} == {"https://w3id.org/publik-kg/ontology#Planned"}


def test_what_changed_between_two_meetings(ds):
    diff = answers(ds)["diff"]
    assert {c for c, _ in diff} == {"nouvelle demande"}      # nobody new in 2021, no late answer
    assert len(diff) == 4
    earlier = {(r["change"], r["item"]) for r in run(ds, "meeting-diff", **{"from": "2017-06-15", "to": "2018-11-22"})}
    assert {i for c, i in earlier if c == "nouvelle organisation"} == {GRAND_NANCY, NANCY}


def test_timeline_of_one_organization(ds):
    events = answers(ds)["timeline"]
    assert [e for _, e, _ in events].count("réunion") == 5
    assert events == sorted(events, key=lambda e: e[0])
    # opened in 2016 (said in the 2017 bullets), "ouverture en mars 2019" (2020 card)
    assert {d for d, e, _ in events if e == "portail"} == {"2016", "2019-03"}


def test_a_commune_and_its_epci_stay_apart(ds):
    """Nancy ≠ Métropole du Grand Nancy, Metz ≠ Metz Métropole: both pairs attend the 10th meeting."""
    m = URIRef(BASE + "id/meeting/2021-12-02")
    present = {str(r[0]) for r in ds.store.query(
        "SELECT ?o WHERE { ?m <https://w3id.org/publik-kg/ontology#attendee> ?o }", {"m": m}).rows}
    assert {METZ, METZ_METROPOLE, GRAND_NANCY, VILLEURBANNE} <= present
    assert NANCY not in present


def test_an_earlier_meeting_mentioned_by_month_is_a_placeholder(ds):
    rows = ds.store.query(
        "PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?r ?d WHERE { "
        "?r club:firstRaisedAt ?m . ?m club:date ?d }").rows
    assert any("/2021-12-02/request/souhaiterait-de-nouveau" in str(r) and d == Literal("2019-06", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth"))
               for r, d in rows)


@pytest.mark.parametrize("order", _orders(), ids=["reversed", "shuffle-1", "shuffle-2"])
def test_answers_do_not_depend_on_ingest_order(ds, order):
    assert answers(_ingest_one_by_one(order)) == answers(ds)


def _content(ds: Dataset) -> set:
    """Every quad of the store but ingest times."""
    times = {"http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime"}
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in ds.store.ox if q.predicate.value not in times}


@pytest.mark.parametrize("first,second", list(itertools.permutations(REPORTS, 2)),
                         ids=[f"{a.stem[:7]}-then-{b.stem[:7]}" for a, b in itertools.permutations(REPORTS, 2)])
def test_every_pair_gives_the_same_store_in_either_order(first, second):
    """Order matters only between reports whose mentions resolve against each other, so
    every ordered pair, one report at a time, must store exactly what both at once do."""
    assert _content(_ingest_one_by_one([first, second])) == _both_at_once(frozenset((first, second)))


@functools.lru_cache(maxsize=None)
def _both_at_once(pair: frozenset) -> frozenset:
    """What a pair stores ingested together (the same whichever order it is given in)."""
    return frozenset(_content(make_dataset(sorted(pair))))


def _earlier_refs(ds: Dataset) -> set[str]:
    rows = ds.store.query(
        "PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT DISTINCT ?t WHERE { "
        "GRAPH ?g { ?x club:refersTo|club:firstRaisedAt ?t } }",
        {"g": ds.iris.graph("report", "2021-12-02-club-publik-10e-reunion")}).rows
    return {str(r[0]) for r in rows}


def _meetings(ds: Dataset) -> set[str]:
    return {str(r[0]) for r in ds.store.query(
        "SELECT DISTINCT ?m WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }").rows}


def test_placeholder_meeting_merges_when_its_report_arrives_and_returns_when_removed(tmp_path):
    june = _report(tmp_path, "2019-06-13", "le jeudi 13 juin 2019",
                   "## Tour de table\n\n- Ville de Paris, Marie Durand : souhaiterait un module de prise de rendez-vous.")
    december = TENTH
    placeholder, real = BASE + "id/meeting/2019-06", BASE + "id/meeting/2019-06-13"
    for order in ([december, june], [june, december]):
        ds = _ingest_one_by_one(order)
        assert _earlier_refs(ds) == {real}
        assert placeholder not in _meetings(ds) and real in _meetings(ds)
    assert ds.remove(june.stem)
    assert _earlier_refs(ds) == {placeholder}
    assert placeholder in _meetings(ds) and real not in _meetings(ds)


def test_every_request_and_evolution_has_a_topic_with_evidence(ds):
    assert run(ds, "unclassified") == []
    missing = ds.store.query(
        "PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?r WHERE { ?r a club:Request ; club:topic ?t . "
        "FILTER NOT EXISTS { ?r club:topicEvidence/club:matchedLabel ?label } }").rows
    assert not missing


def test_an_ambiguous_name_is_recorded_with_its_candidates(tmp_path):
    report = tmp_path / "2022-06-09-club-publik.md"
    report.write_text("# Club des utilisateurs Publik\n\nLa onzième réunion du Club des utilisateurs Publik s'est "
                      "tenue le jeudi 9 juin 2022 à Lyon, à l'invitation de la Métropole de Lyon.\n\n## Tour de table\n\n"
                      "- Ville de Saint-Denis, Amina Benali : souhaiterait un module de prise de rendez-vous.\n"
                      "- Villeurbanne, Claire Morel : utilise Publik.\n\n## Saint-Denis (Louis Hoarau)\n\n"
                      "Besoin de signature électronique des arrêtés.\n", encoding="utf-8")
    ds = make_dataset([report])
    rows = run(ds, "ambiguities")
    assert {r["candidate"] for r in rows} == {ORG + "commune-97411", ORG + "commune-93066"}
    assert {r["org"] for r in rows} == {ORG + "ambiguous-commune-saint-denis"}   # both spellings, one entity
    assert {r["meeting"] for r in rows} == {BASE + "id/meeting/2022-06-09"}
    raisers = {r["raiser"] for r in run(ds, "requests")}
    assert ORG + "ambiguous-commune-saint-denis" in raisers
    assert not {ORG + "commune-97411", ORG + "commune-93066"} & raisers


def test_people_are_resolved_within_their_organization(tmp_path):
    report = tmp_path / "2023-03-09-club-publik.md"
    report.write_text("# Club des utilisateurs Publik\n\nLa douzième réunion du Club des utilisateurs Publik s'est "
                      "tenue le jeudi 9 mars 2023 à Rennes, à l'invitation de Rennes Métropole.\n\n## Tour de table\n\n"
                      "- Ville de Rennes, Claire Morel : utilise Publik.\n"
                      "- Ville de Nantes, Claire Morel, Jean Morel : souhaiterait un module de prise de rendez-vous.\n\n"
                      "## Ville de Rennes (C. Morel)\n\nBesoin de signature électronique des arrêtés.\n", encoding="utf-8")
    ds = make_dataset([report])
    people = {str(r[0]) for r in ds.store.query(
        "SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/publik-kg/ontology#Person> }").rows}
    rennes, nantes = ORG + "commune-35238", ORG + "commune-44109"
    # one Claire Morel per organization; "C. Morel" of Rennes is Rennes' Claire Morel; Jean stays apart
    assert people == {BASE + "id/person/commune-35238/claire-morel", BASE + "id/person/commune-44109/claire-morel",
                      BASE + "id/person/commune-44109/jean-morel"}
    assert rennes in {str(r[0]) for r in ds.store.query(
        "SELECT ?o WHERE { ?p <https://w3id.org/publik-kg/ontology#affiliation> ?o }",
        {"p": URIRef(BASE + "id/person/commune-35238/claire-morel")}).rows}
    assert nantes != rennes


def _report(tmp_path: Path, date: str, when: str, body: str) -> Path:
    """A short report of a meeting held on ``date`` ("le jeudi 13 juin 2019") at Rennes."""
    path = tmp_path / f"{date}-club-publik.md"
    path.write_text("# Club des utilisateurs Publik\n\nLa réunion du Club des utilisateurs Publik s'est tenue "
                    f"{when} à Rennes, à l'invitation de Rennes Métropole.\n\n{body}\n", encoding="utf-8")
    return path


def _people(ds: Dataset, graph: URIRef | None = None) -> dict[str, set[str]]:
    """person IRI → the IRIs given as its candidates (in one report's graph, or anywhere)."""
    q = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?p ?c WHERE { "
         + ("GRAPH ?g { " if graph else "{ ") + "?p a club:Person OPTIONAL { ?p club:candidate ?c } } }")
    out: dict[str, set[str]] = {}
    for p, c in ds.store.query(q, {"g": graph} if graph else None).rows:
        out.setdefault(str(p), set()).update([str(c)] if c else [])
    return out


def test_a_person_named_by_initial_is_the_one_their_organization_names_in_full_elsewhere():
    """The 10th meeting's "Villeurbanne, C. Morel" is the Claire Morel of Villeurbanne other
    reports name; with those reports gone, "C. Morel" is a person of her own again."""
    later = TENTH
    claire, c_morel = BASE + "id/person/commune-69266/claire-morel", BASE + "id/person/commune-69266/c-morel"
    graph = URIRef(BASE + "graph/report/" + later.stem)
    for order in ([later, FOURTH], [FOURTH, later]):       # the 4th meeting names Claire Morel
        ds = _ingest_one_by_one(order)
        assert claire in _people(ds, graph) and c_morel not in _people(ds, graph)
    assert ds.store.query("ASK WHERE { ?p <http://www.w3.org/2004/02/skos/core#hiddenLabel> \"C. Morel\" }",
                          {"p": URIRef(claire)}).boolean
    ds.remove(FOURTH.stem)
    assert set(_people(ds, graph)) >= {c_morel} and claire not in _people(ds)


def test_an_initial_two_people_may_bear_and_a_name_without_organization_are_candidates_not_merged(tmp_path):
    first = _report(tmp_path, "2023-03-09", "le jeudi 9 mars 2023",
                    "## Tour de table\n\n- Ville de Rennes, Claire Morel, Cécile Morel : utilise Publik.\n"
                    "- Ville de Nantes, Claire Morel : utilise Publik.\n")
    second = _report(tmp_path, "2023-10-12", "le jeudi 12 octobre 2023",
                     "## Présentation du portail par Claire Morel\n\nLe portail compte 40 démarches.\n\n"
                     "## Tour de table\n\n- Ville de Rennes, C. Morel : souhaiterait un module de prise de rendez-vous.\n")
    person = BASE + "id/person/"
    expected = {person + "commune-35238/c-morel": {person + "commune-35238/claire-morel", person + "commune-35238/cecile-morel"},
                person + "claire-morel": {person + "commune-35238/claire-morel", person + "commune-44109/claire-morel"}}
    for order in ([first, second], [second, first]):
        ds = _ingest_one_by_one(order)
        got = _people(ds, URIRef(BASE + "graph/report/2023-10-12-club-publik"))
        assert got == expected
    rows = [r for r in run(ds, "ambiguities") if r["kind"] == "person"]
    assert {(r["org"], r["candidate"]) for r in rows} == {(p, c) for p, cs in expected.items() for c in cs}
    assert {r["candidateName"] for r in rows} == {"Claire Morel", "Cécile Morel"}


def test_a_month_with_two_meetings_is_an_ambiguity_until_one_is_removed(tmp_path):
    first = _report(tmp_path, "2019-06-13", "le jeudi 13 juin 2019", "## Tour de table\n\n- Ville de Rennes : utilise Publik.\n")
    second = _report(tmp_path, "2019-06-27", "le jeudi 27 juin 2019", "## Tour de table\n\n- Ville de Brest : utilise Publik.\n")
    later = TENTH                                         # "évoqué lors du Club de juin 2019"
    meeting = BASE + "id/meeting/"
    ds = _ingest_one_by_one([later, first, second])
    assert _earlier_refs(ds) == {meeting + "2019-06"}
    rows = [r for r in run(ds, "ambiguities") if r["kind"] == "meeting"]
    assert {r["candidate"] for r in rows} == {meeting + "2019-06-13", meeting + "2019-06-27"}
    assert {r["meeting"] for r in rows} == {meeting + "2021-12-02"}
    ds.remove("2019-06-27-club-publik")
    assert _earlier_refs(ds) == {meeting + "2019-06-13"}
    assert not [r for r in run(ds, "ambiguities") if r["kind"] == "meeting"]


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "later-first"])
def test_the_last_meeting_is_the_one_before_in_the_loaded_reports(tmp_path, reverse):
    """"déjà évoquée lors de la dernière réunion": the meeting held last before this one,
    among the loaded reports — whichever arrives first; none when none is loaded."""
    june = tmp_path / "2021-06-10-club.md"
    june.write_text("# Club Publik\n\nLa réunion du club s'est tenue le jeudi 10 juin 2021 à Rennes.\n\n## Demandes\n\n"
                    "- Un export des demandes au format tableur\n", encoding="utf-8")
    march = tmp_path / "2021-03-11-club.md"
    march.write_text("# Club Publik\n\nLa réunion du club s'est tenue le jeudi 11 mars 2021 à Lyon.\n\n## Tour de table\n\n"
                     "Rouen utilise Publik.\n", encoding="utf-8")
    december = tmp_path / "2021-12-02-club.md"
    december.write_text("# Club Publik\n\nLa réunion du club s'est tenue le jeudi 2 décembre 2021 à Metz.\n\n## Demandes\n\n"
                        "Demande de Rouen : un export des demandes au format tableur, déjà évoqué lors de la dernière "
                        "réunion.\n", encoding="utf-8")
    alone = _ingest_one_by_one([december])
    query = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?d WHERE { ?r club:firstRaisedAt/club:date ?d }")
    assert not alone.store.query(query).rows
    ds = _ingest_one_by_one([december, march, june] if reverse else [march, june, december])
    assert [str(r[0]) for r in ds.store.query(query).rows] == ["2021-06-10"]
