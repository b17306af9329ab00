"""``publik-kg evaluate``: the checker's logic on tiny hand-made graphs (every check kind
both holds and fails), the command on the real annotations (every kind printed, exit
codes, bad input), and a ratchet on today's figures (tests/data/real/floors.json)."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from publik_kg.annotation_checks import KINDS, check
from publik_kg.cli import main
from publik_kg.evaluation import below, evaluate, figures

REAL = Path(__file__).parent / "data" / "real"
ANNOTATIONS = sorted(REAL.glob("20*.json"))
ROOT = Path(__file__).parent.parent

# A tiny ontology of our own IRIs: the checker must find its notions through labels and
# subclass axioms only, whatever the IRIs.
ONTO = Graph().parse(format="turtle", data="""
@prefix ex: <http://ex.test/o#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:Gathering a owl:Class ; rdfs:subClassOf schema:Event .
ex:Town a owl:Class ; rdfs:subClassOf ex:Body . ex:Body a owl:Class ; owl:equivalentClass org:Organization .
ex:Human a owl:Class ; rdfs:subClassOf foaf:Person .
ex:App a owl:Class ; rdfs:subClassOf schema:SoftwareApplication .
ex:Ask a owl:Class ; rdfs:label "request"@en . ex:Wish a owl:Class ; rdfs:subClassOf ex:Ask .
ex:Position a owl:Class ; rdfs:label "stance"@en ; rdfs:subClassOf skos:Concept .
ex:line a owl:DatatypeProperty ; rdfs:label "start line"@en .
ex:hostedBy a owl:ObjectProperty ; rdfs:subPropertyOf schema:organizer .
ex:at a owl:ObjectProperty ; rdfs:subPropertyOf schema:location .
""")
PREFIXES = """@prefix ex: <http://ex.test/o#> . @prefix : <http://ex.test/d/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
MEETING = ':m a ex:Gathering ; rdfs:label "Réunion" ; ex:when "2020-05-06"^^xsd:date .\n'


def run(ttl: str, **annotation):
    base = {"report": "r.md", "meeting": {"date": "2020-05-06"}}
    base.update(annotation)
    return check(base, Graph().parse(data=PREFIXES + MEETING + ttl, format="turtle"), ONTO)


def tally(checked, kind):
    t = checked.tallies[kind]
    return t.tp, t.fp, t.fn


def reasons(checked):
    return [f.reason for f in checked.false_negatives + checked.false_positives]


# -- the meeting ---------------------------------------------------------------------------

def test_meeting_is_the_event_with_the_date_as_xsd_date():
    assert run("").meeting == "http://ex.test/d/m"
    c = run("", meeting={"date": "2020-05-07"})
    assert c.meeting is None and tally(c, "date") == (0, 0, 1)
    plain = check({"report": "r", "meeting": {"date": "2020-05-06"}},
                  Graph().parse(data=PREFIXES + ':m a ex:Gathering ; ex:when "2020-05-06" .', format="turtle"), ONTO)
    assert plain.meeting is None                          # a plain string is not an xsd:date


def test_wrong_date_is_a_false_positive_with_its_line():
    c = run(":m schema:subEvent :s ; ex:line 4 .", meeting={"date": "2021-01-01"})
    assert tally(c, "date") == (0, 1, 1)
    assert c.false_positives[0].item == "date 2020-05-06" and c.false_positives[0].line == 4


def test_end_date_and_rank():
    ttl = ':m ex:until "2020-05-07"^^xsd:date ; ex:rank 9 ; ex:line 3 .'
    assert tally(run(ttl, meeting={"date": "2020-05-06", "end_date": "2020-05-07", "rank": 9}), "date") == (2, 0, 0)
    assert tally(run(ttl, meeting={"date": "2020-05-06", "end_date": "2020-05-07", "rank": 9}), "meeting") == (1, 0, 0)
    c = run(ttl, meeting={"date": "2020-05-06", "end_date": None, "rank": 8})
    assert tally(c, "date") == (1, 1, 0)                 # an end date the text does not give
    assert tally(c, "meeting") == (0, 1, 1)              # rank 9 is wrong; the line number is no rank


