"""What one report's mentions resolve to among the entities other reports declare.

A report names some entities only partly: an earlier meeting by its month ("le Club de
juin 2019"), a person by initial ("C. Morel") or without an organization. Each such
mention is a *lookup* with a string key; its answer is the sorted tuple of IRIs the
loaded reports declare that match it:

  month|2019-06              the meetings held that month (dates YYYY-MM-DD)
  before|2021-12-02          the last meeting held before that day ("la dernière réunion")
  initial|ORG|c|morel        the people of organization ORG (key; '' = any) whose first
                             name starts with c and whose surname is Morel
  name|claire-morel          the people named so within some organization

A mention is resolved only when its answer has exactly one element (a month, a person
of the same organization by initial); otherwise it keeps an IRI of its own and the
answer is recorded as its candidates. A stored report is mapped again when the answer
to one of its lookups changes (a meeting or a person arrives or leaves), so the graph
does not depend on the order in which reports are ingested.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .text import fold, slug

INITIAL = re.compile(r"([A-ZÀ-ÖØ-Þ])\.?\s+(\S.*)")


def initial_form(label: str) -> tuple[str, str] | None:
    """("c", "morel") for "C. Morel" / "C Morel"; None for a full name."""
    m = INITIAL.fullmatch(label.strip())
    return (fold(m.group(1)), fold(m.group(2))) if m else None


def month_key(month: str) -> str:
    return f"month|{month}"


def before_key(day: str) -> str:
    return f"before|{day}"


def initial_key(org: str, initial: str, surname: str) -> str:
    return f"initial|{org}|{initial}|{surname}"


def name_key(label: str) -> str:
    return f"name|{slug(label)}"


@dataclass(frozen=True)
class Person:
    """A person a report names in full within an organization."""

    iri: str
    org: str          # the organization's key
    label: str


@dataclass
class Known:
    """The meetings and people declared by the loaded reports."""

    dates: dict[str, str] = field(default_factory=dict)            # report id → meeting date
    people: dict[str, set[Person]] = field(default_factory=dict)   # report id → people
    _answers: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def without(self, report_ids: Iterable[str]) -> "Known":
        gone = set(report_ids)
        return Known({k: v for k, v in self.dates.items() if k not in gone},
                     {k: v for k, v in self.people.items() if k not in gone})

    def declare(self, report_id: str, date: str | None, people: Iterable[Person]) -> None:
        if date and len(date) == 10:
            self.dates[report_id] = date
        else:
            self.dates.pop(report_id, None)
        self.people[report_id] = set(people)
        self._answers.clear()

    def answer(self, key: str) -> tuple[str, ...]:
        if key not in self._answers:
            self._answers[key] = self._answer(key)
        return self._answers[key]

    def _answer(self, key: str) -> tuple[str, ...]:
        kind, _, rest = key.partition("|")
        if kind == "month":
            return tuple(sorted({d for d in self.dates.values() if d[:7] == rest}))
        if kind == "before":
            earlier = [d for d in self.dates.values() if d < rest]
            return (max(earlier),) if earlier else ()
        everyone = {p for ps in self.people.values() for p in ps}
        if kind == "initial":
            org, initial, surname = rest.split("|", 2)
            return tuple(sorted({p.iri for p in everyone if (not org or p.org == org) and initial_of(p.label, initial, surname)}))
        if kind == "name":
            return tuple(sorted({p.iri for p in everyone if slug(p.label) == rest}))
        raise ValueError(f"unknown lookup key {key!r}")

    def changed(self, other: "Known", keys: Iterable[str]) -> bool:
        """Whether any of ``keys`` answers differently in ``other``."""
        return any(self.answer(k) != other.answer(k) for k in keys)


def initial_of(label: str, initial: str, surname: str) -> bool:
    """Whether the full name ``label`` may be written with ``initial`` and ``surname``."""
    folded = fold(label)
    first = folded.split()[0] if folded else ""
    return len(first) > 2 and first[0] == initial and folded.endswith(" " + surname)


@dataclass
class Lookups:
    """The lookups one report's mapping made, answered from what is known."""

    known: Known
    made: set[str] = field(default_factory=set)

    def __call__(self, key: str) -> tuple[str, ...]:
        self.made.add(key)
        return self.known.answer(key)
