"""Reports in other layouts than the seed (our own texts, real collectivities):
participants as "Body, First Last : …" bullets and "Body (First Last)" headings."""
from __future__ import annotations

import pytest
from rdflib import Literal

from conftest import HERE, Q, make_dataset, shacl

REPORT = HERE / "data" / "reports" / "2017-06-club-publik-participants.md"


@pytest.fixture(scope="module")
def q2():
    return Q(make_dataset([REPORT]))


def org(q, code):
    rows = q.rows("SELECT DISTINCT ?o WHERE { { ?o club:inseeCode ?c } UNION { ?o a club:EPCI ; club:siren ?c } }", c=Literal(code))
    assert len(rows) == 1, code
    return rows[0][0]


def affiliated(q) -> set[tuple[str, str]]:
    """(person's name, code of their body: INSEE code, else SIREN, else "vendor")."""
    return {(str(n), str(c)) for n, c in q.rows(
        "SELECT ?n ?c WHERE { ?p a club:Person ; foaf:name ?n ; club:affiliation ?o . "
        "OPTIONAL { ?o club:inseeCode ?i } OPTIONAL { ?o club:siren ?s } BIND(COALESCE(?i, ?s, 'vendor') AS ?c) }")}


def test_meeting_header(q2):
    assert q2.ask('ASK WHERE { ?m club:ordinal 2 ; club:date "2017-06-15"^^xsd:date ; club:host ?h . '
                  '?h club:siren "200046977" . ?m club:venue/club:city/club:inseeCode "69123" }')


@pytest.mark.parametrize("code,people", [
    ("69266", {"Claire Morel", "Julien Petit"}), ("93048", {"Sophie Garnier"}),
    ("38", {"Marc Lefèvre"}), ("200040715", {"Nadia Roux"}),
])
def test_participants_and_affiliations(q2, code, people):
    o = org(q2, code)
    assert q2.ask("ASK WHERE { ?m club:attendee ?o }", o=o)
    assert q2.values("SELECT ?n WHERE { ?p club:affiliation ?o ; foaf:name ?n }", o=o) == people


def test_statements(q2):
    assert q2.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=org(q2, "93048")) == {"Publik", "Passerelle", "PayFip"}
    isere = org(q2, "38")
    assert q2.values("SELECT ?l WHERE { ?o club:evaluates/skos:prefLabel ?l }", o=isere) == {"Publik"}
    assert not q2.ask("ASK WHERE { ?o club:uses ?t }", o=isere)


def test_requests_and_answers(q2):
    rows = {(str(t)[:25], str(w)) for t, w in q2.rows(
        "SELECT ?t ?c WHERE { ?r a club:FeatureRequest ; club:text ?t ; club:raisedBy ?o . "
        "OPTIONAL { ?o club:inseeCode ?insee } OPTIONAL { ?o club:siren ?siren } "
        "BIND(COALESCE(?insee, ?siren, 'group') AS ?c) }")}
    assert rows == {("souhaiterait un module de", "69266"), ("Besoin de statistiques pa", "200040715"),
                    ("pouvoir signer électroniq", "group")}
    assert q2.ask("ASK WHERE { ?r club:text ?t ; club:response/club:stance club:UnderStudy FILTER(STRSTARTS(?t, 'Besoin')) }")
    assert q2.ask("ASK WHERE { ?r club:raisedBy/club:siren '200040715' ; club:topic <https://w3id.org/publik-kg/topics/statistiques> }")


PLAIN = HERE / "data" / "reports" / "2020-06-18-club-publik-9eme-reunion.txt"


@pytest.fixture(scope="module")
def q3():
    return Q(make_dataset([PLAIN]))


