"""Values are bound into the query's top-level group, whatever the query form."""
import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from publik_kg.sparqltext import BindingError, inject_values


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }", "SELECT * { ?s ?p ?o }", "ASK { ?s ?p ?o }", "ASK WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }",
    "PREFIX x: <http://x/> SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } ?s ?p ?o }",
])
def test_values_go_first_in_the_top_level_group(query):
    bound = inject_values(query, {"p": URIRef("http://x/p"), "o": Literal("} ; DROP ALL ; {")})
    prepareQuery(bound)                               # still one valid query
    head, _, rest = bound.partition("VALUES")
    assert head.count("{") - head.count("}") == 1            # inside the WHERE group, not a template
    assert rest.startswith(' (?p ?o) { (<http://x/p> "} ; DROP ALL ; {") }')


@pytest.mark.parametrize("query", ["DESCRIBE <http://x/a>", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_a_query_without_a_group_for_values_cannot_take_them(query):
    with pytest.raises(BindingError):
        inject_values(query, {"s": URIRef("http://x/s")})
