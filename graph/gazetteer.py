"""Recognise French public bodies from official data.

Communes, EPCI, départements and régions come from the bundled Code officiel
géographique (``data/cog.tsv.gz``, built by ``scripts/build_cog.py``); other public
bodies (independent authorities) from ``data/bodies.csv``. Names are matched the way
people write them: "Ville de Metz", "Mairie de Toulouse", "Département du Nord",
"Conseil départemental de la Haute-Garonne", "Metz Métropole", "la métropole de
Rouen", "Métropole Grand Lyon" (a kind word and any name of the body), "Sicoval
agglomération" (a kind word after the name), "SICOVAL" (the distinctive part of an
EPCI's name, "CA du Sicoval", when no commune bears it), a bare commune name, a former
commune that lives on in a commune nouvelle ("Oullins": Oullins-Pierre-Bénite), or a
name of ``data/aliases.csv`` (former and short names). A commune is never merged with
its EPCI.
"""
from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .text import clean, fold

EPCI_KINDS = {"METRO": "metropole", "MET69": "metropole", "CU": "communaute-urbaine",
              "CA": "communaute-agglomeration", "CC": "communaute-communes"}
# Words that introduce a body of a given kind; the name follows, often with "de".
_THE = r"^(?:(?:le|la|l|les) )?"          # "le Département de l'Isère", "la Ville de Metz"
PREFIXES = [
    ("commune", _THE + r"(?:ville|mairie|commune|cite|hotel de ville) (.+)$"),
    ("departement", _THE + r"(?:(?:departement|conseil departemental|conseil general|cd|collectivite europeenne) |cd(?=\d))(.+)$"),
    ("region", _THE + r"(?:region|conseil regional|collectivite territoriale) (.+)$"),
    ("epci", _THE + r"(?:metropole|eurometropole|communaute urbaine|communaute d agglomeration"
             r"|communaute de communes|agglomeration|agglo|ca|cc|cu) (.+)$"),
]
# "du Havre" names "Le Havre"; "de la Haute-Garonne" names "Haute-Garonne".
_ARTICLE_OF = [("de la ", ("la ", "")), ("de l ", ("l ", "")), ("du ", ("le ", "")),
               ("des ", ("les ", "")), ("de ", ("",)), ("d ", ("",)),
               ("la ", ("la ", "")), ("le ", ("le ", "")), ("les ", ("les ", "")), ("l ", ("l ", ""))]


# Kind words that may follow an EPCI's name ("Sicoval agglomération", "Lyon Métropole").
_KIND_AFTER = re.compile(r"\s+(?:metropole|agglomeration|agglo|communaute urbaine|communaute d agglomeration"
                         r"|communaute de communes)$")
# The kind part of an EPCI's official name, before its distinctive part ("CA du Sicoval").
# After "de la", "de l'" or "des" the rest is a common noun ("CC de la Forêt"): not a name alone.
_KIND_BEFORE = re.compile(r"^(?:ca|cc|cu|communaute (?:d agglomeration|de communes|urbaine)) (?:(?:du|de|d) )?(?!(?:de la|de l|des) )")

# A bare name borne by several bodies resolves to the most populous only when it is this
# many times larger than the next ("Valence" is the Drôme's; "Saint-Denis" stays open).
AMBIGUITY_RATIO = 5


@dataclass(frozen=True)
class Body:
    """A public body with its official identifiers."""

    kind: str            # commune, epci, departement, region, aai
    name: str            # official name
    code: str = ""       # INSEE code (commune, département, région) or SIREN (EPCI)
    siren: str = ""
    departement: str = ""
    region: str = ""
    epci: str = ""
    population: int = 0
    subkind: str = ""    # metropole, communaute-urbaine… for EPCI
    acronym: str = ""

    @property
    def key(self) -> str:
        """Stable identifier used to mint the body's IRI."""
        return f"{self.kind}-{self.code}" if self.code else f"{self.kind}-{fold(self.acronym or self.name).replace(' ', '-')}"


