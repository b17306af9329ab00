"""Every fact of the reference file (tests/data/gold, copied from shared/gold) holds in
the graph built from the bundled report, checked through SPARQL."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from publik_kg.text import fold, words
from publik_kg.vocab import CLUB

KIND = {"commune": "Commune", "departement": "Departement", "metropole": "Metropole",
        "autorite-administrative-independante": "IndependentAuthority"}
STANCE = {"accepted": "Accepted", "planned": "Planned", "under study": "UnderStudy",
          "declined for now": "DeclinedForNow", "alternative offered": "AlternativeOffered"}


@pytest.fixture(scope="module")
def labels(q):
    """folded label → entities, over rdfs:label (which reasoning fills from SKOS labels)."""
    index: dict[str, set[URIRef]] = {}
    for e, label in q.rows("SELECT ?e ?l WHERE { ?e rdfs:label ?l }"):
        index.setdefault(fold(str(label)), set()).add(e)
    return index


def entity(labels, q, label: str, cls: str) -> URIRef:
    found = [e for e in labels.get(fold(label), ()) if q.ask("ASK WHERE { ?e a ?c }", e=e, c=CLUB[cls])]
    assert len(found) == 1, f"{label!r}: expected one {cls}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def meeting(q, gold):
    rows = q.rows("SELECT ?m WHERE { ?m a club:Meeting ; club:ordinal ?n }", n=Literal(gold["meeting"]["ordinal"]))
    assert len(rows) == 1
    return rows[0][0]


def test_meeting_rank_date_venue_host_vendor(q, gold, meeting):
    g = gold["meeting"]
    assert q.values("SELECT ?d WHERE { ?m club:date ?d FILTER(datatype(?d) = xsd:date) }", m=meeting) == {g["date"]}
    assert q.values("SELECT ?l WHERE { ?m club:venue/rdfs:label ?l }", m=meeting) == {g["venue"]}
    assert g["city"] in q.values("SELECT ?l WHERE { ?m club:venue/club:city/rdfs:label ?l }", m=meeting)
    assert g["host"] in q.values("SELECT ?l WHERE { ?m club:host/rdfs:label ?l }", m=meeting)
    assert g["vendor"] in q.values("SELECT ?l WHERE { ?m club:vendor/rdfs:label ?l }", m=meeting)


def test_meeting_sessions(q, gold, meeting):
    sessions = q.values("SELECT ?l WHERE { ?m club:session/rdfs:label ?l }", m=meeting)
    assert set(gold["meeting"]["sessions"]) <= sessions


def test_earlier_meeting_referenced(q, gold, meeting):
    when = gold["meeting"]["earlier_meeting_referenced"]["when"]
    assert q.ask("ASK WHERE { ?m club:refersTo ?e . ?e a club:Meeting ; club:date ?d FILTER(str(?d) = ?w) }",
                 m=meeting, w=Literal(when))


def test_attachment(q, gold, meeting):
    a = gold["meeting"]["attachment"]
    rows = q.rows("SELECT ?size ?date WHERE { ?m club:attachment ?a . ?a club:fileName ?name ; "
                  "club:sizeText ?size ; dcterms:issued ?date }", m=meeting, name=Literal(a["name"]))
    assert [(str(s), str(d)) for s, d in rows] == [(a["size"], a["date"])]


def test_presentations(q, gold, labels):
    for p in gold["presentations"]:
        rows = q.rows("SELECT ?p ?t WHERE { ?p a club:Presentation ; rdfs:label ?t }")
        pres = [p_ for p_, t in rows if fold(str(t)) in fold(p["title"]) or fold(p["title"]).startswith(fold(str(t)))]
        assert len(pres) == 1, (p["title"], rows)
        node = pres[0]
        if "speakers" in p:
            assert set(p["speakers"]) == q.values("SELECT ?n WHERE { ?p club:speaker/foaf:name ?n }", p=node)
        if "by" in p:
            by = entity(labels, q, p["by"], "Organization")
            assert q.ask("ASK WHERE { ?p club:presenter ?o }", p=node, o=by)
        about = {fold(x) for x in q.values("SELECT ?l WHERE { ?p club:about/rdfs:label ?l }", p=node)}
        assert {fold(x) for x in p["about"]} <= about
        values = {int(v) for v in q.values("SELECT ?v WHERE { ?p club:figure/club:value ?v }", p=node)}
        for fact in p.get("facts", []):
            numbers = [int(w) for w in fact.replace(":", " ").split() if w.isdigit()]
            assert set(numbers) <= values, (fact, values)


@pytest.mark.parametrize("index", range(14))
def test_organization(q, gold, labels, index):
    o = gold["organizations"][index]
    org = entity(labels, q, o["label"], "Organization")
    assert q.ask("ASK WHERE { ?o a ?c }", o=org, c=CLUB[KIND[o["kind"]]])
    if "insee" in o:
        assert q.values("SELECT ?c WHERE { ?o club:inseeCode ?c }", o=org) == {o["insee"]}
    if "siren" in o:
        assert q.values("SELECT ?c WHERE { ?o club:siren ?c }", o=org) == {o["siren"]}
    opening = o["opening"].split(" (")
    rows = q.rows("SELECT ?d ?status WHERE { ?o club:portal ?p . ?p club:date ?d ; club:status ?status }", o=org)
    assert [str(d) for d, _ in rows] == [opening[0]]
    expected_type = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(opening[0])]
    assert str(rows[0][0].datatype).endswith(expected_type)
    if len(opening) > 1:
        assert q.values("SELECT ?x WHERE { ?o club:portal/club:dateQualifier ?x }", o=org) == {opening[1].rstrip(")")}
    if o.get("opening_is_planned"):
        assert rows[0][1] == CLUB.PlannedStatus
    for alias in o.get("aliases", []):
        assert org in labels.get(fold(alias), set()), alias
    if "member_of" in o:
        epci = entity(labels, q, o["member_of"], "EPCI")
        assert q.ask("ASK WHERE { ?o club:memberOfEpci ?e }", o=org, e=epci)
    if "portal" in o:
        assert q.values("SELECT ?n WHERE { ?o club:portal/schema:name ?n }", o=org) == {o["portal"]}
    values = {int(v) for v in q.values("SELECT ?v WHERE { ?o club:card/club:figure/club:value ?v }", o=org)}
    assert set(o.get("figures", {}).values()) <= values
    for prop, key in (("uses", "tools"), ("evaluates", "evaluating")):
        tools = {fold(t) for t in q.values(f"SELECT ?l WHERE {{ ?o club:{prop}/rdfs:label ?l }}", o=org)}
        assert {fold(t) for t in o.get(key, [])} <= tools, (o["label"], key, tools)
    if o["kind"] == "autorite-administrative-independante":
        assert not q.ask("ASK WHERE { ?o a club:Collectivity }", o=org)


def test_other_organizations(q, labels):
    assert q.ask("ASK WHERE { ?o a club:Vendor ; rdfs:label \"Entr'ouvert\"@fr }")
    strasbourg = entity(labels, q, "Strasbourg", "Commune")
    assert q.ask("ASK WHERE { ?r club:raisedBy ?o }", o=strasbourg)
    assert entity(labels, q, "Musée de la Cour d'Or", "Venue")


def test_tools(gold, labels, q):
    for t in gold["tools"]:
        names = [n.strip() for n in t.split(" / ")]
        assert any(any(q.ask("ASK WHERE { ?e a club:SoftwareTool }", e=e) for e in labels.get(fold(n), ()))
                   for n in names), t


def best_match(q, text: str, classes: tuple[str, ...]):
    """The request of the given classes whose wording is closest to the gold text."""
    want = set(words(text))
    best, score = None, 0.0
    for node, got in q.rows("SELECT ?r ?t WHERE { ?r a club:Request ; club:text ?t }"):
        if not any(q.ask("ASK WHERE { ?r a ?c }", r=node, c=CLUB[c]) for c in classes):
            continue
        have = set(words(str(got)))
        s = len(want & have) / len(want | have)
        if s > score:
            best, score = node, s
    assert best is not None and score >= 0.25, (text, score)
    return best


def agent_matches(q, labels, node, who: str) -> bool:
    if who == "participants":
        return q.ask("ASK WHERE { ?r club:raisedBy ?g . ?g a club:ParticipantGroup }", r=node)
    return any(q.ask("ASK WHERE { ?r club:raisedBy ?o }", r=node, o=o) for o in labels.get(fold(who), ()))


@pytest.mark.parametrize("index", range(8))
def test_request(q, gold, labels, index):
    g = gold["requests"][index]
    node = best_match(q, g["text"], ("FeatureRequest",))
    assert agent_matches(q, labels, node, g["raised_by"]), g
    assert g["section"] in q.values("SELECT ?l WHERE { ?r club:inSession/rdfs:label ?l }", r=node)
    tools = {fold(t) for t in q.values("SELECT ?l WHERE { ?r (club:tool|club:response/club:tool)/rdfs:label ?l }", r=node)}
    assert {fold(t) for t in g.get("tools", [])} <= tools
    if "first_raised" in g:
        assert q.ask("ASK WHERE { ?r club:firstRaisedAt/club:date ?d FILTER(datatype(?d) = xsd:gYearMonth) }", r=node)
    if "response" in g:
        stances = {str(s) for s in q.values("SELECT ?s WHERE { ?r club:response/club:stance ?s }", r=node)}
        want = {str(CLUB[STANCE[s.strip()]]) for s in g["response"]["stance"].split(",")}
        assert stances == want
        assert q.ask("ASK WHERE { ?r club:response/club:respondent ?v . ?v a club:Vendor }", r=node)
    else:
        assert not q.ask("ASK WHERE { ?r club:response ?x }", r=node)


def test_offers_and_calls(q, gold, labels):
    for o in gold["offers_and_calls"]:
        node = best_match(q, o["text"], ("SharingOffer", "CallForProposals"))
        assert agent_matches(q, labels, node, o["by"]) or (
            o["by"] == "Entr'ouvert" and q.ask("ASK WHERE { ?r club:raisedBy club:EntrOuvert }", r=node)), o


def test_demand_across_organizations(q, gold, labels):
    for ex in gold["cross_organization_demand_examples"]:
        topics = [t for t in labels.get(fold(ex["topic"]), ()) if q.ask("ASK WHERE { ?t a club:Topic }", t=t)]
        assert len(topics) == 1, ex["topic"]
        for who in ex["wanted_by"]:
            org = entity(labels, q, who, "Organization")
            assert q.ask("ASK WHERE { ?r club:raisedBy ?o ; club:topic ?t }", o=org, t=topics[0]), (ex["topic"], who)


def test_planned_evolutions_per_card(q, gold):
    counts = {k: v for k, v in gold["planned_evolutions_bullets_by_organization"].items() if k != "note"}
    for heading, n in counts.items():
        got = q.rows("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a club:PlannedEvolution ; prov:wasDerivedFrom ?c . "
                     "?c a club:OrganizationCard ; rdfs:label ?l FILTER(str(?l) = ?h) }", h=Literal(f"Fiche : {heading}"))
        assert int(got[0][0]) >= n, heading
