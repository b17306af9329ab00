"""Organizations named anywhere in a report: the gazetteer's ways of naming a body and the
mention stage that finds them in prose and list items (fast, in memory)."""
import pytest

from publik_kg.gazetteer import load


@pytest.fixture(scope="module")
def gaz():
    return load()


# -- the gazetteer: names people use ---------------------------------------------------

@pytest.mark.parametrize("surface,code", [
    # a kind word before any name of the body, official or alias
    ("Métropole Grand Lyon", "200046977"),
    ("la Métropole du Grand Paris", "200054781"),
    ("Métropole Eurométropole", None),
    # a kind word after the name, in any case
    ("Brest métropole", "242900314"),
    ("Nantes métropole", "244400404"),
    ("Sicoval agglomération", "243100633"),
    ("Lyon Métropole", "200046977"),
    # the distinctive part of an EPCI's official name, alone, in any case
    ("SICOVAL", "243100633"),
    ("Niortais", "200041317"),
    ("Agglomération du Sicoval", "243100633"),
])
def test_an_epci_under_the_names_people_use(gaz, surface, code):
    b = gaz.resolve(surface)
    if code is None:
        assert b is None or b.kind == "epci"
    else:
        assert b is not None and b.kind == "epci" and b.code == code, (surface, b)


def test_a_common_noun_in_an_epci_name_is_not_a_name_alone(gaz):
    # "CC de la Forêt", "CC des Loges": "Forêt" and "Loges" alone name nothing
    assert gaz.resolve("CC de la Forêt") is not None
    for word in ("Forêt", "Loges", "Estuaire"):
        assert gaz.resolve(word) is None or gaz.resolve(word).kind == "commune", word


@pytest.mark.parametrize("surface,code,name", [
    ("Oullins", "69149", "Oullins-Pierre-Bénite"),           # commune déléguée, 2024
    ("Pierre-Bénite", "69149", "Oullins-Pierre-Bénite"),
    ("Bellegarde-sur-Valserine", "01033", "Valserhône"),
    ("Pierrefitte-sur-Seine", "93066", "Saint-Denis"),
])
def test_a_former_commune_names_the_commune_nouvelle(gaz, surface, code, name):
    b = gaz.resolve(surface)
    assert b is not None and (b.kind, b.code, b.name) == ("commune", code, name)


def test_a_current_commune_wins_over_a_former_one_of_that_name(gaz):
    # Saint-Denis (93) absorbed Pierrefitte-sur-Seine; its own name stays ambiguous (97411)
    assert gaz.resolve("Saint-Denis") is None
    assert gaz.resolve("Metz").code == "57463"


# -- the mention stage: bodies in any sentence, with their role ---------------------------

from publik_kg.agents import AgentFinder  # noqa: E402
from publik_kg.extract import parse_report  # noqa: E402
from publik_kg.mentions import find_mentions  # noqa: E402
from publik_kg.vocab import lexicons  # noqa: E402


def _found(gaz, sentence):
    return [(m.agent.body.kind if m.agent.body else "other", m.agent.body.code if m.agent.body else m.agent.label,
             m.role) for m in find_mentions(sentence, AgentFinder(gaz, set()))]


@pytest.mark.parametrize("sentence,code", [
    # a talk given by a body named after "de" / "par", its kind word in either order
    ("Retour d'expérience de Nantes Métropole sur la collecte des déchets", "244400404"),
    ("Présentation de la Métropole Européenne de Lille (début à 10h02)", "200093201"),
    ("Témoignage sur le stationnement résidentiel de Brest métropole", "242900314"),
    ("Bilan de la journée par la métropole de Rennes.", "243500139"),
    ("Retour d'expérience sur le RGS de Métropole du Grand Nancy", "245400676"),
])
def test_a_talk_names_its_body_a_participant_and_the_longest_name_wins(gaz, sentence, code):
    assert _found(gaz, sentence) == [("epci", code, "participant")]


@pytest.mark.parametrize("sentence,code", [
    ("Nous remercions l'équipe de Quimper pour son accueil.", "29232"),
    ("Les équipes de la Ville de Nantes ont préparé les ateliers.", "44109"),
    ("Merci à la mairie de Vannes pour l'organisation.", "56260"),
])
def test_a_team_or_thanks_makes_a_commune_a_participant(gaz, sentence, code):
    assert _found(gaz, sentence) == [("commune", code, "participant")]