class Gazetteer:
    """Name → body lookup over official data."""

    def __init__(self, bodies: list[Body], aliases: list[tuple[str, str, str]] = (),
                 former: list[tuple[str, str]] = ()):
        self.by_name: dict[tuple[str, str], list[Body]] = {}
        self.by_code: dict[tuple[str, str], Body] = {}
        self.epci_members: dict[str, list[Body]] = {}
        for b in bodies:
            self.by_name.setdefault((b.kind, fold(b.name)), []).append(b)
            if b.acronym:
                self.by_name.setdefault((b.kind, fold(b.acronym)), []).append(b)
                if (short := _OFFICIAL_ACRONYM.sub("", b.name)) != b.name:   # and the name without it
                    self.by_name.setdefault((b.kind, fold(short)), []).append(b)
            if b.code:
                self.by_code[(b.kind, b.code)] = b
            if b.kind == "commune" and b.epci:
                self.epci_members.setdefault(b.epci, []).append(b)
        for lst in self.by_name.values():
            lst.sort(key=lambda b: -b.population)
        self.epci_folded = [(fold(b.name), b) for b in bodies if b.kind == "epci"]
        self.epci_by_word: dict[str, set[int]] = {}
        for i, (f, _) in enumerate(self.epci_folded):
            for w in f.split():
                self.epci_by_word.setdefault(w, set()).add(i)
        # "Sicoval" for "CA du Sicoval": read only when no commune bears the name
        self.epci_short: dict[str, list[Body]] = {}
        for _, b in self.epci_folded:
            if short := self.short_name(b):
                self.epci_short.setdefault(short, []).append(b)
        # former communes (communes déléguées or associées) → the commune nouvelle
        self.former: dict[str, list[Body]] = {}
        for name, code in former:
            if (b := self.by_code.get(("commune", code))) is not None and b not in self.former.get(fold(name), []):
                self.former.setdefault(fold(name), []).append(b)
        self._cache: dict[str, Body | None] = {}
        self._candidates: dict[str, list[Body]] = {}
        self.aliased: set[tuple[str, str]] = set()
        for alias, kind, code in aliases:
            if (b := self.by_code.get((kind, code))) is not None:
                self.by_name.setdefault((kind, fold(alias)), []).insert(0, b)
                self.aliased.add((kind, fold(alias)))

    # -- lookups ------------------------------------------------------------------

    def get(self, kind: str, code: str) -> Body | None:
        return self.by_code.get((kind, code))

    def _named(self, kind: str, name: str) -> Body | None:
        """The body of that kind and name; None when several bear it and none stands out
        (an ambiguity is recorded, never guessed: see ``candidates``)."""
        found = self._bearers(kind, name)
        return found[0] if len(found) == 1 else None

    def _bearers(self, kind: str, name: str) -> list[Body]:
        """Bodies of that kind and name that a reader could mean: an alias names one; else
        the most populous when it is AMBIGUITY_RATIO times larger than the next, else all."""
        found = self.by_name.get((kind, name), [])
        if len(found) <= 1 or (kind, name) in self.aliased or found[0] is found[1]:
            return found[:1]
        if found[0].population >= AMBIGUITY_RATIO * max(found[1].population, 1):
            return found[:1]
        return [b for b in found if b.population * AMBIGUITY_RATIO >= found[0].population]

    def candidates(self, surface: str) -> list[Body]:
        """The bodies an unresolved name could denote (empty when it names none or one)."""
        name = fold(clean(surface))
        if name not in self._candidates:
            if len(self._candidates) > 100_000:
                self._candidates.clear()
            self._candidates[name] = self._candidates_of(name)
        return list(self._candidates[name])

    def _candidates_of(self, name: str) -> list[Body]:
        for m in (re.match(pattern, name) for _, pattern in PREFIXES):
            if m:
                name = m.group(1)
                break
        for v in self._name_variants(name):
            for kind in ("commune", "epci", "departement", "region"):
                if len(found := self._bearers(kind, v)) > 1:
                    return found
        return []

    def _name_variants(self, name: str) -> list[str]:
        out = [name]
        for art, repls in _ARTICLE_OF:
            if name.startswith(art):
                out += [r + name[len(art):] for r in repls]
                break
        out += [re.sub(r"\bst(e?)\b", r"saint\1", v).replace("saintee", "sainte") for v in out]
        return list(dict.fromkeys(out))

    def short_name(self, b: Body) -> str:
        """The distinctive part of an EPCI's official name, folded ("sicoval"), else ""."""
        if b.kind != "epci":
            return ""
        full = fold(_OFFICIAL_ACRONYM.sub("", b.name))
        short = _KIND_BEFORE.sub("", full)
        return short if short != full and not re.match(r"(?:ca|cc|cu|communaute) ", short) else ""

    def _epci_for(self, rest: str) -> Body | None:
        """An EPCI named by a commune or territory name ("de Rouen", "du Grand Nancy"), or by
        one of its own names after a kind word ("Métropole Grand Lyon", "Agglomération du Sicoval")."""
        for v in self._name_variants(rest):
            if b := self._named("epci", v):
                return b
        for v in self._name_variants(rest):
            sets = [self.epci_by_word.get(w, set()) for w in v.split()]
            idx = set.intersection(*sets) if sets else set()
            hits = [self.epci_folded[i][1] for i in sorted(idx) if f" {v} " in f" {self.epci_folded[i][0]} "]
            if len(hits) == 1:
                return hits[0]
            commune = self._named("commune", v)
            if commune and commune.epci:
                return self.get("epci", commune.epci)
            metro = [b for b in hits if b.subkind == "metropole"]
            if len(metro) == 1:
                return metro[0]
        return None

    def resolve(self, surface: str) -> Body | None:
        """The body a name denotes, or None. A prefix decides the kind; a bare name
        is an EPCI, body, région or département only when it is exactly that name
        (and no commune bears it), else a commune."""
        name = fold(clean(surface))
        if name not in self._cache:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> Body | None:
        if not name:
            return None
        for kind, pattern in PREFIXES:
            m = re.match(pattern, name)
            if not m:
                continue
            if kind == "epci":
                return self._named("epci", re.sub(_THE, "", name)) or self._epci_for(m.group(1))
            if kind == "departement" and re.fullmatch(r"\d{2}|2[ab]|97\d", m.group(1)):   # "CD 38"
                return self.get(kind, m.group(1).upper())
            for v in self._name_variants(m.group(1)):
                if b := self._named(kind, v):
                    return b
            return None
        for v in self._name_variants(name):
            for kind in ("epci", "aai", "region", "departement"):
                b = self._named(kind, v)
                if b and (kind == "epci" or not self._named("commune", v)):
                    return b
            if re.search(r"\bmetropole\b", v):
                if b := self._epci_for(re.sub(r"\s*\bmetropole\b\s*", " ", v).strip()):
                    return b
            if (bare := _KIND_AFTER.sub("", v)) != v and (b := self._epci_for(bare)):
                return b
            if b := self._named("commune", v):
                return b
            if ("commune", v) in self.by_name:            # borne by several: recorded, not guessed
                continue
            if len(short := self.epci_short.get(v, [])) == 1:
                return short[0]
            if len(former := self.former.get(v, [])) == 1:
                return former[0]
        if len(name.split()) >= 2 and (b := self._epci_for(name)) and f" {name} " in f" {fold(b.name)} ":
            return b           # "Grand Nancy": the distinctive part of one EPCI's name
        return None

    def resolve_all(self, surface: str) -> list[tuple[Body, str]]:
        """Bodies named by a heading that may combine several ("A et B"), each with
        the words that name it."""
        parts = [p for p in re.split(r"\s+(?:et|&)\s+|\s*,\s*", clean(surface)) if p]
        if len(parts) > 1:
            bodies = [self.resolve(p) for p in parts]
            if all(bodies):
                return list({b.key: (b, p) for b, p in zip(bodies, parts)}.values())
        whole = self.resolve(surface)
        return [(whole, clean(surface))] if whole else []

    def members(self, epci: Body) -> list[Body]:
        return self.epci_members.get(epci.code, [])

    def seat(self, epci: Body) -> Body | None:
        """The commune an EPCI is named after, else its most populous member."""
        members = self.members(epci)
        folded = fold(epci.name)
        named = [c for c in members if re.search(rf"\b{re.escape(fold(c.name))}\b", folded)]
        pool = named or members
        return max(pool, key=lambda c: c.population) if pool else None