def test_online():
    on = ":m schema:eventAttendanceMode schema:OnlineEventAttendanceMode ."
    assert tally(run(on, meeting={"date": "2020-05-06", "online": True}), "meeting") == (1, 0, 0)
    assert tally(run("", meeting={"date": "2020-05-06", "online": True}), "meeting") == (0, 0, 1)
    place = ':m ex:at :p . :p a schema:Place ; rdfs:label "Salle des fêtes" .'
    assert tally(run(place, meeting={"date": "2020-05-06", "online": False}), "meeting") == (1, 0, 0)
    assert tally(run(on, meeting={"date": "2020-05-06", "online": False}), "meeting") == (0, 1, 1)
    assert tally(run(on, meeting={"date": "2020-05-06", "online": None}), "meeting") == (0, 1, 0)


def test_venue_and_city():
    ttl = (':m ex:at :p . :p a schema:Place ; rdfs:label "Salle Pasteur" ; ex:in :town . '
           ':town a ex:Town ; rdfs:label "Dole" .')
    c = run(ttl, meeting={"date": "2020-05-06", "venue": "salle pasteur", "city": "Dole"})
    assert tally(c, "meeting") == (2, 0, 0)              # labels compared case-insensitively
    c = run(ttl, meeting={"date": "2020-05-06", "venue": None, "city": None})
    assert tally(c, "meeting") == (0, 1, 0) and c.false_positives[0].item == "venue Salle Pasteur"
    c = run(ttl, meeting={"date": "2020-05-06", "venue": None, "city": "Arbois"})
    assert tally(c, "meeting") == (0, 1, 1)


def test_host_and_vendor_are_organizers_through_sub_properties():
    ttl = (':m ex:hostedBy :h , :v , :x . :h a ex:Town ; rdfs:label "Dole" . :v a ex:Body ; rdfs:label "Editeur" . '
           ':x a ex:Body ; rdfs:label "Intrus" .')
    orgs = [{"label": "Ville de Dole", "canonical_name": "Dole", "role": "host"},
            {"label": "Editeur", "role": "vendor"}]
    c = run(ttl, meeting={"date": "2020-05-06", "host": "Ville de Dole", "vendor": "Editeur"}, organizations=orgs)
    assert tally(c, "meeting") == (2, 1, 0) and c.false_positives[0].item == "organizer Intrus"
    c = run("", meeting={"date": "2020-05-06", "host": "Ville de Dole"}, organizations=orgs)
    assert tally(c, "meeting") == (0, 0, 1)


# -- organizations, people, tools --------------------------------------------------------------

ORGS = (':m schema:attendee :dole . :dole a ex:Town ; skos:prefLabel "Dole" ; ex:code "39198" ; ex:member :agglo . '
        ':agglo a ex:Body ; skos:prefLabel "Grand Dole" ; ex:code "200012345" . '
        ':lost rdfs:label "Jura Numérique" .')


def test_organization_found_typed_coded_and_linked():
    c = run(ORGS, organizations=[{"label": "Ville de Dole", "canonical_name": "Dole", "insee": "39198",
                                  "role": "participant"}])
    assert tally(c, "organizations") == (1, 0, 0)        # by canonical name, typed through two axioms


def test_organization_failures_say_why():
    c = run(ORGS, organizations=[
        {"label": "Dole", "insee": "39100", "role": "participant"},
        {"label": "Grand Dole", "siren": "200012345", "role": "participant"},   # only via the commune
        {"label": "Jura Numérique", "role": "participant"},
        {"label": "Nulle Part", "role": "participant"}])
    assert tally(c, "organizations") == (0, 1, 4)        # :dole extracted, matches no entry now
    assert reasons(c)[:4] == ["no literal 39100 on it", "not linked to the meeting",
                              "labelled, but not typed as an organization", "no node labelled so"]


def test_mentioned_organization_needs_no_link_and_is_not_a_false_positive():
    c = run(ORGS, organizations=[{"label": "Grand Dole", "role": "mentioned"},
                                 {"label": "Dole", "role": "participant"}])
    assert tally(c, "organizations") == (2, 0, 0)


