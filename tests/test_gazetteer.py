import pytest

from publik_kg.gazetteer import load


@pytest.fixture(scope="module")
def gaz():
    return load()


@pytest.mark.parametrize("name,kind,code", [
    ("Ville de Metz", "commune", "57463"),
    ("Mairie de Toulouse", "commune", "31555"),
    ("Rouen", "commune", "76540"),
    ("Département du Nord", "departement", "59"),
    ("Conseil départemental de la Haute-Garonne", "departement", "31"),
    ("Metz Métropole", "epci", "200039865"),
    ("Clermont Auvergne Métropole", "epci", "246300701"),
    ("la métropole de Rouen", "epci", "200023414"),
    ("Ville du Havre", "commune", "76351"),
    ("Aix en Provence", "commune", "13001"),
    ("Saint Etienne", "commune", "42218"),
    ("Villeurbanne", "commune", "69266"),
    ("Région Grand Est", "region", "44"),
    ("Eurométropole de Strasbourg", "epci", "246700488"),
    ("CD 38", "departement", "38"),
    ("CD13", "departement", "13"),
    ("CD2A", "departement", "2A"),
])
def test_resolves(gaz, name, kind, code):
    b = gaz.resolve(name)
    assert (b.kind, b.code) == (kind, code)


def test_combined_heading_yields_two_bodies(gaz):
    found = gaz.resolve_all("Toulouse Métropole et Mairie de Toulouse")
    assert [(b.kind, b.code, part) for b, part in found] == [
        ("epci", "243100518", "Toulouse Métropole"), ("commune", "31555", "Mairie de Toulouse")]


def test_commune_never_merged_with_its_epci(gaz):
    assert gaz.resolve("Nancy").key != gaz.resolve("Métropole du Grand Nancy").key
    metz, metro = gaz.resolve("Metz"), gaz.resolve("Metz Métropole")
    assert metz.kind == "commune" and metro.kind == "epci" and metz.epci == metro.code


def test_not_a_collectivity(gaz):
    b = gaz.resolve("CNIL")
    assert b.kind == "aai" and "informatique" in b.name


def test_unknown_names(gaz):
    assert gaz.resolve("Entr'ouvert") is None
    assert gaz.resolve("Système d'Information Géographique") is None


def test_epci_seat(gaz):
    assert gaz.seat(gaz.resolve("Metz Métropole")).name == "Metz"


@pytest.mark.parametrize("name,code", [
    ("Grand Toulouse", "243100518"), ("Eurométropole", "246700488"), ("Grand Nancy", "245400676"),
    ("Grand Lyon", "200046977"), ("Métropole du Grand Nancy", "245400676"),
])
def test_short_and_former_epci_names(gaz, name, code):
    b = gaz.resolve(name)
    assert (b.kind, b.code) == ("epci", code)


def test_bare_commune_name_stays_the_commune(gaz):
    assert gaz.resolve("Nancy").kind == "commune" and gaz.resolve("Toulouse").kind == "commune"


def test_a_name_several_bodies_bear_is_not_guessed(gaz):
    # Saint-Denis (Réunion, 97411) and Saint-Denis (Seine-Saint-Denis, 93066): similar sizes
    for surface in ("Saint-Denis", "Ville de Saint-Denis", "saint denis"):
        assert gaz.resolve(surface) is None
        assert {b.code for b in gaz.candidates(surface)} == {"97411", "93066"}
    # one bearer much larger than the others: that one, and no ambiguity
    assert gaz.resolve("Valence").code == "26362" and gaz.candidates("Valence") == []
    assert gaz.candidates("Metz") == [] and gaz.candidates("Nulle-Part-sur-Rien") == []