def test_plain_text_headings(q3):
    sessions = q3.values("SELECT ?l WHERE { ?m club:session/rdfs:label ?l }")
    assert sessions == {"Tour de table", "Demandes exprimées"}
    assert q3.ask('ASK WHERE { ?o club:inseeCode "69266" ; club:portal ?p . ?p club:date "2019-03"^^xsd:gYearMonth ; club:status club:Done }')
    assert q3.ask('ASK WHERE { ?o club:siren "200046977" ; club:portal ?p . ?p club:status club:PlannedStatus }')
    assert q3.ask("ASK WHERE { ?r club:raisedBy/club:inseeCode '69266' ; club:topic <https://w3id.org/publik-kg/topics/signature> }")
    assert q3.ask("ASK WHERE { ?r club:response/club:stance club:Planned }")


def test_meeting_day_without_year_takes_the_file_names_year(tmp_path):
    f = tmp_path / "2018-10-club-publik.md"
    f.write_text("# Club Publik\n\nLa réunion du club s'est tenue le lundi 1er octobre à Nancy.\n\n## Ateliers\n\n"
                 "Demande des participants : un export des demandes au format tableur.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert q.ask('ASK WHERE { ?m a club:Meeting ; club:date "2018-10-01"^^xsd:date ; club:venue/club:city/club:inseeCode "54395" }')


def test_bullets_under_a_requests_heading(tmp_path):
    f = tmp_path / "2021-03-club.md"
    f.write_text("# Club Publik\n\nLa dixième réunion du club s'est tenue le jeudi 11 mars 2021 à Rennes.\n\n"
                 "## Souhaits des participants\n\n"
                 "- Un connecteur vers le logiciel d'état civil ; retour Entr'ouvert : c'est prévu pour juin.\n"
                 "- Des statistiques par quartier, évoqué par Rennes Métropole\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    rows = q.rows("SELECT ?t ?kind WHERE { ?r a club:FeatureRequest ; club:text ?t ; club:raisedBy ?o . ?o a ?kind "
                  "FILTER(?kind IN (club:ParticipantGroup, club:Metropole)) }")
    assert {(str(t)[:20], str(k).rsplit("#")[-1]) for t, k in rows} == {
        ("Un connecteur vers l", "ParticipantGroup"), ("Des statistiques par", "Metropole")}
    assert q.ask("ASK WHERE { ?r club:text ?t ; club:response/club:stance club:Planned FILTER(STRSTARTS(?t, 'Un connecteur')) }")


FOUNDING = HERE / "data" / "reports" / "2016-06-club-publik-reunion-fondatrice.md"


@pytest.fixture(scope="module")
def q1():
    return Q(make_dataset([FOUNDING]))


def test_founding_meeting_header(q1):
    """"La réunion fondatrice … le mardi 14 juin 2016 à Paris, à l'occasion du salon …"."""
    assert q1.ask('ASK WHERE { ?m club:ordinal 1 ; club:date "2016-06-14"^^xsd:date ; '
                  'club:venue/club:city/club:inseeCode "75056" ; club:occasion ?o FILTER(STRSTARTS(?o, "salon Territoires")) }')
    assert q1.values("SELECT ?n WHERE { ?m club:ordinal 1 ; schema:name ?n }") == {"1re réunion du Club des utilisateurs Publik"}


def test_attendance_list_and_emphasized_participant_leads(q1):
    """"Étaient présents : Mairie de Montreuil, Rouen, Villeurbanne, la CAPI et le Département
    de l'Isère" — the CAPI by the acronym its official name carries."""
    present = {str(org(q1, c)) for c in ("93048", "76540", "69266", "243800604", "38")}
    assert q1.values("SELECT ?o WHERE { ?m a club:Meeting ; club:attendee ?o . ?o a club:Organization }") == present
    for code, person in (("93048", "Laurent Blanc"), ("243800604", "Sandrine Faure"), ("76540", "Thomas Leroy")):
        assert q1.values("SELECT ?n WHERE { ?p club:affiliation ?o ; foaf:name ?n }", o=org(q1, code)) == {person}


def test_statements_in_paragraphs(q1):
    montreuil, capi = org(q1, "93048"), org(q1, "243800604")
    assert q1.ask('ASK WHERE { ?o club:portal ?p . ?p club:date "2017-01"^^xsd:gYearMonth ; club:status club:PlannedStatus }', o=montreuil)
    assert q1.ask("ASK WHERE { ?r club:raisedBy ?o ; club:topic <https://w3id.org/publik-kg/topics/paiement> ; "
                  "club:tool <https://w3id.org/publik-kg/tools/payfip> ; club:response/club:stance club:Planned }", o=montreuil)
    assert q1.ask("ASK WHERE { ?r club:raisedBy ?o ; club:topic <https://w3id.org/publik-kg/topics/cartographie> }", o=capi)
    assert q1.values("SELECT ?l WHERE { ?o club:evaluates/skos:prefLabel ?l }", o=capi) == {"Publik"}
    assert q1.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=org(q1, "76540")) == {"Publik"}
    # PayFip is only wished for by Montreuil (and promised by the vendor): not a tool it uses
    assert "PayFip" not in q1.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=montreuil)