PEOPLE = ORGS + (' :ann a ex:Human ; foaf:name "Ann Vidal" ; ex:worksAt :dole . '
                 ':bob a ex:Human ; rdfs:label "Bob Roy" . :m schema:performer :eve . :eve a ex:Human ; rdfs:label "Eve Noir" .')


def test_people():
    c = run(PEOPLE, organizations=[{"label": "Dole", "role": "participant"}],
            people=[{"name": "ann vidal", "organization": "Dole"}, {"name": "Bob Roy", "organization": "Dole"},
                    {"name": "Zoé Blanc"}])
    assert tally(c, "people") == (1, 1, 2)               # Eve is linked to the meeting, not annotated
    assert reasons(c)[-3:] == ["not linked to their organization nor to the meeting", "no person of that name",
                               "matches no annotated item"]


def test_tools_linked_to_the_meeting_or_its_organizations_not_by_label_alone():
    ttl = ORGS + (' :app1 a ex:App ; rdfs:label "Fabrik" . :dole ex:uses :app1 . '
                  ':app2 a ex:App ; rdfs:label "Orphée" . '
                  ':app3 a ex:App ; rdfs:label "Parapheur" . :agglo ex:uses :app3 . '
                  ':app4 a ex:App ; rdfs:label "Agenda" . :m schema:about :app4 .')
    orgs = [{"label": "Dole", "role": "participant"}, {"label": "Grand Dole", "role": "mentioned"}]
    c = run(ttl, organizations=orgs, tools=["fabrik", "Orphée", "Parapheur"])
    assert tally(c, "tools") == (1, 1, 2)                # Agenda extracted, not annotated


def test_paths_stop_at_tools_topics_other_meetings_and_the_meeting_itself():
    ttl = (':m schema:about :app . :app a ex:App ; rdfs:label "Outil" ; ex:usedBy :a . :a a ex:Body ; rdfs:label "A" . '
           ':m dct:subject :t . :t a skos:Concept ; ex:of :b . :b a ex:Body ; rdfs:label "B" . '
           ':m dct:references :old . :old a ex:Gathering ; ex:when "2019-01-01"^^xsd:date ; schema:attendee :c . '
           ':c a ex:Body ; rdfs:label "C" . '
           ':m schema:subEvent :s . :s a ex:Gathering ; schema:attendee :d . :d a ex:Body ; rdfs:label "D" . '
           ':s2 schema:superEvent :m ; schema:attendee :f . :f a ex:Body ; rdfs:label "F" . '
           ':p a ex:Human ; rdfs:label "P" ; ex:at :m . :m schema:attendee :e . :e a ex:Body ; rdfs:label "E" .')
    c = run(ttl, organizations=[{"label": x, "role": "participant"} for x in "ABCDF"],
            people=[{"name": "P", "organization": "E"}])
    # D is at the meeting through an undated session; F's path changes direction
    assert [f.item for f in c.false_negatives if f.kind == "organizations"] == ["A", "B", "C", "F"]
    assert tally(c, "people") == (1, 0, 0)               # P attended: linked to the meeting, not through it


# -- requests and answers --------------------------------------------------------------------------

REQ = ORGS + (' :r1 a ex:Wish ; schema:text "Pouvoir exporter les parcours des usagers" ; ex:at :m ; '
              '    ex:by :dole ; ex:answer :a1 ; ex:line 12 . '
              ':a1 ex:text "Nous le prévoyons pour 2021" ; ex:stance :planned . '
              ':planned a ex:Position ; skos:prefLabel "planned"@en ; skos:notation "planned" . '
              ':r2 a ex:Ask ; schema:text "Un connecteur avec le SIRH" ; ex:at :m ; ex:line 14 . '
              ':doc a foaf:Document ; schema:text "exporter les parcours" ; ex:at :m .')


def test_request_with_raiser_answer_and_stance():
    c = run(REQ, organizations=[{"label": "Dole", "role": "participant"}], requests=[
        {"text": "…", "fragment": "EXPORTER les parcours", "raised_by": "Dole",
         "answer": {"fragment": "prévoyons", "stance": "planned"}}])
    assert tally(c, "requests") == (1, 1, 0)             # r2 extracted, not annotated
    assert c.false_positives[-1].line == 14
    assert tally(c, "answers") == (1, 0, 0)


