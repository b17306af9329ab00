"""Tools named by their kind ("la plateforme X", "le logiciel libre X", "l'outil X",
"le portail <qualifier> X", "via X") and in spellings that vary ("Big Blue Button" =
"BigBlueButton"), in memory (no store). Every sentence here is ours: other products,
bodies and people than the real reports that prompted the rules."""
from __future__ import annotations

import pytest

from publik_kg import cues
from publik_kg.dataset import load_gazetteer
from publik_kg.extract import parse_report, tool_key, tool_spelling
from publik_kg.vocab import lexicons

HEAD = ("Mardi 9 mars 2021 s'est tenue la quatrième réunion du Club des utilisateurs Publik.\n\n"
        "## Participants et tour de table de présentation\n\n")


def read(*lines: str):
    return parse_report(HEAD + "\n".join(lines) + "\n", lexicons(), load_gazetteer(), "x.md")


def used(r) -> set[tuple[str, str]]:
    return {(a.label, t) for a, t in r.uses}


# -- the kind word before the name ------------------------------------------------------

@pytest.mark.parametrize("sentence,name", [
    ("les agents se réunissent via une plateforme Jitsi Meet chaque semaine", "Jitsi Meet"),
    ("les échanges passent par la plate-forme Rocket Chat", "Rocket Chat"),
    ("utilise le logiciel libre Mattermost en interne", "Mattermost"),
    ("a choisi le logiciel Ciril pour les finances", "Ciril"),
    ("prépare ses tableaux avec l'outil Grist", "Grist"),
    ("a raccordé le portail citoyen Ecitiz", "Ecitiz"),
    ("a ouvert le portail famille Arpège", "Arpège"),
    ("rejoint les réunions via PeerTube", "PeerTube"),
    ("publie ses cartes via GeoServer2", "GeoServer2"),
])
def test_a_product_after_its_kind_word_is_a_tool(sentence, name):
    r = read(f"- Vénissieux, Jean Martin : {sentence}.")
    assert r.new_tools.get(tool_key(name)) == name
    assert ("Vénissieux", tool_key(name)) in used(r)


@pytest.mark.parametrize("sentence", [
    "a découvert Publik via Vincennes",                       # a body
    "a découvert Publik via Paul Durand",                     # a person
    "a découvert Publik via Claire",                          # a lone first name
    "diffuse ses actualités via le portail",                  # no name at all
    "passe par la plateforme Mes Démarches",                  # a determiner, no product
    "sert ses agents avec le portail Agent de la commune",    # a portal's part, no qualifier
    "a ouvert le portail de démarches Grand Chambéry",        # a body after "de"
    "utilise la plateforme Lyon Métropole",                   # a body after the kind word
])
def test_no_tool_when_the_name_is_no_product(sentence):
    r = read(f"- Besançon, Claire Petit : {sentence}.")
    assert r.new_tools == {}, r.new_tools


def test_a_tool_named_only_in_a_request_is_not_used():
    r = read("- Chambéry, Luc Girard : souhaiterait pouvoir utiliser la solution Framadate.",
             "- Annecy, Léa Roux : aimerait disposer de l'outil Grist pour ses enquêtes.")
    assert {"framadate", "grist"} <= set(r.new_tools)
    assert not {t for _, t in r.uses} & {"framadate", "grist"}


# -- spellings ---------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Big Blue Button", "BigBlueButton"), ("Rocket Chat", "Rocket-Chat"),
    ("Jitsi Meet", "JITSI-MEET"), ("OnlyOffice", "Only Office"),
])
def test_spellings_share_one_key_and_match_each_other(a, b):
    assert tool_key(a) == tool_key(b)
    assert tool_spelling(a).search(f"une salle {b} ouverte")
    assert tool_spelling(b).search(f"une salle {a} ouverte")


def test_a_spelling_in_one_word_matches_a_name_in_several():
    assert tool_spelling("Jitsi Meet").search("rendez-vous sur jitsimeet demain")


def test_a_name_does_not_match_inside_another_word():
    assert not tool_spelling("Grist").search("Gristmill et Agristat")
    assert not tool_spelling("Rocket Chat").search("Rocket et son Chat")


def test_one_tool_for_two_spellings_in_a_report():
    r = read("- Vénissieux, Jean Martin : utilise la plateforme Rocket Chat pour ses agents.",
             "- Besançon, Claire Petit : échange aussi sur RocketChat avec ses communes.",
             "- Annecy, Léa Roux : s'appuie sur l'outil OnlyOffice ; les élus lisent sous Only Office.")
    assert set(r.new_tools) == {"rocketchat", "onlyoffice"}
    assert {("Vénissieux", "rocketchat"), ("Besançon", "rocketchat"), ("Annecy", "onlyoffice")} <= used(r)


def test_the_kind_cue_reads_the_name_only():
    m = cues.NEW_TOOL_KIND.search("via une plateforme Jitsi Meet (du fait de la pandémie)")
    assert m and m.group("name") == "Jitsi Meet"
    assert cues.NEW_TOOL_KIND.search("avec la solution Big Blue Button Pro Max") is None