def test_a_product_named_after_its_kind_is_a_tool(tmp_path):
    """"des web-services avec la solution Mattermost" → the body uses Mattermost (a tool
    outside the gazetteer); a name of two capitalized words is read whole ("Ciril Finances"),
    never cut in half."""
    f = tmp_path / "2016-10-club-publik.md"
    f.write_text("# Club Publik\n\nLa réunion du club s'est tenue le jeudi 6 octobre 2016 à Metz.\n\n## Tour de table\n\n"
                 "### Ville de Metz (Claire Morel)\n\nLe projet utilise des web-services avec la solution Mattermost.\n"
                 "Les factures viennent du logiciel Ciril Finances.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert q.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=org(q, "57463")) == {"Mattermost", "Ciril Finances"}
    assert not q.ask('ASK WHERE { ?t skos:prefLabel "Ciril"@fr }')


def test_attendance_lists_as_items(tmp_path):
    """The items after "… Étaient présents :" (or under a "Participants" heading) are the
    attendees, written in the usual ways; people as sub-items belong to the body above."""
    f = tmp_path / "2017-02-club-publik.md"
    f.write_text("# Club Publik\n\nLa troisième réunion du club s'est tenue le jeudi 9 février 2017 à Lyon.\n\n"
                 "## Participants\n\nLa neige a retenu plusieurs collectivités. Étaient présents :\n\n"
                 "- Hélène Girard (Ville de Vincennes)\n- Paul Martin, Montpellier Méditerranée Métropole\n"
                 "- Ville de Nancy : Olivier Simon, Marie Durand\n- Loïc Roux - DSI de Villejuif\n"
                 "- Ville de Rouen\n  - Anne Petit\n- Jean Dupont, Entr'ouvert\n\n"
                 "## Tour de table\n\nRouen utilise Publik.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert affiliated(q) == {("Hélène Girard", "94080"), ("Paul Martin", "243400017"), ("Olivier Simon", "54395"),
                      ("Marie Durand", "54395"), ("Loïc Roux", "94076"), ("Anne Petit", "76540"), ("Jean Dupont", "vendor")}
    assert q.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=org(q, "76540")) == {"Publik"}
    # only the sentence before the lead-in is left uninterpreted
    assert q.values("SELECT ?l WHERE { ?r club:skippedLine/rdfs:label ?l }") == {
        "La neige a retenu plusieurs collectivités. Étaient présents :"}