def test_request_failures():
    orgs = [{"label": "Dole", "role": "participant"}, {"label": "Grand Dole", "role": "participant"}]
    c = run(REQ, organizations=orgs, requests=[
        {"text": "x", "fragment": "exporter les parcours", "raised_by": "Grand Dole", "answer": None},
        {"text": "x", "fragment": "exporter les parcours", "raised_by": "Dole",
         "answer": {"fragment": "refusé", "stance": "declined"}},
        {"text": "x", "fragment": "introuvable", "raised_by": "participants", "answer": None}])
    assert tally(c, "requests") == (0, 2, 3)
    assert [f.reason for f in c.false_negatives if f.kind == "requests"] == [
        "not linked to its raiser Grand Dole", "answer 'refusé' not on it nor on a node linked to it",
        "no typed node with that text"]
    assert tally(c, "answers") == (0, 1, 1)              # the graph's stance "planned" is not "declined"


def test_long_literals_and_documents_are_not_requests():
    long = "exporter les parcours " + "x" * 1500
    c = run(f':r a ex:Ask ; schema:text "{long}" ; ex:at :m . :doc a foaf:Document ; schema:text "exporter les parcours" ; ex:at :m .',
            requests=[{"text": "x", "fragment": "exporter les parcours", "raised_by": "participants", "answer": None}])
    assert tally(c, "requests") == (0, 1, 1)


# -- must_not ------------------------------------------------------------------------------------

MUST = ORGS + (' :m ex:at :metz . :metz a schema:Place ; rdfs:label "Metz" . '
               ':montp a ex:Body ; rdfs:label "Montpellier Métropole" ; ex:code "34172" . '
               ':r a ex:Ask ; schema:text "une regex plus souple" ; ex:at :m ; dct:subject :pay . '
               ':pay a skos:Concept ; skos:prefLabel "paiement en ligne" . '
               ':spring a ex:Gathering ; ex:when "2020"^^xsd:gYear ; ex:text "réunion de printemps" . '
               ':june a ex:Gathering ; ex:when "2019-06"^^xsd:gYearMonth . '
               ':marie a ex:Human ; rdfs:label "Marie" . :mk a ex:Human ; rdfs:label "Marie Kuntz", "Marie" .')


def must(kind, **fields):
    return {"what": kind, "why": "test", "check": {"kind": kind, **fields}}


@pytest.mark.parametrize("rule, violated", [
    (must("org_at_meeting", labels=["Dole"]), True), (must("org_at_meeting", labels=["Grand Dole"]), False),
    (must("venue", label="metz"), True), (must("venue", label="Dole"), False),
    (must("code_on", label="Montpellier Métropole", code="34172"), True),
    (must("code_on", label="Grand Dole", code="34172"), False),
    (must("meeting_date", date="2020-05-06"), True), (must("meeting_date", date="2020-05-09"), False),
    (must("request_topic", fragment="regex", topic="paiement"), True),
    (must("request_topic", fragment="regex", topic="formulaire"), False),
    (must("meeting_in_period", **{"from": "2019-05", "to": "2019-07", "words": []}), True),
    (must("meeting_in_period", **{"from": "2020-03", "to": "2020-04", "words": ["printemps"]}), True),
    (must("meeting_in_period", **{"from": "2020-03", "to": "2020-04", "words": ["automne"]}), False),
    (must("separate_person", label="Marie", same_as="Marie Kuntz"), True),
    (must("separate_person", label="Marie Kuntz", same_as="Marie"), False),
])
def test_must_not(rule, violated):
    c = run(MUST, must_not=[rule])
    assert c.must_not[0]["violated"] is violated, c.must_not


def test_unknown_must_not_kind_is_refused():
    with pytest.raises(ValueError, match="unknown must_not"):
        run("", must_not=[must("nonsense")])