@pytest.mark.parametrize("sentence", [
    "La réunion a eu lieu à Quimper les 3 et 4 octobre.",
    "L'an dernier, réunis à Brest, nous étions une trentaine.",
    "Mutualisation probable entre la ville centre et la métropole.",
    "La région est couverte par le projet.",
    "Supports : https://example.org/club/ClubQuimper-RetourExperienceNantesMetropole.pdf",
])
def test_a_place_a_territory_in_another_body_or_a_url_is_no_body(gaz, sentence):
    assert _found(gaz, sentence) == []


@pytest.mark.parametrize("sentence,name", [
    ("Le CCAS de Rouen utilise Publik.", "CCAS de Rouen"),
    ("Le Centre de gestion du Rhône étudie la solution.", "Centre de gestion du Rhône"),
])
def test_another_body_is_named_as_far_as_its_name_goes_not_its_territory(gaz, sentence, name):
    assert _found(gaz, sentence) == [("other", name, "mentioned")]


def test_a_body_named_without_a_cue_is_mentioned(gaz):
    assert _found(gaz, "Le projet s'inspire de ce que fait Toulouse Métropole.") == [
        ("epci", "243100518", "mentioned")]


def test_programme_items_give_the_presenting_bodies_not_their_communes(gaz):
    text = ("# 14e réunion\n\nLe quatorzième club utilisateurs Publik a eu lieu à Quimper le 3 octobre 2024.\n"
            "Nous remercions l'équipe de Quimper pour son accueil.\n\n## Programme\n\n"
            "- Ouverture (début à 2min)\n"
            "- Retour d'expérience sur la gestion des déchets de Nantes métropole (début à 1h02)\n"
            "- Présentation de la Métropole Européenne de Lille (début à 2h10)\n\n"
            "## Divers\n\nLe projet s'inspire de ce que fait Grand Lyon. L'an dernier, réunis à Brest, nous étions 40.\n")
    r = parse_report(text, lexicons(), gaz, "2024-10-03-club.md")
    attending = {a.body.code for a in r.attendees if a.body}
    assert {"29232", "244400404", "200093201"} <= attending
    assert not attending & {"44109", "59350", "29019", "69123"}          # not the communes
    assert {a.body.code for a in r.mentioned if a.body} == {"200046977"}  # named, not at the meeting


# -- names a report introduces: initials, bodies named with their kind -------------------

def test_initials_of_a_body_the_report_names(gaz):
    """"… de la Communauté d'agglomération du Pays Basque. Merci aux équipes de la CAPB":
    initials of a body named in the same report name it; initials of no body named stay unread."""
    text = ("La réunion du club s'est tenue le jeudi 3 octobre 2024 à Bayonne, dans les locaux de la "
            "Communauté d'agglomération du Pays Basque. Merci aux équipes de la CAPB pour leur accueil.\n\n"
            "## Tour de table\n\nLa CAPB utilise Publik ; le XYZT aussi.\n")
    r = parse_report(text, lexicons(), gaz, "x.md")
    (capb,) = [a for a in r.attendees if a.body and a.body.kind == "epci" and "Pays Basque" in a.body.name]
    assert r.host is capb and ("CAPB" in capb.surface) and (capb, "publik") in r.uses
    assert not any("XYZT" in a.label for a in r.attendees + r.mentioned)


@pytest.mark.parametrize("sentence, name", [
    ("Rennes s'appuie sur un syndicat informatique, le SIB, pour son hébergement.", "SIB"),
    ("Karine Morel, SITIV (syndicat mixte, Rhône) a présenté ses démarches.", "SITIV"),
    ("Le déploiement a été confié à Axians SAS au printemps.", "Axians SAS"),
    ("Mégalis, une association de collectivités bretonnes, ouvre un service.", None),   # no acronym, no legal form
])
def test_bodies_named_with_their_kind(gaz, sentence, name):
    finder = AgentFinder(gaz, set())
    finder.learn(sentence)
    assert ([a.label for a in finder.named.values()] or [None]) == [name]
    if name:
        assert any(m.agent.label == name for m in find_mentions(sentence, finder))
