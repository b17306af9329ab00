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