def test_figures():
    c = run(ORGS, organizations=[{"label": "Dole", "role": "participant"}, {"label": "X", "role": "participant"}])
    f = figures(c.tallies["organizations"])
    assert (f["precision"], f["recall"]) == (1.0, 0.5) and abs(f["f1"] - 2 / 3) < 1e-9
    assert figures(c.tallies["answers"])["precision"] is None      # nothing to count
    result = {"overall": {"organizations": f, "answers": figures(c.tallies["answers"])}}
    assert below(result, 0.6) == ["organizations recall 0.50"] and below(result, 0.4) == []


# -- the command on the real annotations ------------------------------------------------------------

@pytest.fixture(scope="module")
def today():
    return evaluate(ANNOTATIONS)


def test_real_annotations_and_the_seed_copy():
    assert len(ANNOTATIONS) == 5
    assert (REAL / "2019-12-04-club-publik-8eme-reunion.md").read_bytes() == \
        (ROOT / "data/corpus/2019-12-04-club-publik-8eme-reunion.md").read_bytes()


def test_conversion_script_reproduces_the_shipped_seed_annotation(tmp_path):
    out = tmp_path / "seed.json"
    subprocess.run([sys.executable, str(ROOT / "scripts/gold_to_annotation.py"),
                    str(ROOT / "tests/data/gold/2019-12-04-club-publik-8eme-reunion.json"),
                    str(REAL / "2019-12-04-club-publik-8eme-reunion.md"), str(out)], check=True, capture_output=True)
    assert json.loads(out.read_text()) == json.loads((REAL / "2019-12-04-club-publik-8eme-reunion.json").read_text())


def test_seed_supplement_has_one_need_per_planned_evolution_bullet():
    """The hand-written supplement holds, per card, as many bullets as the gold counts under
    "Évolutions envisagées" (id E<n>, a letter per item when a bullet holds several), each
    item a need raised by an organization of the annotation; every correction gives its reason."""
    gold = json.loads((ROOT / "tests/data/gold/2019-12-04-club-publik-8eme-reunion.json").read_text(encoding="utf-8"))
    supplement = json.loads((ROOT / "tests/data/gold/2019-12-04-club-publik-8eme-reunion.supplement.json")
                            .read_text(encoding="utf-8"))
    shipped = json.loads((REAL / "2019-12-04-club-publik-8eme-reunion.json").read_text(encoding="utf-8"))
    labels = {o["label"] for o in shipped["organizations"]}
    needs = [r for r in supplement["requests"] if r["kind"] == "need"]
    counts = {card: n for card, n in gold["planned_evolutions_bullets_by_organization"].items() if card != "note"}
    bullets = {r["id"].rstrip("abcdefgh"): r["section"].split(" › ")[0] for r in needs}
    cards = list(bullets.values())
    assert {card: cards.count(card) for card in counts} == counts and set(cards) <= set(counts)
    assert len(needs) > len(bullets)                      # some bullets hold several items
    assert all(r["raised_by"] in labels and r["answer"] is None for r in needs)
    assert all(r in shipped["requests"] for r in supplement["requests"])
    for c in supplement["corrections"]:
        assert c["note"] and all(x in shipped[c["list"]] for x in c.get("add", []))
        assert c.get("remove") not in [o.get("label", o) if isinstance(o, dict) else o for o in shipped[c["list"]]]


def test_conversion_script_rejects_a_supplement_request_the_report_does_not_hold(tmp_path):
    gold = tmp_path / "g.json"
    gold.write_text((ROOT / "tests/data/gold/2019-12-04-club-publik-8eme-reunion.json").read_text(encoding="utf-8"))
    (tmp_path / "g.supplement.json").write_text(json.dumps({"requests": [
        {"text": "Ouvrir un guichet à Quimper", "fragment": "guichet à Quimper", "raised_by": "Rouen",
         "kind": "need", "answer": None}]}), encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "scripts/gold_to_annotation.py"), str(gold),
                           str(REAL / "2019-12-04-club-publik-8eme-reunion.md"), str(tmp_path / "out.json")],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "not in the report" in done.stderr and not (tmp_path / "out.json").exists()


