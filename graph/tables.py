"""CSV tables of the graph for people who do not speak RDF, each with W3C CSVW metadata.

Every table is one SPARQL SELECT over the asserted graphs; its CSVW metadata maps each
column back to the triple it came from (``aboutUrl`` / ``propertyUrl`` / ``valueUrl``), so
a CSVW processor turns the CSV into the same triples (minimal mode). Columns only there for
readers (a name next to an IRI, a date of varying precision) are ``suppressOutput``.
Multi-valued relations get a table of their own (one row per link) rather than a
separator, since a URI template cannot expand a list into several IRIs.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from rdflib.namespace import RDFS

from .store import OxigraphStore
from .vocab import CLUB, ontology_graph

PREFIXES = """PREFIX club: <https://w3id.org/publik-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


@dataclass(frozen=True)
class Column:
    name: str
    description: str                  # French, for readers of the metadata
    prop: str | None = None           # propertyUrl; None: a column for readers only
    datatype: str = "string"
    value_url: str | None = None      # the cell is an IRI
    about: str | None = None          # another subject than the row's
    lang: str | None = None
    most_specific: bool = False       # of the classes the query gives, keep the most specific


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    about: str                        # the row's subject (URI template)
    columns: tuple[Column, ...]
    query: str                        # SELECT with one variable per column name

    def metadata(self, url: str) -> dict:
        cols = []
        for c in self.columns:
            col = {"name": c.name, "titles": c.name, "dc:description": c.description, "datatype": c.datatype}
            if c.prop is None:
                col["suppressOutput"] = True
            else:
                col["propertyUrl"] = c.prop
            if c.value_url:
                col["valueUrl"] = c.value_url
            if c.about:
                col["aboutUrl"] = c.about
            if c.lang:
                col["lang"] = c.lang
            cols.append(col)
        return {"@context": ["http://www.w3.org/ns/csvw", {"@language": "fr"}], "url": url,
                "dc:title": self.title, "dc:license": {"@id": LICENSE},
                "dialect": {"header": True, "encoding": "utf-8"},
                "tableSchema": {"aboutUrl": self.about, "columns": cols}}


LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
C = str(CLUB)
IRI = "{+%s}"


def _iri(name: str, description: str, prop: str, about: str | None = None) -> Column:
    return Column(name, description, prop, "anyURI", IRI % name, about)


_REQUEST_COLUMNS = (
    Column("request", "IRI de la demande", None, "anyURI"),
    Column("kind", "genre : FeatureRequest, SharingOffer ou PlannedEvolution",
           RDF_TYPE, value_url=C + "{kind}"),
    _iri("meeting", "réunion où elle a été exprimée", C + "meeting"),
    Column("meetingDate", "date de la réunion (jour, mois ou année)"),
    Column("text", "texte de la demande", C + "text", lang="fr"),
    Column("raisers", "qui l'a exprimée (noms ; liens dans request-raisers.csv)"),
    Column("topics", "thèmes (libellés ; liens dans request-topics.csv)"),
    _iri("response", "IRI de la réponse d'Entr'ouvert", C + "response"),
    Column("answer", "texte de la réponse", C + "text", about=IRI % "response", lang="fr"),
    Column("stances", "positions de la réponse (liens dans response-stances.csv)"),
)


def _requests_query(kinds: str) -> str:
    return PREFIXES + f"""SELECT ?request ?kind ?meeting ?meetingDate ?text ?raisers ?topics ?response ?answer ?stances
WHERE {{
  {{ SELECT ?request (GROUP_CONCAT(DISTINCT ?rname; separator=" | ") AS ?raisers)
                   (GROUP_CONCAT(DISTINCT ?tname; separator=" | ") AS ?topics)
                   (GROUP_CONCAT(DISTINCT STRAFTER(STR(?st), "#"); separator=" | ") AS ?stances)
    WHERE {{ {{ ?request a ?type }} VALUES ?type {{ {kinds} }}
            OPTIONAL {{ ?request club:raisedBy/skos:prefLabel ?rname }}
            OPTIONAL {{ ?request club:topic/skos:prefLabel ?tname FILTER(lang(?tname) = "fr") }}
            OPTIONAL {{ ?request club:response/club:stance ?st }} }}
    GROUP BY ?request }}
  {{ ?request a ?type ; club:meeting ?meeting ; club:text ?text }} VALUES ?type {{ {kinds} }}
  BIND(STRAFTER(STR(?type), "#") AS ?kind)
  OPTIONAL {{ ?meeting club:date ?meetingDate }}
  OPTIONAL {{ ?request club:response ?response . ?response club:text ?answer }}
}}"""


