"""Print the ontology's classes and properties as Markdown tables (for the README)."""
from rdflib import RDF, RDFS, OWL
from rdflib.namespace import SKOS

from publik_kg.vocab import CLUB, ontology_graph


def label(g, s, lang):
    return next((str(o) for o in g.objects(s, RDFS.label) if o.language == lang), "")


def curie(g, t):
    try:
        return g.namespace_manager.normalizeUri(t)
    except Exception:
        return str(t)


def main():
    g = ontology_graph()
    print("| class | label (fr) | subclass of | definition |\n|---|---|---|---|")
    for c in sorted(s for s in g.subjects(RDF.type, OWL.Class) if str(s).startswith(str(CLUB))):
        sup = ", ".join(sorted(curie(g, o) for o in g.objects(c, RDFS.subClassOf)))
        d = next((str(o) for o in g.objects(c, SKOS.definition) if o.language == "en"), "")
        print(f"| {curie(g, c)} | {label(g, c, 'fr')} | {sup} | {d} |")
    print("\n| property | label (fr) | domain → range | aligned to | definition |\n|---|---|---|---|---|")
    props = set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    for p in sorted(x for x in props if str(x).startswith(str(CLUB))):
        dom = curie(g, g.value(p, RDFS.domain)) if g.value(p, RDFS.domain) else ""
        rng = curie(g, g.value(p, RDFS.range)) if g.value(p, RDFS.range) else ""
        sup = ", ".join(sorted(curie(g, o) for o in g.objects(p, RDFS.subPropertyOf)))
        extra = " (transitive)" if (p, RDF.type, OWL.TransitiveProperty) in g else ""
        inv = g.value(p, OWL.inverseOf)
        if inv:
            extra += f" inverse {curie(g, inv)}"
        d = next((str(o) for o in g.objects(p, SKOS.definition) if o.language == "en"), "")
        print(f"| {curie(g, p)}{extra} | {label(g, p, 'fr')} | {dom} → {rng} | {sup} | {d} |")


if __name__ == "__main__":
    main()
