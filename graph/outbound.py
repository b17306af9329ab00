"""Which remote endpoints a SPARQL query or update would contact, read from its parse.

Oxigraph really sends HTTP requests for ``SERVICE`` (queries and updates) and ``LOAD``
(updates). Whether a request may do so is decided here, on the tree of a real SPARQL
parser (rdflib's), never on the text: every ``SERVICE`` and ``LOAD`` target is resolved as
the parser resolves it (prefixed names through the prologue, relative IRIs against BASE or
the endpoint's own IRI) and must be a constant IRI under an operator-allowed prefix; a
variable or computed target is refused whatever the allow list says.

Two details keep the parser's view at least as wide as Oxigraph's:
- Codepoint escapes are expanded here, not by rdflib: rdflib expands them in the whole text
  (Oxigraph only inside IRIs and strings) and reads ``\\u`` followed by eight hex digits as
  one eight-digit escape (Oxigraph: four, then text). An escape that would become a quote,
  a backslash or ``>`` could move a string's or an IRI's end for rdflib only and hide a
  ``SERVICE`` inside it: it becomes U+FFFD instead (a character no allowed prefix holds).
- A text that does not contain the words at all (after expanding escapes) cannot contain
  the keywords, so it is not parsed: keywords cannot be escaped or split in SPARQL. This
  only skips work; it never allows a text that contains them.

Parsing runs where a runaway parse can be stopped: in the killable query workers
(rdflib's parser is pure Python and can take seconds on adversarial input).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRUCTURAL = frozenset("'\"\\>")
_WORDS = re.compile(r"(?i)service|load")


class Unverifiable(ValueError):
    """The text mentions SERVICE or LOAD but the parser cannot read it (a 400)."""


class Refused(PermissionError):
    """The text would contact an endpoint the operator has not allowed (a 403)."""


@dataclass(frozen=True)
class Target:
    keyword: str             # "SERVICE" or "LOAD"
    iri: str | None          # None: a variable or an expression, known only when evaluated


def _decoded(m: re.Match) -> str:
    try:
        return chr(int(m.group(1) or m.group(2), 16))
    except (ValueError, OverflowError):
        return "\ufffd"


def _expanded(text: str) -> str:
    """``text`` with its escapes expanded as Oxigraph reads them, except those that would
    change the parser's token boundaries (U+FFFD instead); no escape is left for rdflib."""
    def one(m: re.Match) -> str:
        c = _decoded(m)
        return "\ufffd" if c in _STRUCTURAL or 0xD800 <= ord(c) <= 0xDFFF else c
    return _ESCAPE.sub(one, text)


def may_reach_out(text: str) -> bool:
    """Whether ``text`` can contain a SERVICE or LOAD keyword at all."""
    return bool(_WORDS.search(_ESCAPE.sub(_decoded, text)))


def targets(text: str, kind: str, base: str) -> list[Target]:
    """Every SERVICE (and, in an update, LOAD) target of ``text``, resolved as absolute IRIs.

    ``kind`` is "query" or "update"; ``base`` is the IRI relative references resolve
    against when the text declares no BASE (the endpoint's own). Raises ``Unverifiable``
    when the text mentions the keywords but does not parse.
    """
    if not may_reach_out(text):
        return []
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        if kind == "update":
            tree = parseUpdate(_expanded(text))
            units = list(zip(tree.prologue, tree.request)) if tree.request else []
        else:
            parsed = parseQuery(_expanded(text))
            units = [(parsed[0], parsed[1])]
    except (ParseException, RecursionError, ValueError, TypeError) as e:
        raise Unverifiable(f"SERVICE or LOAD could not be verified: {str(e)[:200]}") from None
    found: list[Target] = []
    prologue = None
    for decls, body in units:
        prologue = translatePrologue(decls, base, None, prologue)
        for keyword, term in _outbound_terms(body):
            found.append(Target(keyword, _resolve(term, prologue)))
    return found


def _outbound_terms(tree):
    """(keyword, raw term) of each SERVICE pattern and LOAD operation in a parse tree."""
    from rdflib.plugins.sparql.parserutils import CompValue
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                yield "SERVICE", node.get("term")
            elif node.name == "Load":
                yield "LOAD", node.get("iri")
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _resolve(term, prologue) -> str | None:
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.parserutils import CompValue
    if isinstance(term, Variable) or term is None:
        return None
    if isinstance(term, (CompValue, URIRef)):
        try:
            iri = prologue.absolutize(term)
        except Exception:       # an undeclared prefix: Oxigraph refuses it too
            return None
        return str(iri) if isinstance(iri, URIRef) else None
    return None


def decide(text: str, kind: str, base: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``text`` may contact allowed endpoints (True) or none at all (False); raises
    ``Refused`` or ``Unverifiable`` when it may not run."""
    found = targets(text, kind, base)
    reason = refusal(found, allowed)
    if reason:
        raise Refused(reason)
    return bool(found)


def refusal(found: list[Target], allowed: tuple[str, ...]) -> str | None:
    """Why ``found`` may not run under the operator's ``allowed`` prefixes (None: it may)."""
    for t in found:
        if t.iri is None:
            return (f"{t.keyword} with a variable or computed target is never allowed: "
                    "its endpoint would only be known while the query runs")
        if not any(t.iri.startswith(prefix) for prefix in allowed):
            return (f"{t.keyword} <{t.iri}> would reach outside this dataset; "
                    "an operator may allow it (PUBLIK_KG_ALLOW_SERVICE)")
    return None