def _link_query(prop: str, var: str, label: str) -> str:
    return PREFIXES + f"""SELECT DISTINCT ?request ?{var} ?{label}
WHERE {{ {{ ?request a ?type ; {prop} ?{var} }}
        ?type rdfs:subClassOf* club:Request .
        OPTIONAL {{ ?{var} skos:prefLabel ?{label} FILTER(lang(?{label}) IN ("fr", "")) }} }}"""


TABLES = (
    Table("meetings", "Réunions du Club des utilisateurs Publik", IRI % "meeting", (
        Column("meeting", "IRI de la réunion", None, "anyURI"),
        Column("ordinal", "rang de la réunion", C + "ordinal", "integer"),
        Column("date", "date (jour, mois ou année)"),
        Column("label", "intitulé", RDFS_LABEL, lang="fr"),
        Column("occasion", "occasion (salon…)", C + "occasion", lang="fr"),
        _iri("venue", "lieu", C + "venue"),
        _iri("host", "organisme hôte", C + "host"),
        Column("hostName", "nom de l'hôte"),
        _iri("report", "compte rendu", C + "report"),
    ), PREFIXES + """SELECT ?meeting ?ordinal ?date ?label ?occasion ?venue ?host ?hostName ?report
WHERE { { ?meeting a club:Meeting ; club:report ?report ; rdfs:label ?label
         OPTIONAL { ?meeting club:ordinal ?ordinal } OPTIONAL { ?meeting club:occasion ?occasion }
         OPTIONAL { ?meeting club:venue ?venue } }
  OPTIONAL { ?meeting club:host ?host OPTIONAL { ?host skos:prefLabel ?hostName } }
  OPTIONAL { ?meeting club:date ?date } }"""),

    Table("organizations", "Organismes nommés dans les comptes rendus", IRI % "organization", (
        Column("organization", "IRI de l'organisme", None, "anyURI"),
        Column("name", "nom officiel", SKOS_PREF, lang="fr"),
        Column("kind", "type (Commune, Metropole, Departement…)", RDF_TYPE, value_url=C + "{kind}",
               most_specific=True),
        Column("inseeCode", "code INSEE (commune, département, région)", C + "inseeCode"),
        Column("siren", "SIREN (EPCI, autorité)", C + "siren"),
        Column("population", "population municipale", C + "population", "integer"),
        _iri("epci", "EPCI dont la commune est membre", C + "memberOfEpci"),
        Column("meetings", "nombre de réunions où il était présent", None, "integer"),
    ), PREFIXES + """SELECT ?organization (MIN(?n) AS ?name) (GROUP_CONCAT(DISTINCT ?k; separator=" | ") AS ?kind)
       (MIN(?insee) AS ?inseeCode) (MIN(?sirenCode) AS ?siren) (MIN(?pop) AS ?population)
       (MIN(?memberOf) AS ?epci) (COUNT(DISTINCT ?m) AS ?meetings)
WHERE {
  ?organization a club:Organization , ?type ; skos:prefLabel ?n .
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/publik-kg/ontology#"))
  BIND(STRAFTER(STR(?type), "#") AS ?k)
  OPTIONAL { ?organization club:inseeCode ?insee } OPTIONAL { ?organization club:siren ?sirenCode }
  OPTIONAL { ?organization club:population ?pop } OPTIONAL { ?organization club:memberOfEpci ?memberOf }
  OPTIONAL { ?m club:attendee ?organization }
}
GROUP BY ?organization"""),

    Table("attendance", "Présence des organismes aux réunions", IRI % "meeting", (
        Column("meeting", "IRI de la réunion", None, "anyURI"),
        _iri("organization", "organisme présent", C + "attendee"),
        Column("name", "nom de l'organisme"),
    ), PREFIXES + """SELECT DISTINCT ?meeting ?organization ?name
WHERE { { ?meeting club:attendee ?organization }
        ?organization a ?type ; skos:prefLabel ?name . ?type rdfs:subClassOf* club:Organization }"""),

    Table("requests", "Demandes des participants et réponses d'Entr'ouvert", IRI % "request",
          _REQUEST_COLUMNS, _requests_query("club:FeatureRequest club:SharingOffer")),
    Table("evolutions", "Évolutions envisagées par les organismes", IRI % "request",
          _REQUEST_COLUMNS, _requests_query("club:PlannedEvolution")),
    Table("request-raisers", "Qui a exprimé chaque demande", IRI % "request", (
        Column("request", "IRI de la demande", None, "anyURI"),
        _iri("raiser", "organisme, personne ou groupe", C + "raisedBy"),
        Column("name", "nom"),
    ), _link_query("club:raisedBy", "raiser", "name")),
    Table("request-topics", "Thèmes de chaque demande", IRI % "request", (
        Column("request", "IRI de la demande", None, "anyURI"),
        _iri("topic", "thème (schéma SKOS)", C + "topic"),
        Column("label", "libellé du thème"),
    ), _link_query("club:topic", "topic", "label")),
    Table("response-stances", "Positions de chaque réponse d'Entr'ouvert", IRI % "response", (
        Column("response", "IRI de la réponse", None, "anyURI"),
        _iri("stance", "position (acceptée, prévue, à l'étude…)", C + "stance"),
        Column("label", "libellé de la position"),
    ), PREFIXES + """SELECT DISTINCT ?response ?stance ?label
WHERE { ?response a club:Response ; club:stance ?stance .
        OPTIONAL { ?stance skos:prefLabel ?label FILTER(lang(?label) = "fr") } }"""),
    Table("tools-in-use", "Outils utilisés ou évalués par les organismes", IRI % "organization", (
        Column("organization", "IRI de l'organisme", None, "anyURI"),
        Column("relation", "uses (utilise) ou evaluates (évalue)"),
        Column("tool", "outil (schéma SKOS)", C + "{relation}", "anyURI", IRI % "tool"),
        Column("organizationName", "nom de l'organisme"),
        Column("toolName", "nom de l'outil"),
    ), PREFIXES + """SELECT DISTINCT ?organization ?relation ?tool ?organizationName ?toolName
WHERE { { ?organization ?p ?tool } VALUES ?p { club:uses club:evaluates }
        BIND(STRAFTER(STR(?p), "#") AS ?relation)
        OPTIONAL { ?organization skos:prefLabel ?organizationName }
        OPTIONAL { ?tool skos:prefLabel ?toolName FILTER(lang(?toolName) IN ("fr", "")) } }"""),
)


