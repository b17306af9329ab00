"""Which remote endpoints a SPARQL query or update would contact, read from its parse.

Oxigraph really sends HTTP requests for ``SERVICE`` (queries and updates) and ``LOAD``
(updates). Whether a request may do so is decided here, on the tree of a real SPARQL
parser (rdflib's), never on the text: every ``SERVICE`` and ``LOAD`` target is resolved as
the parser resolves it (prefixed names through the prologue, relative IRIs against BASE or
the endpoint's own IRI) and must be a constant IRI under an operator-allowed prefix; a
variable or computed target is refused whatever the allow list says.

Details keep the parser's view at least as wide as Oxigraph's:
- Codepoint escapes are expanded here, and rdflib's grammar is called without its own
  expansion: rdflib expands them in the whole text (Oxigraph only inside IRIs and strings),
  case-insensitively and with eight digits after ``\\u``. An escape that would become a
  character that opens or closes a string, an IRI or a comment (a quote, a backslash, ``<``,
  ``>``, ``#``, a line break) could move a boundary for rdflib only and hide a ``SERVICE``:
  it becomes U+FFFD instead (a character no allowed prefix holds).
- Oxigraph ends a comment at a carriage return, rdflib only at a line feed: carriage
  returns are read as line feeds. rdflib can take a ``#`` inside a string for a comment:
  such signs become U+FFFD (where strings are is read by ``sparqltext``'s lexer).
- Oxigraph keeps a ``BASE`` for the operations of an update that follow it; so does the
  resolution here.
- The keywords are also counted by a plain lexer (``sparqltext.tokens``, which reads
  escapes, strings, IRIs and comments as Oxigraph does): when it sees more SERVICE / LOAD
  keywords than the parse holds, the two disagree and the text is refused as unverifiable.
- A text that does not contain the words at all (after expanding escapes) cannot contain
  the keywords, so it is not parsed: keywords cannot be escaped or split in SPARQL. This
  only skips work; it never allows a text that contains them.

Parsing runs where a runaway parse can be stopped: in the killable query workers
(rdflib's parser is pure Python and can take seconds on adversarial input); only with
``PUBLIK_KG_WORKERS=0`` or a remote store does it run in the serving process.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRUCTURAL = frozenset("'\"\\<>#\n\r")
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


def _comment_signs_out_of_strings(text: str) -> str:
    """``text`` with each ``#`` inside a string literal replaced by U+FFFD (same length):
    rdflib's parser can take a ``#`` in a string for a comment when it backtracks."""
    from .sparqltext import string_spans
    if "#" not in text:
        return text
    chars = list(text)
    for start, end in string_spans(text):
        for i in range(start, min(end, len(chars))):
            if chars[i] == "#":
                chars[i] = "\ufffd"
    return "".join(chars)


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
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    prepared = _expanded(_comment_signs_out_of_strings(text)).replace("\r", "\n")
    try:
        if kind == "update":
            tree = UpdateUnit.parse_string(prepared, parse_all=True)[0]
            units = list(zip(tree.prologue, tree.request)) if tree.request else []
        else:
            parsed = Query.parse_string(prepared, parse_all=True)
            units = [(parsed[0], parsed[1])]
    except (ParseException, RecursionError, ValueError, TypeError) as e:
        raise Unverifiable(f"SERVICE or LOAD could not be verified: {str(e)[:200]}") from None
    found: list[Target] = []
    prologue = None
    for decls, body in units:
        # the endpoint's IRI is the base of the first operation; a BASE holds for the next ones
        prologue = translatePrologue(decls, base if prologue is None else None, None, prologue)
        for keyword, term in _outbound_terms(body):
            found.append(Target(keyword, _resolve(term, prologue)))
    if _keywords_lexed(text, kind) > len(found):
        raise Unverifiable("SERVICE or LOAD could not be verified: the parsers disagree on where they are")
    return found


def _keywords_lexed(text: str, kind: str) -> int:
    """How many SERVICE (and LOAD) keywords a lexer that reads the text as Oxigraph does
    finds outside strings, IRIs and comments (a word glued to a prefixed name counts)."""
    from .sparqltext import tokens
    words = ("SERVICE", "LOAD") if kind == "update" else ("SERVICE",)
    return sum(1 for _, w, _ in tokens(text) if w.upper().split(":")[0] in words)


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
        if not any(under(t.iri, prefix) for prefix in allowed):
            return (f"{t.keyword} <{t.iri}> would reach outside this dataset; "
                    "an operator may allow it (PUBLIK_KG_ALLOW_SERVICE)")
    return None


def under(iri: str, prefix: str) -> bool:
    """Whether ``iri`` is under the allowed ``prefix``: the same scheme, host and port, no user
    information, and a path that starts with the prefix's (``https://a.org`` does not allow
    ``https://a.org.evil.net/`` nor ``https://a.org@evil.net/``)."""
    from urllib.parse import urlsplit
    try:
        a, p = urlsplit(iri), urlsplit(prefix)
        if a.scheme.lower() not in ("http", "https") or "@" in a.netloc or "@" in p.netloc:
            return False
        same = (a.scheme.lower(), a.hostname, a.port or 0) == (p.scheme.lower(), p.hostname, p.port or 0)
    except ValueError:                 # a malformed port or host
        return False
    return same and a.hostname is not None and a.path.startswith(p.path) and (
        not (p.query or p.fragment) or iri.startswith(prefix))
