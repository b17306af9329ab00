"""Bind values into SPARQL text safely: an inline VALUES block of typed terms.

The block is placed first in the query's top-level WHERE group, so bound variables
are in scope for every pattern, FILTER and HAVING of the query, as with rdflib's
``initBindings``. Terms are written by rdflib's ``n3()``, which escapes literals and
checks IRIs, so an input can only ever be a value, never SPARQL syntax.
"""
from __future__ import annotations

import re
from typing import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*')


def is_absolute_iri(text: str) -> bool:
    """Whether ``text`` can stand between < > as an absolute IRI."""
    return bool(_ABSOLUTE_IRI.fullmatch(text))


class BindingError(ValueError):
    """A binding cannot be placed in this query."""


_IRI_TOKEN = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_LINE_END = re.compile(r"[\r\n]")
_WORD_TOKEN = re.compile(r"[^\W\d][\w-]*(?::[\w.-]*)?")


def _scan(sparql: str):
    """Yield (offset, text, brace depth, kind) for each IRI, string, word and brace outside
    comments, kind being "iri", "string", "word" or "brace" (in time linear in the text's
    length, whatever its characters). Strings, IRIs and comments are read as Oxigraph reads
    them: escapes do not end them, a comment ends at a line feed or a carriage return."""
    i, n, depth = 0, len(sparql), 0
    while i < n:
        c = sparql[i]
        if c == "#":
            m = _LINE_END.search(sparql, i)
            i = n if m is None else m.end()
            continue
        if c == "<":
            m = _IRI_TOKEN.match(sparql, i)
            if m:
                yield i, m.group(0), depth, "iri"
                i = m.end()
                continue
        if c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and sparql[j:j + len(quote)] != quote:
                j += 2 if sparql[j] == "\\" else 1
            yield i, sparql[i:j + len(quote)], depth, "string"
            i = j + len(quote)
            continue
        if c.isalpha() and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "?$:_")):
            m = _WORD_TOKEN.match(sparql, i)
            if m:
                yield i, m.group(0), depth, "word"
                i = m.end()
                continue
        if c == "{":
            yield i, c, depth, "brace"
            depth += 1
        elif c == "}":
            depth -= 1
            yield i, c, depth, "brace"
        i += 1


def tokens(sparql: str):
    """Yield (offset, word or punctuation, brace depth) outside IRIs, strings and comments."""
    for pos, text, depth, kind in _scan(sparql):
        if kind != "string":
            yield pos, text, depth


def string_spans(sparql: str) -> list[tuple[int, int]]:
    """(start, end) of each string literal of the text."""
    return [(pos, pos + len(text)) for pos, text, _, kind in _scan(sparql) if kind == "string"]


def keywords(sparql: str) -> set[str]:
    """Upper-cased bare words of a query (USING, WITH, FROM…), outside IRIs, strings and comments."""
    return {w.upper() for _, w, _ in tokens(sparql) if ":" not in w and not w.startswith("<")}


def declares_dataset(sparql: str) -> bool:
    """Whether a query names its dataset (FROM / FROM NAMED)."""
    return "FROM" in keywords(sparql)


def where_brace(sparql: str) -> int:
    """Offset of the "{" opening the top-level WHERE group (-1 when there is none); the
    keyword WHERE is optional except in CONSTRUCT's short form."""
    form, prev, groups = "", "", 0
    after_where = False
    for pos, word, depth in tokens(sparql):
        w = word.upper()
        if after_where:
            return pos if word == "{" else -1
        if depth == 0 and w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not form:
            form = w
        if depth == 0 and w == "WHERE" and prev == "CONSTRUCT":
            return -1                                # the short form's group is its template
        after_where = depth == 0 and w == "WHERE"
        prev = w
        if depth == 0 and word == "{" and form:
            groups += 1
            if form != "CONSTRUCT" or groups == 2:   # CONSTRUCT's first group is its template
                return pos
    return -1


def inject_using(update: str, default: list[str], named: list[str]) -> str:
    """Add USING / USING NAMED clauses before the WHERE of each DELETE/INSERT
    operation, as the SPARQL 1.1 Protocol's using-graph-uri parameters require."""
    clause = " ".join([f"USING <{g}>" for g in default] + [f"USING NAMED <{g}>" for g in named])
    for g in default + named:
        if _IRI_FORBIDDEN.search(g):
            raise BindingError(f"not a valid IRI: {g!r}")
    spots, prev = [], ""
    for pos, word, depth in tokens(update):
        w = word.upper()
        if depth == 0 and w == "WHERE" and prev not in ("DELETE", "INSERT") and not word.startswith("<"):
            spots.append(pos)
        prev = w
    for pos in reversed(spots):
        update = f"{update[:pos]}{clause} {update[pos:]}"
    return update


# ' as a codepoint escape, not \': no raw quote of either kind in a written literal (so it can
# close no string a text around it left open), and rdflib's parser refuses \' in "…"
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "'": "\\u0027", "\n": "\\n", "\r": "\\r",
                                  "\t": "\\t", "\b": "\\b", "\f": "\\f"})


def sparql_term(term: Node) -> str:
    """A term in SPARQL (and N-Triples) syntax, on one line, that no content can break out of:
    an IRI is checked, a literal is one short string with every quote, backslash and line
    break escaped (rdflib's ``n3()`` may write a long string that a stray quote can end)."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise BindingError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_LITERAL_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{sparql_term(URIRef(term.datatype))}" if term.datatype else text
    if isinstance(term, BNode):
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", str(term)):
            raise BindingError(f"not a valid blank node label: {str(term)!r}")
        return f"_:{term}"
    raise BindingError(f"cannot write {term!r} in SPARQL")


def term_text(term: Node) -> str:
    """A value bound into a query: an IRI or a literal."""
    if isinstance(term, (URIRef, Literal)):
        return sparql_term(term)
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
