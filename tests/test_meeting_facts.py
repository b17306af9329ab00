"""The meeting itself, sentence by sentence (in memory, no store): its days (a weekday fixes
a missing year, two weekdays make a multi-day meeting, later dates are not the meeting's),
whether it was online, its venue and city, its host (thanked for hosting) and whether the
vendor is named. Every sentence here is ours: other names, places and dates than the real
reports that prompted the rules."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from publik_kg.dataset import load_gazetteer
from publik_kg.extract import parse_report
from publik_kg.frdates import days_without_year, find_dates
from publik_kg.mapping import SCHEMA, Iris, map_report
from publik_kg.vocab import CLUB, lexicons


def read(text: str, name: str = ""):
    return parse_report(text, lexicons(), load_gazetteer(), name)


def graph(text: str, name: str = ""):
    return map_report(read(text, name), "r", Iris(), load_gazetteer()).facts


def meeting_of(g):
    (m,) = set(g.subjects(RDF.type, CLUB.Meeting)) - set(g.objects(None, CLUB.refersTo))
    return m


def code(agent) -> str | None:
    return agent.body.code if agent is not None and agent.body is not None else None


# -- days ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,start,end", [
    ("les mardi 3 et mercredi 4 octobre 2023", "2023-10-03", "2023-10-04"),
    ("du 30 novembre au 1er décembre 2020", "2020-11-30", "2020-12-01"),
    ("le jeudi 14 et le vendredi 15 mars 2024", "2024-03-14", "2024-03-15"),
])
def test_day_spans_with_weekdays_or_across_months(text, start, end):
    (d,) = find_dates(text)
    assert (d.value, d.end) == (start, end)


def test_two_days_far_apart_joined_by_et_are_not_one_span():
    assert all(d.end is None for d in find_dates("le 5 mars et le 12 avril 2020"))


@pytest.mark.parametrize("text,years,value,end", [
    ("les mardi 3 et mercredi 4 octobre", ["2024", "2023"], "2023-10-03", "2023-10-04"),
    ("du lundi 30 novembre au mardi 1er décembre", ["2019", "2020"], "2020-11-30", "2020-12-01"),
    ("le jeudi 14 mars", ["2025", "2024"], "2024-03-14", None),
])
def test_the_weekday_picks_the_year_among_candidates(text, years, value, end):
    (d,) = days_without_year(text, years)
    assert (d.value, d.end) == (value, end)


def test_a_weekday_no_near_year_fits_is_left_undated():
    # 29 February was a Tuesday in 2000 and 2028 only, far from 2021: not guessed
    assert days_without_year("le mardi 29 février", ["2021"]) == []


@pytest.mark.parametrize("text,start,end,city", [
    ("# Club\n\nLa réunion s'est déroulée à Nantes les mardi 3 et mercredi 4 octobre.\n\n"
     "## Suites\n\nLe bilan a été diffusé le 20 octobre 2023 ; la feuille de route 2024 suivra.\n",
     "2023-10-03", "2023-10-04", "44109"),
    ("# Rencontre annuelle\n\nLa 4e rencontre du club a eu lieu à Brest le jeudi 14 et vendredi 15 mars.\n\n"
     "## Documents\n\nPlan-2025.pdf, envoyé le 2 avril 2024.\n", "2024-03-14", "2024-03-15", "29019"),
])
def test_meeting_days_without_a_year_from_the_text_alone(text, start, end, city):
    """No year in the meeting's sentence nor in the file's name: the weekdays fix it among
    the years the report mentions; the later dated sentences are not the meeting."""
    r = read(text)
    assert (r.date.value, r.date.end) == (start, end)
    assert code(r.venue_city) == city and r.attendance == "offline"
    g = graph(text)
    m = meeting_of(g)
    assert (m, SCHEMA.endDate, Literal(end, datatype=XSD.date)) in g
    dated = {str(o) for s in g.subjects(RDF.type, CLUB.Meeting) for o in g.objects(s, CLUB.date)}
    assert dated == {start}


def test_a_later_dated_sentence_in_the_same_paragraph_is_not_the_meeting():
    r = read("La réunion du club s'est tenue à Lille le lundi 20 juin. Le compte rendu a été envoyé le 2 juillet 2022.")
    assert (r.date.value, code(r.venue_city)) == ("2022-06-20", "59350")


# -- online, in person, mixed ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "La séance s'est tenue en visioconférence le 5 février 2021.",
    "La rencontre du club a eu lieu à distance, sur la plateforme Jitsi, le 12 mai 2021 "
    "(l'an dernier, nous étions réunis à Lille, une trentaine).",
    "Le troisième club s'est déroulé en ligne le mardi 14 septembre 2021, faute de salle à Rennes.",
])
def test_online_meetings_have_no_venue(text):
    r = read(text)
    assert r.attendance == "online"
    assert r.venue is None and r.venue_city is None
    g = graph(text)
    m = meeting_of(g)
    assert (m, CLUB.attendanceMode, SCHEMA.OnlineEventAttendanceMode) in g
    assert not list(g.objects(m, CLUB.venue))


@pytest.mark.parametrize("text,mode", [
    ("La réunion s'est tenue en présentiel et à distance à Rennes le 4 avril 2022.", "mixed"),
    ("La réunion du club s'est tenue en format hybride le 4 avril 2022.", "mixed"),
    ("La réunion du club s'est tenue le 4 avril 2022 à Rennes.", "offline"),
    ("Jeudi 24 novembre 2022, à l'occasion du congrès des maires, s'est tenue la troisième réunion du club.", "offline"),
    ("Le 3 mars 2022, en marge du salon Solutions Collectivités, s'est tenue la réunion du club.", "offline"),
    ("La réunion du club a eu lieu le 3 mars 2022.", None),
])
def test_attendance_mode_as_the_sentence_says(text, mode):
    r = read(text)
    assert r.attendance == mode
    modes = set(graph(text).objects(None, CLUB.attendanceMode))
    assert modes == ({URIRef(f"https://schema.org/{mode.capitalize()}EventAttendanceMode")} if mode else set())


# -- venue, city and host ----------------------------------------------------------------

def test_an_earlier_meetings_city_in_the_meeting_sentence_is_not_its_venue():
    r = read("La 5e réunion s'est tenue le 3 juin 2021 au Palais des congrès ; l'année dernière, réunis à Lille, nous étions 30.")
    assert r.venue == "Palais des congrès" and r.venue_city is None


@pytest.mark.parametrize("text,host,city", [
    ("La réunion s'est tenue à Brest le 12 mai 2022.\nMerci à la Ville de Brest de nous avoir accueillis.", "29019", "29019"),
    ("La 6e rencontre du club a eu lieu le 9 juin 2022.\n\n"
     "Nous remercions chaleureusement les services de Nantes Métropole pour leur accueil.", "244400404", "44109"),
    ("Le club a eu lieu à Rouen le lundi 20 juin 2022. Un grand merci à l'équipe de la Métropole Rouen Normandie, "
     "qui nous a reçus dans ses locaux.", "200023414", "76540"),
])
def test_the_body_thanked_for_hosting_is_the_host(text, host, city):
    r = read(text)
    assert code(r.host) == host
    assert code(r.venue_city) == city
    assert r.attendance == "offline"
    g = graph(text)
    assert list(g.objects(meeting_of(g), CLUB.host))


def test_thanks_for_something_else_name_no_host():
    r = read("La réunion du club a eu lieu le 9 juin 2022.\nNous remercions la Ville de Brest pour sa présentation.")
    assert r.host is None


# -- the vendor ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,named", [
    ("La réunion du club s'est tenue le 9 juin 2022. Entr'ouvert a présenté la feuille de route.", True),
    ("La réunion du club s'est tenue le 9 juin 2022. Les supports sont sur https://www.entrouvert.com/club/.", True),
    ("La réunion du club s'est tenue le 9 juin 2022, ouverte aux collectivités intéressées.", False),
])
def test_the_vendor_organizes_only_when_the_text_names_it(text, named):
    g = graph(text)
    assert bool(list(g.objects(meeting_of(g), CLUB.vendor))) is named


def test_particulars_as_key_value_lines():
    """"**Date :** …" and "**Lieu :** Town, room" lines give the meeting's day, city and room."""
    r = read("# Comité des utilisateurs — compte rendu\n\n**Date :** jeudi 16 novembre 2023, 14h – 17h\n"
             "**Lieu :** Besançon, salle Proudhon de l'hôtel de ville\n\nLe troisième comité a réuni 25 agents.\n")
    assert r.date.value == "2023-11-16" and r.ordinal == 3
    assert code(r.venue_city) == "25056" and r.venue == "salle Proudhon de l'hôtel de ville"
    assert r.attendance == "offline"