# An acronym the official name itself carries: "CA Porte de l'Isère (CAPI)".
_OFFICIAL_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9&]{1,11})\)\s*$")


def _int(s: str) -> int:
    return int(s) if s.isdigit() else 0


def _rows(resource: str):
    with files("publik_kg.data").joinpath(resource).open("rb") as raw:
        stream = gzip.open(raw, "rt", encoding="utf-8") if resource.endswith(".gz") else \
            (line.decode("utf-8") for line in raw)
        yield from csv.DictReader((ln for ln in stream if not ln.startswith("#")),
                                  delimiter="\t" if ".tsv" in resource else ",")


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The bundled gazetteer (read once per process)."""
    rows = list(_rows("cog.tsv.gz"))
    bodies = [Body(kind=r["kind"], name=r["name"], code=r["code"], siren=r["siren"],
                   departement=r["departement"], region=r["region"], epci=r["epci"],
                   population=_int(r["population"]), subkind=EPCI_KINDS.get(r["epci_type"], ""),
                   acronym=m.group(1) if (m := _OFFICIAL_ACRONYM.search(r["name"])) else "")
              for r in rows if r["kind"] != "former"]
    former = [(r["name"], r["of"]) for r in rows if r["kind"] == "former"]
    bodies += [Body(kind=r["kind"], name=r["name"], siren=r["siren"], acronym=r["acronym"])
               for r in _rows("bodies.csv")]
    aliases = [(r["alias"], r["kind"], r["code"]) for r in _rows("aliases.csv")]
    return Gazetteer(bodies, aliases, former)
