"""Topics of requests, matched on the language model's lemmas (graph/lexicon.py, graph/nlp.py),
with the project's topic scheme (ontology/topics.ttl). Sentences written for these tests."""
from __future__ import annotations

import pytest

from publik_kg.nlp import lemmas
from publik_kg.vocab import lexicons


@pytest.fixture(scope="module")
def topics():
    lex = lexicons().topics
    return lambda text: {h.concept for h in lex.classify(text)}


@pytest.mark.parametrize("text, topic", [
    ("Gérer les régies de recettes de la piscine municipale", "paiement"),   # plural of a cue
    ("Payer la cantine en ligne depuis le compte citoyen", "paiement"),      # a verb cue
    ("Des tableaux de bord pour suivre les délais", "statistiques"),        # plural inside a phrase
    ("Afficher les cartes des points de collecte", "cartographie"),
    ("La prise de RDV pour les cartes d'identité", "agenda"),               # an abbreviation, capitals
    ("Proposer des démarches internes aux agents de la DRH", "interne"),
])
def test_inflected_cues_find_their_topic(topics, text, topic):
    assert topic in topics(text)


@pytest.mark.parametrize("text, topic", [
    # "regex", "regexes": a prefix stemmer reads both as "reg", like "régie" (payment)
    ("Valider un numéro de SIRET avec une regex plus souple", "paiement"),
    ("Afficher un message clair quand les regexes échouent", "paiement"),
    # "communes" is not "communication"; "format" is not "formation"
    ("Ouvrir le service aux communes de l'agglomération", "communication"),
    ("Exporter les résultats au format tableur", "documentation"),
])
def test_words_sharing_a_prefix_stay_apart(topics, text, topic):
    assert topic not in topics(text)


def test_no_topic_for_an_unrelated_sentence(topics):
    assert topics("Le déjeuner était servi à midi") == set()


def test_lemmas_pair_each_word_with_its_lemma():
    got = lemmas("Les régies d'avances")
    assert [w for w, _ in got] == ["les", "regies", "d", "avances"]
    assert ("regies", "regie") in got and ("avances", "avance") in got