@pytest.mark.parametrize("text, years, day", [
    # no candidate year has that weekday: the nearest year that has it, the earlier on a tie
    ("le jeudi 14 octobre", ["2022"], "2021-10-14"),
    ("le mardi 9 mars", ["2020"], "2021-03-09"),
    ("le lundi 5 juin", ["2024", "2025"], "2023-06-05"),
])
def test_a_weekday_picks_the_nearest_year(text, years, day):
    (d,) = days_without_year(text, years)
    assert d.value == day


@pytest.mark.parametrize("text, city, venue", [
    # the town, then the room after it
    ("# CR\n\nL'assemblée s'est réunie le mardi 4 avril 2023 à Nîmes, dans la salle des mariages de l'hôtel de ville.\n",
     "30189", "salle des mariages de l'hôtel de ville"),
    # a dateline: date, building, town
    ("Compte rendu\n\nRéunion du lundi 6 mars 2023, Maison de la Région, Montpellier\n\nLe club s'est réuni pour la cinquième fois.\n",
     "34172", "Maison de la Région"),
    # the room, owned by the body named after it
    ("**Date :** 4 avril 2023\n**Lieu :** Poitiers, amphithéâtre de Grand Poitiers\n\nLe comité a réuni 20 agents.\n",
     "86194", "amphithéâtre"),
])
def test_town_then_room(text, city, venue):
    r = read(text)
    assert code(r.venue_city) == city and r.venue == venue