def test_attendance_as_a_table(tmp_path):
    """A table under "Participants": one row per body, its people in the next cell."""
    f = tmp_path / "2017-02-club-publik.md"
    f.write_text("# Club Publik\n\nLa troisième réunion du club s'est tenue le jeudi 9 février 2017 à Lyon.\n\n"
                 "## Liste des participants\n\n| Collectivité | Participants |\n|---|---|\n"
                 "| Ville de Nancy | Olivier Simon, Marie Durand |\n| Ville de Rouen | Anne Petit |\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert {(str(n), str(c)) for n, c in q.rows("SELECT ?n ?c WHERE { ?p foaf:name ?n ; club:affiliation/club:inseeCode ?c }")} \
        == {("Olivier Simon", "54395"), ("Marie Durand", "54395"), ("Anne Petit", "76540")}


def test_questions_and_answers(tmp_path):
    """"Question de X : … ? Réponse : …", "Q (X) : … ? R : …" and "… → Entr'ouvert : …"."""
    f = tmp_path / "2022-06-16-club-publik.md"
    f.write_text("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 en visioconférence.\n\n"
                 "## Questions des utilisateurs\n\n"
                 "Question de la Ville de Metz : est-il prévu de pouvoir signer les documents ?\n"
                 "Réponse : c'est prévu pour la fin de l'année.\n\n"
                 "Q (Strasbourg) : peut-on exporter les statistiques au format ODS ? R : oui, c'est déjà possible.\n\n"
                 "- La Ville de Rouen souhaite un module de prise de rendez-vous → Entr'ouvert : pas pour l'instant.\n",
                 encoding="utf-8")
    q = Q(make_dataset([f]))
    got = {(str(c), str(t)[:25], str(st).rsplit("#")[-1]) for c, t, st in q.rows(
        "SELECT ?c ?t ?st WHERE { ?r a club:FeatureRequest ; club:text ?t ; club:raisedBy/club:inseeCode ?c ; "
        "club:response/club:stance ?st }")}
    assert got == {("57463", "est-il prévu de pouvoir s", "Planned"), ("67482", "peut-on exporter les stat", "Accepted"),
                   ("76540", "un module de prise de ren", "DeclinedForNow")}


def test_a_departement_by_its_code_glued(tmp_path):
    f = tmp_path / "2022-06-16-club-publik.md"
    f.write_text("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 à Marseille.\n\n## Tour de table\n\n"
                 "Le CD13 utilise Publik pour les aides sociales.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert q.values('SELECT ?l WHERE { ?o club:inseeCode "13" ; club:uses/skos:prefLabel ?l }') == {"Publik"}


def test_paragraphs_led_by_a_participant(tmp_path):
    """"Body : …", "Body (Person) : …", "Pour Body, …", "À Body, …" paragraphs are that body's
    statements; "utilise A et teste B" uses A and evaluates B; "son usage de X" uses X."""
    f = tmp_path / "2022-06-16-club-publik.md"
    f.write_text("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 à Lyon.\n\n## Tour de table\n\n"
                 "Ville de Metz : le portail a ouvert en mars 2018 ; Metz souhaiterait un connecteur vers l'état civil.\n\n"
                 "Métropole de Lyon (Claire Morel) : utilise Publik depuis 2019 et teste Tracim.\n\n"
                 "Pour la Ville de Rouen, le besoin principal est la cartographie des signalements.\n\n"
                 "À Nancy, le portail ouvrira au printemps 2023.\n\n"
                 "Strasbourg a présenté son usage de PayFip pour la cantine.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    tools = {(str(c), str(rel).rsplit("#")[-1], str(t)) for c, rel, t in q.rows(
        "SELECT ?c ?rel ?t WHERE { ?o ?rel ?tool . ?tool skos:prefLabel ?t . VALUES ?rel { club:uses club:evaluates } "
        "OPTIONAL { ?o club:inseeCode ?i } OPTIONAL { ?o club:siren ?s } BIND(COALESCE(?i, ?s) AS ?c) }")}
    assert tools == {("200046977", "uses", "Publik"), ("200046977", "evaluates", "Tracim"), ("67482", "uses", "PayFip")}
    assert {str(c) for (c,) in q.rows("SELECT ?c WHERE { ?r a club:FeatureRequest ; club:raisedBy/club:inseeCode ?c }")} \
        == {"57463", "76540"}
    assert {(str(c), str(d)) for c, d in q.rows("SELECT ?c ?d WHERE { ?o club:inseeCode ?c ; club:portal/club:date ?d }")} \
        == {("57463", "2018-03"), ("54395", "2023")}
    assert q.values("SELECT ?n WHERE { ?p club:affiliation/club:siren '200046977' ; foaf:name ?n }") == {"Claire Morel"}


def test_a_table_of_requests(tmp_path):
    """A table's header says what its columns hold: the request, who asked, the answer."""
    f = tmp_path / "2022-06-16-club-publik.md"
    f.write_text("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 à Lyon.\n\n## Demandes d'évolution\n\n"
                 "| Demande | Collectivité | Réponse d'Entr'ouvert |\n|---|---|---|\n"
                 "| Export ODS des statistiques | Rouen | prévu pour juin |\n"
                 "| Signature électronique des documents | Ville de Metz | |\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    got = {(str(t), str(c), str(st).rsplit("#")[-1] if st else None) for t, c, st in q.rows(
        "SELECT ?t ?c ?st WHERE { ?r a club:FeatureRequest ; club:text ?t ; club:raisedBy/club:inseeCode ?c "
        "OPTIONAL { ?r club:response/club:stance ?st } }")}
    assert got == {("Export ODS des statistiques", "76540", "Planned"),
                   ("Signature électronique des documents", "57463", None)}


