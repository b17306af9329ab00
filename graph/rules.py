"""The OWL 2 RL rules that publik-kg's ontology needs, forward-chained over plain sets.

owlrl evaluates every OWL 2 RL rule over the whole graph, in pure Python, until nothing
changes: seconds for one report, hours for hundreds. The ontology only uses a few
constructs, so this module compiles its axioms once (class and property hierarchies,
domains, ranges, inverses, symmetric, transitive and functional properties, owl:sameAs)
and applies just those rules, each triple joined only with what it can meet:

    cax-sco cax-eqc1 cax-eqc2 prp-dom prp-rng prp-spo1 prp-eqp1 prp-eqp2 prp-inv1
    prp-inv2 prp-symp prp-trp prp-fp prp-ifp eq-sym eq-trans eq-rep-s eq-rep-p eq-rep-o

``supported(schema)`` says whether a schema uses anything else (restrictions, property
chains, keys, ...); then callers fall back to owlrl. tests/test_reasoning.py checks that
both give the same inferred graph on every test report.
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

# Schema vocabulary whose presence needs rules this module does not implement.
UNSUPPORTED = {OWL.propertyChainAxiom, OWL.hasKey, OWL.onProperty, OWL.intersectionOf, OWL.unionOf,
               OWL.complementOf, OWL.oneOf, OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom,
               OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.propertyDisjointWith,
               OWL.AllDisjointProperties, OWL.AsymmetricProperty, OWL.IrreflexiveProperty}


def supported(schema: Graph) -> bool:
    return not any(p in UNSUPPORTED or o in UNSUPPORTED for _, p, o in schema)


def reachable(edges: dict, start) -> set:
    """``start`` and every node reachable from it in a relation given as node → set of nodes."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _closure(edges: dict) -> dict:
    """Reflexive-transitive closure of a relation given as node → set of nodes."""
    return {start: reachable(edges, start) for start in list(edges)}


class Rules:
    """The compiled schema."""

    def __init__(self, schema: Graph):
        sub_c, sub_p = defaultdict(set), defaultdict(set)
        for s, o in schema.subject_objects(RDFS.subClassOf):
            sub_c[s].add(o)
        for s, o in schema.subject_objects(OWL.equivalentClass):
            sub_c[s].add(o)
            sub_c[o].add(s)
        for s, o in schema.subject_objects(RDFS.subPropertyOf):
            sub_p[s].add(o)
        for s, o in schema.subject_objects(OWL.equivalentProperty):
            sub_p[s].add(o)
            sub_p[o].add(s)
        self.supers_c = _closure(sub_c)
        self.supers_p = _closure(sub_p)
        self.domain, self.range, self.inverse = defaultdict(set), defaultdict(set), defaultdict(set)
        for s, o in schema.subject_objects(RDFS.domain):
            self.domain[s].add(o)
        for s, o in schema.subject_objects(RDFS.range):
            self.range[s].add(o)
        for s, o in schema.subject_objects(OWL.inverseOf):
            self.inverse[s].add(o)
            self.inverse[o].add(s)
        self.symmetric = set(schema.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(schema.subjects(RDF.type, OWL.TransitiveProperty))
        self.functional = set(schema.subjects(RDF.type, OWL.FunctionalProperty))
        self.inverse_functional = set(schema.subjects(RDF.type, OWL.InverseFunctionalProperty))

    def consequences(self, t, index) -> list:
        """Triples one rule application derives from ``t`` with what ``index`` holds."""
        s, p, o = t
        out = []
        if p == RDF.type:
            out += [(s, RDF.type, c) for c in self.supers_c.get(o, ())]     # cax-sco, cax-eqc
        elif p == OWL.sameAs:
            out.append((o, OWL.sameAs, s))                                   # eq-sym
            out += [(s, OWL.sameAs, x) for x in index.objects(o, OWL.sameAs)]  # eq-trans
            out += [(x, OWL.sameAs, o) for x in index.subjects(s, OWL.sameAs)]
            out += [(o, q, x) for q, x in index.by_subject(s)]               # eq-rep-s
            out += [(x, q, o) for x, q in index.by_object(s)]                # eq-rep-o
            out += [(a, o, b) for a, b in index.pairs(s)]                    # eq-rep-p
        else:
            out += self._property_rules(t, index)
        for x in index.objects(s, OWL.sameAs):                               # eq-rep-s
            out.append((x, p, o))
        for x in index.objects(o, OWL.sameAs):                               # eq-rep-o
            out.append((s, p, x))
        for x in index.objects(p, OWL.sameAs):                               # eq-rep-p
            out.append((s, x, o))
        return out

    def _property_rules(self, t, index) -> list:
        s, p, o = t
        out = []
        for q in self.supers_p.get(p, ()):
            out.append((s, q, o))
        for c in self.domain.get(p, ()):
            out.append((s, RDF.type, c))
        for c in self.range.get(p, ()):
            out.append((o, RDF.type, c))
        for q in self.inverse.get(p, ()):
            out.append((o, q, s))
        if p in self.symmetric:
            out.append((o, p, s))
        if p in self.transitive:
            out += [(s, p, x) for x in index.objects(o, p)]
            out += [(x, p, o) for x in index.subjects(s, p)]
        if p in self.functional:
            out += [(o, OWL.sameAs, x) for x in index.objects(s, p) if x != o]
        if p in self.inverse_functional:
            out += [(s, OWL.sameAs, x) for x in index.subjects(o, p) if x != s]
        return out


class Index:
    """The triples derived so far, by subject, object and predicate."""

    def __init__(self):
        self.all: set = set()
        self.sp, self.op, self.p = defaultdict(set), defaultdict(set), defaultdict(set)
        self.s, self.o = defaultdict(set), defaultdict(set)

    def add(self, t) -> bool:
        if t in self.all:
            return False
        s, p, o = t
        self.all.add(t)
        self.sp[s, p].add(o)
        self.op[o, p].add(s)
        self.p[p].add((s, o))
        self.s[s].add((p, o))
        self.o[o].add((s, p))
        return True

    def objects(self, s, p):
        return list(self.sp.get((s, p), ()))

    def subjects(self, o, p):
        return list(self.op.get((o, p), ()))

    def by_subject(self, s):
        return list(self.s.get(s, ()))

    def by_object(self, o):
        return list(self.o.get(o, ()))

    def pairs(self, p):
        return list(self.p.get(p, ()))


def closure(schema: Graph, triples) -> set:
    """Everything the rules derive from ``schema`` and ``triples`` (both included)."""
    rules, index = Rules(schema), Index()
    todo = [*schema, *triples]
    while todo:
        t = todo.pop()
        if not index.add(t):
            continue
        todo.extend(rules.consequences(t, index))
    return index.all