def test_a_body_receiving_the_meeting_hosts_it():
    r = read("# 3e réunion\n\nLe jeudi 9 mars 2023, Angers Loire Métropole accueillait au Centre de congrès la "
             "troisième réunion du club.\n")
    assert code(r.host) == "244900015" and r.venue == "Centre de congrès" and code(r.venue_city) == "49007"


def test_rank_said_as_the_nth_time():
    assert read("Réunion du 6 mars 2023\n\nLe club s'est réuni pour la septième fois à Pau.\n").ordinal == 7


def test_another_softwares_vendor_is_read_from_the_opening():
    r = read("# Club des utilisateurs des logiciels de Berger Levrault SA\n\nLa réunion s'est tenue le 6 mars 2023 à Pau.\n\n"
             "Les participants réclament un export des écritures comptables au format tableur.\n"
             "→ Berger Levrault : c'est prévu pour la version de juin.\n")
    assert not r.vendor_named and r.vendor is not None and r.vendor.label == "Berger Levrault SA"
    (q,) = r.requests
    assert q.response is not None and q.response.stances == ["planned"]


def test_no_other_vendor_when_entrouvert_is_named():
    r = read("# Club des utilisateurs Publik\n\nLa réunion s'est tenue le 6 mars 2023 à Pau, avec Entr'ouvert.\n")
    assert r.vendor_named and r.vendor is None


@pytest.mark.parametrize("text, day", [
    # an e-mail: the day it was sent is not the meeting's; "la réunion du 12/03" is
    ("De : secrétariat\nEnvoyé : jeudi 14 mars 2024 10:02\nObjet : compte rendu de la réunion du 12/03\n\n"
     "Bonjour, voici le compte rendu de la séance.\n", "2024-03-12"),
    # a memo: its "Date :" line is the memo's; the sentence saying the meeting was held wins
    ("**Note**\n\n**Date :** 20 mai 2025\n\nLe club s'est tenu le mardi 13 mai à Tours, à l'hôtel de ville.\n", "2025-05-13"),
    # a dateline under the title
    ("# Club des utilisateurs\n\n*Nantes, 3 et 4 avril 2024 — compte rendu*\n\nLe club a été accueilli par Nantes Métropole.\n",
     "2024-04-03"),
    # particulars in a two-column table, the header row empty
    ("# Comité de pilotage n°2\n\n| | |\n|---|---|\n| Date | mardi 4 juin 2024 |\n| Lieu | Niort |\n\nLe comité a réuni 12 personnes.\n",
     "2024-06-04"),
])
def test_which_date_is_the_meetings(text, day):
    assert read(text).date.value == day