def test_cards_written_as_key_value_lines(tmp_path):
    """A section headed by one body's name, written as "key : value" lines, is its card:
    opening, counts, tools used and in test, projects, needs."""
    f = tmp_path / "2019-06-13-club.md"
    f.write_text("# Club Publik\n\nLa 7e réunion du club s'est tenue le jeudi 13 juin 2019 à Nancy.\n\n"
                 "## Fiches des collectivités\n\n### Ville de Villeurbanne\n\n"
                 "- Date d'ouverture du portail : mars 2018\n- Nombre de démarches en ligne : 45\n"
                 "- Outils utilisés : Publik, Passerelle\n- Projets : paiement en ligne via PayFip en 2020\n"
                 "- Besoins : signature électronique des actes\n\n### Département de la Gironde\n\n"
                 "- Ouverture : septembre 2017\n- Logiciels en test : NextCloud\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    v, g = org(q, "69266"), org(q, "33")
    assert q.values("SELECT ?d WHERE { ?o club:portal/club:date ?d }", o=v) == {"2018-03"}
    assert q.values("SELECT ?d WHERE { ?o club:portal/club:date ?d }", o=g) == {"2017-09"}
    assert q.values("SELECT ?v WHERE { ?o club:card/club:figure/club:value ?v }", o=v) == {"45"}
    assert q.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=v) >= {"Publik", "Passerelle"}
    assert q.values("SELECT ?l WHERE { ?o club:evaluates/skos:prefLabel ?l }", o=g) == {"NextCloud"}
    assert q.values("SELECT ?t WHERE { ?r a club:PlannedEvolution ; club:raisedBy ?o ; club:text ?t }", o=v) == {
        "paiement en ligne via PayFip en 2020"}
    assert q.values("SELECT ?t WHERE { ?r a club:FeatureRequest ; club:raisedBy ?o ; club:text ?t }", o=v) == {
        "signature électronique des actes"}


@pytest.mark.parametrize("name, date", [("2019-06-13-club.md", "2019-06-13"), ("2019-06-club.md", "2019-06"),
                                        ("compte-rendu-club.md", None)])
def test_a_meeting_the_text_does_not_date(tmp_path, name, date):
    """"La dixième réunion du club" without a date: the file's name dates it, else its rank
    alone identifies it — and the graph stays valid either way."""
    f = tmp_path / name
    f.write_text("# Club Publik\n\nLa dixième réunion du club s'est tenue à Metz.\n\n## Tour de table\n\n"
                 "Rouen utilise Publik.\n", encoding="utf-8")
    ds = make_dataset([f])
    q = Q(ds)
    assert q.values("SELECT ?d WHERE { ?m club:ordinal 10 OPTIONAL { ?m club:date ?d } }") == ({date} if date else {"None"})
    assert shacl(ds.store).conforms