def test_cli_table_prints_every_kind_per_report_and_overall(capsys):
    assert main(["evaluate", *map(str, ANNOTATIONS)]) == 0
    out = capsys.readouterr().out
    blocks = out.split("== ")[1:]
    assert len(blocks) == len(ANNOTATIONS) + 1 and blocks[-1].startswith("overall")
    for block in blocks:
        rows = [ln.split()[0] for ln in block.splitlines() if ln.startswith("  ") and not ln.startswith("   ") and ln.split()[0] in KINDS]
        assert rows == list(KINDS), block[:200]
    assert "must_not:" in blocks[-1]
    missed = [int(ln.split()[-1]) for ln in blocks[-1].splitlines() if ln.split()[:1] and ln.split()[0] in KINDS]
    assert ("false negatives" in out) == (sum(missed) > 0)     # each miss listed, none invented


def test_cli_json_and_min(capsys):
    one = str(REAL / "2023-06-07-12eme-reunion.json")
    assert main(["evaluate", one, "--format", "json", "--min", "0"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["overall"]) == set(KINDS) and len(result["reports"]) == 1
    assert all(isinstance(f["line"], (int, type(None))) for f in result["reports"][0]["false_negatives"])
    assert main(["evaluate", one, "--min", "0"]) == 0


def test_cli_min_fails_when_a_kind_is_below(tmp_path, capsys):
    """An annotation that expects a person the report never names: people recall 0 < --min."""
    import shutil
    source = json.loads((REAL / "2023-06-07-12eme-reunion.json").read_text(encoding="utf-8"))
    shutil.copy(REAL / source["report"], tmp_path / source["report"])
    source["people"] = [{"name": "Zoé Inventée", "organization": "Villejuif", "role": "nobody the text names"}]
    annotation = tmp_path / "2023-06-07-12eme-reunion.json"
    annotation.write_text(json.dumps(source), encoding="utf-8")
    assert main(["evaluate", str(annotation), "--min", "0.5"]) == 1
    assert "below --min 0.5" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (None, "no such file"), ("{not json", "not valid JSON"), ("[]", "a JSON object"),
    ('{"report": "absent.md", "meeting": {"date": "2020-01-01"}}', "does not exist"),
    ('{"report": "x.md"}', "'meeting' is missing"),
    ('{"report": "../x.md", "meeting": {"date": "2020-01-01"}}', "not a path"),
])
def test_cli_bad_input_exits_2(tmp_path, content, message):
    path = tmp_path / "a.json"
    if content is not None:
        path.write_text(content)
    proc = subprocess.run([sys.executable, "-m", "publik_kg.cli", "evaluate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_malformed_annotation_body_exits_2(tmp_path, capsys):
    data = json.loads((REAL / "2016-06-01-reunion-de-lancement.json").read_text())
    bad = copy.deepcopy(data)
    bad["people"] = [{"organization": "Ville de Vincennes"}]           # no name
    (tmp_path / "a.json").write_text(json.dumps(bad))
    (tmp_path / data["report"]).write_bytes((REAL / data["report"]).read_bytes())
    assert main(["evaluate", str(tmp_path / "a.json")]) == 2
    assert "malformed annotation" in capsys.readouterr().err


# -- the ratchet -------------------------------------------------------------------------------

def test_figures_do_not_fall_below_the_floors(today):
    """Floors are today's figures minus 0.02 (scripts/evaluation_floors.py writes them);
    raise them when the extraction improves. The issue's target is 0.9 everywhere."""
    floors = json.loads((REAL / "floors.json").read_text())
    assert set(floors["floors"]) == set(KINDS)
    low = [f"{kind} {m}: {today['overall'][kind][m]} < {floor}"
           for kind, fl in floors["floors"].items() for m, floor in fl.items()
           if floor is not None and (today["overall"][kind][m] or 0) < floor]
    assert not low, low
    assert today["must_not"]["violated"] <= floors["must_not_violated_max"]


def test_the_issues_target_holds_on_the_real_reports_and_the_seed(today):
    """Issue 13's bar: precision and recall at least 0.9 for every kind on the four real
    reports and the seed, and no must_not violated (the same as `evaluate --min 0.9`)."""
    from publik_kg.evaluation import below
    assert below({"overall": today["overall"]}, 0.9) == []
    assert today["must_not"]["violated"] == 0