def rows(view: OxigraphStore, table: Table) -> list[list[str]]:
    """The table's rows over ``view`` (see dumps.union_view), sorted; multi-valued cells
    have their values sorted too."""
    res = view.query(table.query, default_graphs=[])
    index = {v: i for i, v in enumerate(res.vars)}
    out = set()
    for row in res.rows:
        cells = []
        for c in table.columns:
            t = row[index[c.name]]
            text = "" if t is None else str(t)
            if c.most_specific:
                text = _most_specific(text.split(" | "))
            cells.append(" | ".join(sorted(text.split(" | "))) if " | " in text else text)
        out.add(tuple(cells))
    return [list(r) for r in sorted(out)]


def _most_specific(names: list[str]) -> str:
    """The one of these club: classes no other of them is a subclass of."""
    onto = ontology_graph()
    supers = {n: {str(c) for c in onto.transitive_objects(CLUB[n], RDFS.subClassOf)} - {str(CLUB[n])} for n in names}
    leaves = [n for n in names if not any(str(CLUB[n]) in supers[m] for m in names if m != n)]
    return " | ".join(sorted(leaves))


def write(view: OxigraphStore, table: Table) -> tuple[bytes, bytes]:
    """(CSV bytes, CSVW metadata bytes) of one table."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.name for c in table.columns])
    w.writerows(rows(view, table))
    meta = table.metadata(f"{table.name}.csv")
    return buf.getvalue().encode("utf-8"), (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