def test_presentation_speakers_with_their_body_and_tools_as_subjects(tmp_path):
    f = tmp_path / "2018-06-14-club.md"
    f.write_text("# Club Publik\n\nLa 5e réunion du club s'est tenue le 14 juin 2018 à Strasbourg.\n\n## Matin\n\n"
                 "### Présentation de la feuille de route par Jeanne Martin (Entr'ouvert)\n\nNouveautés : agenda.\n\n"
                 "### Démonstration de Publik Studio\n\nLes formulaires se construisent en ligne.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    rows = {(str(t), str(n)) for t, n in q.rows(
        "SELECT ?t ?n WHERE { ?p a club:Presentation ; rdfs:label ?t . OPTIONAL { ?p club:speaker/foaf:name ?n } }")}
    assert rows == {("Présentation de la feuille de route", "Jeanne Martin"), ("Démonstration de Publik Studio", "None")}
    assert q.ask("ASK WHERE { ?p foaf:name 'Jeanne Martin' ; club:affiliation club:EntrOuvert }")


def test_public_bodies_outside_the_official_lists_are_not_their_territory(tmp_path):
    """"CCAS de Rouen", "SDIS 13": bodies of their own, named as written — not Rouen, not the
    Bouches-du-Rhône."""
    f = tmp_path / "2022-06-16-club.md"
    f.write_text("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 à Lyon.\n\n## Tour de table\n\n"
                 "- CCAS de Rouen : utilise Publik pour les aides facultatives.\n- SDIS 13 : étudie Publik.\n",
                 encoding="utf-8")
    ds = make_dataset([f])
    q = Q(ds)
    assert {(str(n), str(r).rsplit("#")[-1]) for n, r in q.rows(
        "SELECT ?n ?r WHERE { ?o ?r <https://w3id.org/publik-kg/tools/publik> ; skos:prefLabel ?n . "
        "VALUES ?r { club:uses club:evaluates } }")} == {
        ("CCAS de Rouen", "uses"), ("SDIS 13", "evaluates")}
    assert not q.rows("SELECT ?o WHERE { ?o club:inseeCode ?c FILTER(?c IN ('76540', '13')) }")   # the venue Lyon only
    assert shacl(ds.store).conforms


@pytest.mark.parametrize("title", ["Club utilisateurs Publik n°9 — 18 juin 2020", "Club Publik #9 (18/06/2020)",
                                   "9e Club Publik, le 18 juin 2020"])
def test_the_title_dates_and_ranks_the_meeting(tmp_path, title):
    f = tmp_path / "compte-rendu.md"
    f.write_text(f"# {title}\n\nLe club s'est réuni à Rennes, à l'invitation de Rennes Métropole.\n\n## Tour de table\n\n"
                 "Rouen utilise Publik.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert q.ask('ASK WHERE { ?m club:ordinal 9 ; club:date "2020-06-18"^^xsd:date ; club:host/club:siren "243500139" ; '
                 'club:venue/club:city/club:inseeCode "35238" }')


def test_a_tour_de_table_as_a_table_and_bold_lines_as_headings(tmp_path):
    """A table whose first column names the body, then its people, then what they said, is a
    tour de table ("Body, People : text"); "**Tour de table**" alone on its line is a heading."""
    f = tmp_path / "2019-03-club-publik.md"
    f.write_text("**Troisième réunion du club**\n\nJeudi 14 mars 2019 s'est tenue la troisième réunion du Club "
                 "utilisateurs Publik à Rennes.\n\n**Tour de table**\n\n"
                 "| Structure | Représentants | Présentation |\n|---|---|---|\n"
                 "| Ville de Quimper | Gaëlle Le Bihan | Quimper utilise Publik depuis 2017 pour l'état civil. |\n"
                 "| Brest Métropole | Yann Kerleroux, Soizic Morvan | projet de portail agents en 2019. |\n",
                 encoding="utf-8")
    q = Q(make_dataset([f]))
    assert affiliated(q) == {("Gaëlle Le Bihan", "29232"), ("Yann Kerleroux", "242900314"), ("Soizic Morvan", "242900314")}
    assert q.values("SELECT ?l WHERE { ?o club:uses/skos:prefLabel ?l }", o=org(q, "29232")) == {"Publik"}


