"""First names given in France, for confirming person-name candidates; plain Python.

The list is INSEE's *Fichier des prénoms* (births in France 1900-2021), bundled as
``data/firstnames.tsv.gz`` by ``scripts/build_firstnames.py``, read once on first use.
Look-ups are case- and accent-insensitive ("JEROME", "jérôme" and "Jérôme" are one
name) and know hyphenated compounds: "Jean-Pierre" is a first name because INSEE lists
it, "Anne-Gwenaëlle" because both of its parts are first names.

INSEE lists whatever parents chose, so some first names are also common words
("Marine", "Rose", "Olivier") or places ("Paris", "Florence", "Aude"), and rare ones are
junk for a reader ("De", "Le", "Check"). Each entry says so (``word``, ``place``,
``births``): ``is_clear_first_name`` is the strict test, for a lone word; a caller asks
more evidence (a surname after it, a title before it) of the others.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .text import fold

RESOURCE = "firstnames.tsv.gz"
#: Births (1900-2021) from which a first name that is neither a word nor a place is
#: taken on its own: 3,145 names are given that often (2,752 of them neither a word nor
#: a place); "Illy" (57 births) is not.
CLEAR_BIRTHS = 1000
#: Births from which a first name counts as a part of an unlisted compound: two parts
#: given that often make a name ("Ségolène-Inès"); INSEE's rare oddities ("La", "De")
#: do not make "Alba-la-Romaine" one.
PART_BIRTHS = 1000
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013]")


@dataclass(frozen=True)
class FirstName:
    name: str      # the most given spelling, as written: "Jérôme", "Jean-Pierre"
    births: int    # births in France 1900-2021, all spellings that fold alike
    sex: str       # "F", "M" or "MF" (given to both)
    word: bool     # also a French common word: "marine", "olivier"
    place: bool    # also the name of a French commune, département, région or country

    @property
    def ambiguous(self) -> bool:
        """Also a common word or a place: a caller should ask more evidence."""
        return self.word or self.place


def _key(text: str) -> str:
    return fold(_HYPHENS.sub("-", text))


def _has_marks(name: str) -> bool:
    return fold(name) != name.lower().replace("-", " ").replace("'", " ")


@cache
def _table() -> dict[str, FirstName]:
    """Folded name → entry, merging the spellings that fold alike (read once)."""
    raw = files("publik_kg.data").joinpath(RESOURCE).read_bytes()
    lines = io.StringIO(gzip.decompress(raw).decode("utf-8"))
    next(lines)  # '# source' line
    merged: dict[str, FirstName] = {}
    top: dict[str, int] = {}  # births of each name's most given spelling
    for row in csv.DictReader(lines, delimiter="\t"):
        key = _key(row["name"])
        if len(key.replace(" ", "")) < 2:  # INSEE's "A", "L", "N": initials, not names
            continue
        also = row["also"].split()
        entry = FirstName(row["name"], int(row["births"]), row["sex"], "word" in also, "place" in also)
        old = merged.get(key)
        if old is not None:
            # Rows come most given first. INSEE's older years have no accents ("JEROME"
            # 182,491 births, "JÉRÔME" 22,762), so an accented spelling given at least a
            # tenth as often as the first one is the name as written.
            name = old.name
            if not _has_marks(name) and _has_marks(entry.name) and entry.births * 10 >= top[key]:
                name = entry.name
            sex = old.sex if old.sex == entry.sex else "MF"
            entry = FirstName(name, old.births + entry.births, sex,
                              old.word or entry.word, old.place or entry.place)
        else:
            top[key] = entry.births
        merged[key] = entry
    return merged


# French function words INSEE lists as first names ("Le": 222 births, "De": 69), which
# open sentences and names of bodies ("Le SICTIAM", "De nombreuses communes"), and the
# "Saint" of place names: never a first name in a report.
_FUNCTION_WORDS = frozenset(
    "le la les l de des du d un une au aux a en et ou il elle ils elles on nous vous ce cet cette ces son sa ses "
    "mon ma mes leur leurs pour par sur sous avec dans chez selon saint sainte sans vers entre".split())


def first_name(word: str) -> FirstName | None:
    """The first name ``word`` is, or None. A compound of two hyphenated parts that INSEE
    does not list is one when both parts are first names given ``PART_BIRTHS`` times: its births are its rarest part's, its sex its first
    part's, and it keeps its parts' flags (ambiguous when a part is), to stay cautious."""
    table = _table()
    parts = [p.strip() for p in _HYPHENS.split(word.strip())]
    if not all(parts) or _key(word) in _FUNCTION_WORDS:  # blank, a dangling hyphen ("Marie-"), "Le"
        return None
    entry = table.get(_key(word))
    if entry is not None:
        return entry
    if len(parts) != 2 or any(" " in p for p in parts):
        return None
    found = [table.get(_key(p)) for p in parts]
    if any(f is None or f.births < PART_BIRTHS for f in found):
        return None
    return FirstName("-".join(f.name for f in found), min(f.births for f in found), found[0].sex,
                     any(f.word for f in found), any(f.place for f in found))


def is_first_name(word: str, min_births: int = 0) -> bool:
    """Whether ``word`` is a first name given in France (at least ``min_births`` times)."""
    entry = first_name(word)
    return entry is not None and entry.births >= min_births


def is_ambiguous(word: str) -> bool:
    """Whether ``word`` is a first name that is also a common word or a place."""
    entry = first_name(word)
    return entry is not None and entry.ambiguous


def is_clear_first_name(word: str, min_births: int = CLEAR_BIRTHS) -> bool:
    """Whether ``word`` is, on its own, evidence of a person: a first name given at least
    ``min_births`` times that is neither a common word nor a place."""
    entry = first_name(word)
    return entry is not None and not entry.ambiguous and entry.births >= min_births


def births(word: str) -> int:
    """How many people born in France 1900-2021 were given ``word`` (0 if none)."""
    entry = first_name(word)
    return entry.births if entry else 0