def test_a_meeting_the_text_describes_but_does_not_date_is_kept():
    r = read("# Compte rendu\n\nLa rencontre des référents s'est déroulée dans les locaux de la mairie.\n")
    assert r.date is None and r.ordinal is None


def test_particulars_name_the_host_and_the_premises_owner():
    r = read("CR de la réunion du club — 14/05/2024\n\nLieu : la Coursive, siège de Saint-Malo Agglomération, Saint-Malo\n"
             "Accueil : Saint-Malo Agglomération\n\nLa réunion a réuni 30 personnes.\n")
    assert r.date.value == "2024-05-14" and r.venue == "Coursive" and code(r.venue_city) == "35288"
    assert r.host is not None and r.host.body.kind == "epci" and r.attendance == "offline"


def test_an_online_place_line():
    r = read("# Webinaire du club\n\n**Quand :** jeudi 7 mars 2024, 10h\n**Où :** en ligne, sur Jitsi\n")
    assert r.date.value == "2024-03-07" and r.attendance == "online" and r.venue is None and r.venue_city is None


def test_a_users_meeting_organised_by_the_softwares_maker():
    r = read("# Journée des utilisateurs de QGIS\n\nLa journée des utilisateurs de QGIS, organisée par Oslandia, "
             "s'est tenue le 5 juin 2024 à Lyon.\n")
    assert r.vendor is not None and r.vendor.label == "Oslandia"


def test_a_person_welcoming_is_no_host():
    r = read("# Réunion du club\n\nLa réunion du club s'est tenue le 5 juin 2024 à Lyon.\n\n"
             "Accueil par Mathieu Girard, directeur du numérique, qui a présenté le programme.\n")
    assert r.host is None or r.host.kind != "person" and "Girard" not in r.host.label


@pytest.mark.parametrize("text, day", [
    # a Setext title in a plain report, then a heading with a weekday and no year
    ("Club — séance en ligne\n======================\n\nNotes de séance — jeudi 12 mars, sur Jitsi\n\n"
     "Prochaine séance : mardi 9 juin 2026.\n", "2026-03-12"),
    # a dateline heading
    ("# Rencontre régionale\n\n## Rennes, mardi 4 novembre 2025\n\nDeuxième rencontre du réseau.\n", "2025-11-04"),
    # only a later heading dates the day
    ("# Formation niveau 2\n\nSession accueillie par Brest Métropole.\n\n## Jour 1 — lundi 12 janvier 2026\n\nRappels.\n",
     "2026-01-12"),
    # "les 3 et 4 décembre derniers" under a dated letter: the held sentence, the letter's year
    ("# Compte rendu\n\n*Pau, le 15 décembre 2025*\n\nLa rencontre s'est déroulée à Pau les 3 et 4 décembre derniers.\n",
     "2025-12-03"),
])
def test_dates_in_headings_and_years_from_elsewhere(text, day):
    assert read(text).date.value == day


def test_online_said_by_the_platform():
    r = read("# Séance du club\n\nSéance du club le jeudi 12 mars 2026, sur BBB, de 9h à 12h.\n")
    assert r.attendance == "online"


def test_another_products_meeting_keeps_its_vendor_even_when_entrouvert_is_named():
    r = read("# Rencontre des utilisateurs d'openMairie\n\nLa rencontre des utilisateurs d'openMairie, organisée par atReal, "
             "s'est tenue le 14 octobre 2025 à Perpignan.\n\nEntr'ouvert a présenté le connecteur Publik.\n")
    assert r.vendor is not None and r.vendor.label == "atReal" and not r.vendor_named
