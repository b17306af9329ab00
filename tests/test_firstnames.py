"""The bundled INSEE first names (graph/firstnames.py, data/firstnames.tsv.gz).

Names here are not the reports' people: they test the list and the look-up rules."""
import fnmatch
import gzip
import tomllib
import unicodedata
from importlib.resources import files
from pathlib import Path

import pytest

from publik_kg import firstnames
from publik_kg.firstnames import (
    CLEAR_BIRTHS, births, first_name, is_ambiguous, is_clear_first_name, is_first_name,
)

ROOT = Path(__file__).resolve().parent.parent


def test_file_is_package_data_and_loads_from_the_installed_package():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert any(fnmatch.fnmatch("firstnames.tsv.gz", p) for p in conf["package-data"]["publik_kg.data"])
    resource = files("publik_kg.data").joinpath("firstnames.tsv.gz")
    assert resource.is_file()
    head = gzip.decompress(resource.read_bytes()).decode("utf-8").splitlines()[:2]
    assert "INSEE" in head[0] and head[1].split("\t") == ["name", "births", "sex", "also"]
    assert len(firstnames._table()) > 30000
    assert (ROOT / "data" / "firstnames.tsv.gz").stat().st_size < 1_000_000


@pytest.mark.parametrize("name", ["Gwendoline", "Thibault", "Yannick", "Mohamed", "Fatoumata",
                                  "Youssef", "Mamadou", "Ségolène", "Maëlys", "Nathalie"])
def test_first_names_of_every_origin_are_known_and_clear(name):
    assert is_first_name(name)
    assert is_clear_first_name(name)
    assert births(name) >= CLEAR_BIRTHS


@pytest.mark.parametrize("word", ["Lorient", "Villejuif", "Métropole", "Madame", "Monsieur",
                                  "Collectivité", "Président", "Dupont", "Bretagne", "Marseille"])
def test_places_titles_bodies_and_surnames_are_not_first_names(word):
    assert not is_first_name(word)
    assert first_name(word) is None and births(word) == 0


def test_case_and_accents_do_not_matter_and_spellings_merge():
    entries = {first_name(w) for w in ("Jérôme", "JÉRÔME", "jerome", "JEROME", "Jérome")}
    assert len(entries) == 1
    (entry,) = entries
    # INSEE's older years have no accents: the accented spelling is kept as written and
    # the births of all spellings are added up.
    assert entry.name == "Jérôme" and entry.sex in ("M", "MF")
    raw = gzip.decompress(files("publik_kg.data").joinpath("firstnames.tsv.gz").read_bytes())
    spellings = [line.split("\t") for line in raw.decode("utf-8").splitlines()[2:]]
    bare = lambda s: "".join(c for c in unicodedata.normalize("NFD", s.lower()) if c.isalpha() and c.isascii())
    jerome = [int(r[1]) for r in spellings if bare(r[0]) == "jerome"]
    assert len(jerome) >= 3 and entry.births == sum(jerome)
    assert first_name("helene").name == "Hélène"
    assert first_name("AICHA").name == "Aïcha"


def test_listed_compounds_with_any_dash():
    for name in ("Jean-Baptiste", "marie-hélène", "PIERRE-YVES", "Jean–Pierre", "Anne‑Sophie"):
        entry = first_name(name)
        assert entry is not None, name
        assert "-" in entry.name and not entry.ambiguous
    assert first_name("Marie-Hélène").sex == "F"


def test_unlisted_compound_of_two_known_parts():
    key = firstnames._key("Ségolène-Inès")
    assert key not in firstnames._table()  # so the rule of parts is what is tested
    entry = first_name("Ségolène-Inès")
    assert entry is not None and entry.sex == "F"
    assert entry.births == min(births("Ségolène"), births("Inès"))
    assert is_first_name("anne-gwenaelle")


def test_compounds_that_are_not_first_names():
    assert not is_first_name("Jean-Lorient")          # one part is no first name
    assert not is_first_name("Alba-la-Romaine")       # three parts, "La" an INSEE oddity
    assert not is_first_name("Anne Durand")           # a space: a full name, not a compound
    assert not is_first_name("Marie-")


def test_collisions_with_words_and_places_are_flagged():
    marine = first_name("Marine")
    assert marine.births > 100000 and marine.word and marine.ambiguous
    assert first_name("Paris").place and first_name("Florence").place
    assert first_name("France").place and not first_name("France").word
    assert first_name("Violette").word and first_name("Olivier").word
    for word in ("Marine", "Paris", "France", "Rose", "Aude"):
        assert is_first_name(word) and is_ambiguous(word) and not is_clear_first_name(word)
    # a first name that is neither word nor place
    assert not is_ambiguous("Sébastien") and is_clear_first_name("Sébastien")


def test_rare_oddities_and_initials_are_not_clear():
    assert not is_first_name("A") and not is_first_name("L")
    # INSEE lists "De" and "Le" (a few dozen births each); French function words open
    # sentences and bodies' names ("Le SICTIAM"), so they are never first names
    assert not is_first_name("De") and not is_first_name("le") and births("Le") == 0
    assert not is_first_name("Saint") and is_first_name("Martin")
    assert not is_first_name("Huong", min_births=CLEAR_BIRTHS) and is_first_name("Huong")
    assert not is_clear_first_name("Huong")


def test_sex():
    assert first_name("Gwendoline").sex == "F"
    assert first_name("Thibault").sex == "M"
    assert first_name("Camille").sex == "MF"


def test_empty_and_blank():
    assert first_name("") is None and first_name("   ") is None
    assert not is_first_name("-")
