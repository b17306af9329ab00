"""Bind values into SPARQL text safely: an inline VALUES block of typed terms.

The block is placed first in the query's top-level WHERE group, so bound variables
are in scope for every pattern, FILTER and HAVING of the query, as with rdflib's
``initBindings``. Terms are written by rdflib's ``n3()``, which escapes literals and
checks IRIs, so an input can only ever be a value, never SPARQL syntax.
"""
from __future__ import annotations

import re
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class BindingError(ValueError):
    """A binding cannot be placed in this query."""


def where_brace(sparql: str) -> int:
    """Offset of the "{" opening the top-level WHERE group (-1 when there is none)."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:])
            if m:
                i += m.end()
                continue
        if c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and sparql[j:j + len(quote)] != quote:
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        m = re.match(r"(?i)WHERE\s*\{", sparql[i:]) if c in "wW" and (i == 0 or not sparql[i - 1].isalnum()) else None
        if m:
            return i + m.end() - 1
        i += 1
    return -1


def term_text(term: Node) -> str:
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise BindingError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise BindingError(f"cannot bind {term!r}")


def inject_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``VALUES (?a ?b) { (x y) }`` first in its WHERE group."""
    if not bindings:
        return sparql
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise BindingError(f"invalid variable name {name!r}")
    pos = where_brace(sparql)
    if pos < 0:
        raise BindingError("the query has no WHERE clause to bind values in")
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(term_text(v) for v in bindings.values())
    return f"{sparql[:pos + 1]} VALUES ({names}) {{ ({values}) }} {sparql[pos + 1:]}"
