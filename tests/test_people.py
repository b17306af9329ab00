"""People named in prose (graph/people.py): candidates from the language model and a name
pattern, confirmed by INSEE first names, the gazetteer and the tool vocabulary; the body
named with them; a speaker's role. Every sentence here is ours, with other names and bodies
than the real reports that prompted the rules."""
from __future__ import annotations

import pytest

from publik_kg import firstnames, nlp
from publik_kg.agents import AgentFinder
from publik_kg.dataset import load_gazetteer
from publik_kg.extract import parse_report
from publik_kg.people import FirstNames, PeopleFinder
from publik_kg.vocab import lexicons

FIRST = FirstNames(firstnames.is_first_name, firstnames.is_ambiguous)


@pytest.fixture(scope="module")
def finder():
    tools = lexicons().tools
    return PeopleFinder(AgentFinder(load_gazetteer(), set()), FIRST, lambda n: bool(tools.find_terms(n)))


def people(finder, sentence: str):
    return finder.find(sentence, nlp.entities([sentence])[0])


@pytest.mark.parametrize("sentence, name", [
    ("Présentation par Rennes Métropole, Hélène Garnier.", "Hélène Garnier"),
    ("Le bilan a été dressé par Thomas Lefèvre, qui pilote le projet.", "Thomas Lefèvre"),
    ("Intervention de Jean-Baptiste Moreau sur la gestion des déchets.", "Jean-Baptiste Moreau"),
    ("La séance était animée par Madame Sophie Lambert.", "Sophie Lambert"),
    ("Retour de Nadia Benali et de Karim Haddad sur les démarches sociales.", "Nadia Benali"),
    ("Étaient excusés : GARNIER Hélène et ROUX Paul.", "Hélène GARNIER"),
    ("Un échange avec Pierre-Yves Le Goff a suivi.", "Pierre-Yves Le Goff"),
])
def test_names_in_prose(finder, sentence, name):
    assert name in [p.name for p in people(finder, sentence)]


@pytest.mark.parametrize("sentence", [
    "La réunion de Metz Métropole a été reportée.",                  # a body
    "Les agents de Saint-Étienne Métropole utilisent Publik.",       # a body
    "Le portail Enlarge your Publik a été présenté.",                # a product
    "Claire a ensuite proposé une démonstration.",                   # a lone first name
    "Le Conseil Municipal a voté le budget.",                        # capitalised words, no first name
    "Rendez-vous à Bourg-la-Reine pour la suite.",                   # a place
])
def test_not_people(finder, sentence):
    assert people(finder, sentence) == []


@pytest.mark.parametrize("sentence, name, body", [
    ("Présentation par Rennes Métropole, Hélène Garnier.", "Hélène Garnier", "Rennes Métropole"),
    ("Julien Petit (Ville de Grenoble) a présenté le portail famille.", "Julien Petit", "Grenoble"),
    ("Nous avons entendu Camille Robert, DSI de Lorient Agglomération.", "Camille Robert", "Lorient Agglomération"),
    ("Présentation d'Entr'ouvert par Lucie Fabre.", "Lucie Fabre", None),
])
def test_body_named_with_the_person(finder, sentence, name, body):
    found = {p.name: p for p in people(finder, sentence)}
    got = found[name].org
    assert (got.label if got else None) == body or (body and body in got.label)


def test_a_speaker_is_said_by_a_talk(finder):
    (talk,) = people(finder, "Présentation par Rennes Métropole, Hélène Garnier.")
    (named,) = people(finder, "Hélène Garnier a rejoint la métropole en 2019.")
    assert talk.role == "speaker" and named.role == "named"


HEAD = ("Jeudi 14 mars 2024 s'est tenue la onzième réunion du Club des utilisateurs Publik, à distance.\n\n"
        "## Nouveautés\n\n")


def test_report_people_link_to_their_body_and_the_meeting():
    r = parse_report(HEAD + "Présentation par Entr'ouvert, Lucie Fabre.\n\n"
                     "Lucie a montré le nouveau tableau de bord ; Thomas Lefèvre (Brest Métropole) a posé "
                     "une question sur les exports.\n", lexicons(), load_gazetteer(), "x.md")
    labels = {a.label: a for a in r.attendees + r.mentioned if a.kind == "person"}
    assert set(labels) == {"Lucie Fabre", "Thomas Lefèvre"}         # "Lucie" alone is Lucie Fabre
    affiliated = {p.label: o.label for p, o in r.affiliations}
    assert affiliated["Lucie Fabre"] == "Entr'ouvert"
    assert "Brest" in affiliated["Thomas Lefèvre"]
    assert labels["Lucie Fabre"] in r.attendees                     # she spoke


@pytest.mark.parametrize("sentence, names, body", [
    ("Pour Entr'ouvert : Léa Fournier, Yann Le Bihan et Paul Morel.", ["Léa Fournier", "Yann Le Bihan", "Paul Morel"], "Entr'ouvert"),
    ("Étaient là Anne Roux, Hugo Petit et Karim Haddad (Brest Métropole).", ["Anne Roux", "Hugo Petit", "Karim Haddad"], "Brest"),
])
def test_names_listed_together_share_their_body(finder, sentence, names, body):
    found = {p.name: p for p in people(finder, sentence)}
    assert all(found[n].org is not None and body in found[n].org.label for n in names)


@pytest.mark.parametrize("sentence", [
    "Rendez-vous salle Jean Moulin, au 5 rue Victor Hugo.",
    "La loi Jules Ferry reste la référence.",
])
def test_places_and_things_named_after_people_name_no_one(finder, sentence):
    assert people(finder, sentence) == []


def test_absence_is_read_in_the_names_own_clause(finder):
    got = {p.name: p.role for p in people(finder, "Paul Roux (Brest), en remplacement de Marie Dupont, a présenté le portail.")}
    assert got == {"Paul Roux": "named", "Marie Dupont": "absent"}
