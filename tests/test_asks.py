"""Requests said in prose and the vendor's commitments that answer them (graph/asks.py), alone
and in a report. Every sentence here is ours: other bodies, verbs and wishes than the real
report that prompted the rules."""
from __future__ import annotations

import pytest

from publik_kg.agents import AgentFinder
from publik_kg.asks import find_ask, find_commitment
from publik_kg.dataset import load_gazetteer
from publik_kg.extract import parse_report
from publik_kg.vocab import lexicons


@pytest.fixture(scope="module")
def finder():
    return AgentFinder(load_gazetteer(), set())


@pytest.mark.parametrize("sentence, who, text", [
    ("En fin de journée, les participants ont plébiscité l'idée d'un annuaire partagé des connecteurs.",
     "participants", "un annuaire partagé des connecteurs"),
    ("Brest Métropole souhaiterait pouvoir exporter les demandes au format tableur.",
     "Brest Métropole", "exporter les demandes au format tableur"),
    ("Plusieurs collectivités ont exprimé le besoin d'un mode hors ligne pour les agents de terrain.",
     "participants", "un mode hors ligne pour les agents de terrain"),
    ("Le Département du Gard réclame une meilleure gestion des pièces jointes volumineuses.",
     "Gard", "une meilleure gestion des pièces jointes volumineuses"),
    ("Lors des échanges, certains utilisateurs ont demandé que les brouillons soient conservés plus longtemps.",
     "participants", "les brouillons soient conservés plus longtemps"),
])
def test_asks_in_prose(finder, sentence, who, text):
    ask = find_ask(sentence, finder)
    assert ask is not None and ask.text == text
    assert any(who in a.label for a in ask.who)


@pytest.mark.parametrize("sentence", [
    "Le formulaire demande une adresse électronique valide.",          # a thing asks, no one
    "Nous souhaitons la bienvenue aux nouveaux membres du club.",      # a pronoun, a greeting
    "Les participants ont demandé la parole.",                         # too short to be a request
    "La métropole utilise Publik depuis 2018.",                        # no verb of asking
])
def test_not_asks(finder, sentence):
    assert find_ask(sentence, finder) is None


@pytest.mark.parametrize("sentence, stance", [
    ("Entr'ouvert mettra à disposition un espace de partage des modèles.", "accepted"),
    ("EO proposera une session de formation en ligne au printemps.", "accepted"),
    ("Entr'ouvert va étudier la question avec les collectivités intéressées.", "under-study"),
    ("En réponse, Entr'ouvert prévoit une première version pour l'automne.", "planned"),
])
def test_vendor_commitments(sentence, stance):
    said = find_commitment(sentence)
    assert said is not None and said.stance == stance


def test_not_commitments():
    assert find_commitment("Entr'ouvert a présenté les nouveautés de l'année.") is None
    assert find_commitment("La métropole mettra à disposition ses modèles.") is None


def test_a_prose_request_is_answered_by_the_commitment_after_it():
    text = ("Mardi 5 novembre 2024 s'est tenue la onzième réunion du Club des utilisateurs Publik.\n\n"
            "## Suites à donner\n\n"
            "En conclusion, les participants ont plébiscité l'idée d'ateliers thématiques trimestriels animés par "
            "les collectivités. Entr'ouvert organisera le premier atelier en janvier.\n")
    r = parse_report(text, lexicons(), load_gazetteer(), "x.md")
    (req,) = [q for q in r.requests if "ateliers thématiques" in q.text]
    assert req.raisers and req.raisers[0].kind == "group"
    assert req.response is not None and req.response.stances == ["accepted"]
    assert "premier atelier" in req.response.text


# -- a list led by a verb of asking, answered together afterwards --------------------------

from publik_kg.answers import align, answer_body  # noqa: E402
from publik_kg.asks import find_lead  # noqa: E402


@pytest.mark.parametrize("sentence, who", [
    ("Les échanges ont été nourris et les communes rurales réclament notamment :", "participants"),
    ("Rennes Métropole souhaiterait pouvoir :", "Rennes Métropole"),
    ("Pendant l'atelier, plusieurs participants ont demandé :", "participants"),
])
def test_a_list_led_by_a_verb_of_asking(finder, sentence, who):
    got = find_lead(sentence, finder)
    assert got and any(who in a.label for a in got)


def test_no_list_lead_without_a_verb_of_asking(finder):
    assert find_lead("Les points abordés étaient les suivants :", finder) is None


@pytest.mark.parametrize("text, body", [
    ("Réponse de l'éditeur : la signature par lot arrive en mars.", "la signature par lot arrive en mars."),
    ("Paul Girard a répondu en séance : rien n'est prévu.", "rien n'est prévu."),
    ("→ EO : c'est à l'étude.", "c'est à l'étude."),
    ("En réponse, Entr'ouvert indique que le module sera livré en mai.", "le module sera livré en mai."),
])
def test_answers_opening_a_paragraph(text, body):
    assert answer_body(text, lambda who: who in ("l'éditeur", "Paul Girard", "EO", "Entr'ouvert")) == body


def test_an_answer_that_is_not_the_vendors():
    assert answer_body("Réponse de la Ville de Brest : nous testons.", lambda who: "Entr'ouvert" in who) is None


def test_each_part_of_an_answer_goes_to_the_request_it_is_about():
    requests = ["pouvoir exporter les statistiques au format tableur",
                "des notifications par SMS aux usagers",
                "un annuaire des démarches par commune"]
    answer = ("Les notifications SMS passent déjà par un connecteur. L'export tableur des statistiques "
              "est prévu en juin ; pour l'annuaire, rien n'est décidé.")
    got = align(requests, answer)
    assert "SMS" in got[1] and "tableur" in got[0] and "annuaire" in got[2]


def test_a_part_about_no_request_answers_none():
    assert align(["un export au format tableur"], "Merci à tous pour ces échanges.") == {}