def test_an_attendance_sentence_of_people_with_their_bodies(tmp_path):
    """"Étaient présents : A (Body), B et C (Body), Body": people first, each with the body in
    the parentheses after them (shared by the names that run up to it), then bodies alone; a
    first name that is also a place ("Aude", "Florence") stays a person's."""
    f = tmp_path / "2019-03-club-publik.md"
    f.write_text("Jeudi 14 mars 2019 s'est tenue la troisième réunion du Club utilisateurs Publik à Rennes.\n\n"
                 "Étaient présents : Aude Rivière (Ville de Lorient), Florence Nédélec et Hugo Tanguy (Brest Métropole), "
                 "Vannes.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert affiliated(q) == {("Aude Rivière", "56121"), ("Florence Nédélec", "242900314"), ("Hugo Tanguy", "242900314")}
    assert q.ask("ASK WHERE { ?m club:attendee ?o }", o=org(q, "56260"))          # Vannes
    assert not q.ask("ASK WHERE { ?m club:attendee/club:inseeCode ?c }", c=Literal("11"))   # not the Aude


def test_plain_text_minutes_with_numbered_capital_headings_lettered_items_and_answers(tmp_path):
    """A .txt report: "2 - DEMANDES" is a heading, "a) Body : request" items with an indented
    "Réponse : …" line, "Topic (Body) : request -> EO : answer" items under a plain heading
    written right above its list."""
    f = tmp_path / "cr-club.txt"
    f.write_text("CR Club Publik n°9 — 14/03/2024\n\nLieu : Angers\n\n\n1 - PARTICIPANTS\n\n"
                 "Une vingtaine de présents.\n\n\n2 - DEMANDES\n\nDemandes recueillies en séance :\n\n"
                 "  a) Ville de Cholet : pouvoir exporter les rendez-vous au format iCalendar.\n"
                 "     Réponse : inscrit à la roadmap, livraison prévue en juin.\n\n"
                 "  b) Saumur : un tableau de bord des délais par service.\n"
                 "     Réponse : Entr'ouvert va étudier la question.\n\n"
                 "Autres demandes\n"
                 "* Paiement (Angers Loire Métropole) : payer en plusieurs fois la cantine -> EO : pas au programme.\n",
                 encoding="utf-8")
    q = Q(make_dataset([f]))
    rows = {(str(t)[:20], str(c), str(s)) for t, c, s in q.rows(
        "SELECT ?t ?c ?s WHERE { ?r a club:Request ; club:text ?t ; club:raisedBy ?o ; club:response/club:stance/skos:notation ?s . "
        "OPTIONAL { ?o club:inseeCode ?i } OPTIONAL { ?o club:siren ?n } BIND(COALESCE(?i, ?n) AS ?c) }")}
    assert rows == {("pouvoir exporter les", "49099", "planned"), ("un tableau de bord d", "49328", "under-study"),
                    ("payer en plusieurs f", "244900015", "declined-for-now")}


def test_questions_in_bold_with_their_answers(tmp_path):
    f = tmp_path / "2024-03-12-webinaire.md"
    f.write_text("# Webinaire du club\n\nLe webinaire s'est tenu en ligne le mardi 12 mars 2024.\n\n## Questions\n\n"
                 "**Q. (Ville de Niort, Paul Roux)** Peut-on exporter les délais de traitement par agent ?\n"
                 "**R.** Non, EO ne le fera pas : un indicateur par équipe est possible.\n", encoding="utf-8")
    q = Q(make_dataset([f]))
    assert q.values("SELECT ?s WHERE { ?r club:text ?t ; club:raisedBy/club:inseeCode \"79191\" ; "
                    "club:response/club:stance/skos:notation ?s }") == {"declined-for-now"}
