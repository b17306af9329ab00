"""Named queries: one ``queries/NAME.rq`` file per question, with a ``#+`` YAML header.

    #+ title: Requests and the vendor's answers
    #+ description: …
    #+ params:
    #+   - name: org
    #+     type: iri            # iri, string, integer, date, boolean
    #+     description: …
    #+     required: false

Parameters are validated, turned into typed RDF terms and bound by the store
(a VALUES block of typed terms); the query text is never edited with user input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .mapping import SCHEMA
from .vocab import CLUB, TOOL, TOPIC

PREFIXES = {"club": str(CLUB), "tool": str(TOOL), "topic": str(TOPIC), "schema": str(SCHEMA)}
TYPES = ("iri", "string", "integer", "date", "boolean")


class ParameterError(ValueError):
    """A parameter value is missing, unknown or of the wrong type."""


class UnknownQuery(KeyError):
    """No named query has that name."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    default: str | None = None

    def term(self, raw: str, base: str | None = None) -> Node:
        """The typed RDF term for a raw value, or ParameterError."""
        raw = raw.strip()
        if self.type == "iri":
            m = re.fullmatch(r"([a-z]+):([\w.-]*)", raw)
            if m and m.group(1) in PREFIXES:
                return URIRef(PREFIXES[m.group(1)] + m.group(2))
            if base and re.fullmatch(r"(id|graph)/[\w./-]+", raw):
                return URIRef(base.rstrip("/") + "/" + raw)
            if not re.fullmatch(r"(https?|urn):[^\s<>\"{}|\\^`]+", raw):
                raise ParameterError(f"{self.name}: {raw!r} is not an IRI (give http(s)://…, urn:…, or club:/tool:/topic: names)")
            return URIRef(raw)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,12}", raw):
                raise ParameterError(f"{self.name}: {raw!r} is not an integer")
            return Literal(int(raw), datatype=XSD.integer)
        if self.type == "date":
            try:
                return Literal(date.fromisoformat(raw), datatype=XSD.date)
            except ValueError:
                raise ParameterError(f"{self.name}: {raw!r} is not a date (YYYY-MM-DD)") from None
        if self.type == "boolean":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ParameterError(f"{self.name}: {raw!r} is not a boolean (true or false)")
            return Literal(raw.lower() in ("true", "1"), datatype=XSD.boolean)
        if len(raw) > 500:
            raise ParameterError(f"{self.name}: value longer than 500 characters")
        return Literal(raw)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bindings(self, raw: dict[str, str], base: str | None = None) -> dict[str, Node]:
        """Validate raw parameter values into typed terms."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ParameterError(f"unknown parameter(s) {', '.join(unknown)} for query {self.name}"
                                 f" (expected: {', '.join(known) or 'none'})")
        out: dict[str, Node] = {}
        for p in self.params:
            value = raw.get(p.name, p.default)
            if value is None or value == "":
                if p.required:
                    raise ParameterError(f"missing required parameter {p.name} for query {self.name}")
                continue
            out[p.name] = p.term(str(value), base)
        return out


def parse_named_query(name: str, text: str) -> NamedQuery:
    header = "\n".join(ln[2:].removeprefix(" ") for ln in text.splitlines() if ln.startswith("#+"))
    meta = yaml.safe_load(header) or {}
    params = []
    for p in meta.get("params") or []:
        if p.get("type", "string") not in TYPES:
            raise ValueError(f"{name}: parameter {p.get('name')} has unknown type {p.get('type')}")
        params.append(Param(name=p["name"], type=p.get("type", "string"), description=p.get("description", ""),
                            required=bool(p.get("required", False)),
                            default=None if p.get("default") is None else str(p["default"])))
    return NamedQuery(name, meta.get("title", name), meta.get("description", ""), text, tuple(params))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, NamedQuery]:
    """The bundled named queries, by name (parsed once per process)."""
    out = {}
    for f in sorted(files("publik_kg.queries").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name[:-3]
            out[name] = parse_named_query(name, f.read_text(encoding="utf-8"))
    return out


def get(name: str) -> NamedQuery:
    try:
        return catalogue()[name]
    except KeyError:
        raise UnknownQuery(name) from None
