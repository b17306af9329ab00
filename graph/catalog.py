"""The DCAT-AP catalogue and the VoID description of a publication.

IRIs of the catalogue, the dataset, its distributions and the SPARQL service derive from
the dataset's base IRI and the file names, never from the time or the download URL, so a
portal harvesting two exports sees the same dataset (CKAN's ckanext-dcat deletes datasets
that vanish from a harvest). What harvesters skip on is always there: a literal
``dct:identifier`` and a ``dct:title`` on the dataset (data.gouv.fr), a ``dcat:downloadURL``
and ``dcat:accessURL`` on each distribution. Dates come from the data (ingest times in the
provenance graphs, meeting dates), so the same store gives the same catalogue.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from .store import OxigraphStore, Store
from .vocab import CLUB, TOPIC

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
IDENTIFIER = "publik-kg-club-utilisateurs-publik"


@dataclass(frozen=True)
class Publisher:
    name: str = "Club des utilisateurs Publik"
    homepage: str = "https://www.entrouvert.com/"
    contact_name: str = "Club des utilisateurs Publik"
    contact_url: str = "https://dev.entrouvert.org/projects/publik"
    contact_email: str = ""


@dataclass(frozen=True)
class FileInfo:
    name: str           # path under dumps/
    media_type: str
    eu_format: str      # EU file-type authority code (RDF_TURTLE, CSV, …)
    title: str
    size: int
    sha256: str
    compressed: bool = False


def _coverage(store: Store, view: OxigraphStore) -> tuple[str | None, str | None, str | None, str | None]:
    """(first meeting, last meeting, first ingest, last ingest)."""
    res = view.query("PREFIX club: <https://w3id.org/publik-kg/ontology#> "
                      "SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE { "
                      "?m a club:Meeting ; club:report ?r ; club:date ?d }", default_graphs=[])
    first, last = (None if v is None else str(v) for v in res.rows[0]) if res.rows else (None, None)
    res = store.query("PREFIX prov: <http://www.w3.org/ns/prov#> "
                      "SELECT (MIN(?t) AS ?issued) (MAX(?t) AS ?modified) WHERE { ?g prov:generatedAtTime ?t }")
    issued, modified = (None if v is None else str(v) for v in res.rows[0]) if res.rows else (None, None)
    return first, last, issued, modified


def _date(value: str) -> Literal:
    return Literal(value, datatype={10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.dateTime))


def catalog_graph(store: Store, view: OxigraphStore, base: str, base_url: str,
                  files: list[FileInfo], publisher: Publisher = Publisher()) -> Graph:
    base_url = base_url.rstrip("/") + "/"
    ident = Namespace(base + "id/")
    cat, ds, svc = ident["catalog"], ident["dataset"], ident["dataset/sparql"]
    pub, contact = ident["publisher"], ident["dataset/contact"]
    first, last, issued, modified = _coverage(store, view)
    g = Graph()
    for p, ns in {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "spdx": SPDX, "vcard": VCARD, "adms": ADMS,
                  "xsd": XSD}.items():
        g.bind(p, ns)
    fra_lang, fra = URIRef(EU + "language/FRA"), URIRef(EU + "country/FRA")

    def add(*t):
        g.add(t)

    add(cat, RDF.type, DCAT.Catalog)
    add(cat, DCTERMS.title, Literal("Catalogue publik-kg", lang="fr"))
    add(cat, DCTERMS.description, Literal("Les données du Club des utilisateurs Publik publiées par publik-kg.", lang="fr"))
    add(cat, DCTERMS.publisher, pub)
    add(cat, DCAT.dataset, ds)
    add(cat, DCAT.service, svc)
    add(cat, DCTERMS.language, fra_lang)
    add(cat, DCTERMS.license, LICENSE)
    add(cat, DCTERMS.spatial, fra)
    add(cat, FOAF.homepage, URIRef(base_url))
    add(cat, DCAT.themeTaxonomy, URIRef(str(TOPIC)[:-1]))

    add(pub, RDF.type, FOAF.Agent)
    add(pub, FOAF.name, Literal(publisher.name, lang="fr"))
    add(pub, DCTERMS.type, URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation"))
    add(pub, FOAF.homepage, URIRef(publisher.homepage))
    add(contact, RDF.type, VCARD.Organization)
    add(contact, VCARD.fn, Literal(publisher.contact_name, lang="fr"))
    add(contact, VCARD.hasURL, URIRef(publisher.contact_url))
    if publisher.contact_email:
        add(contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.contact_email}"))
    add(LICENSE, RDF.type, DCTERMS.LicenseDocument)
    add(LICENSE, RDFS.label, Literal("Licence Ouverte / Open Licence version 2.0", lang="fr"))
    add(LICENSE, DCTERMS.type, URIRef("http://purl.org/adms/licencetype/Attribution"))

    add(ds, RDF.type, DCAT.Dataset)
    add(ds, DCTERMS.identifier, Literal(IDENTIFIER))
    add(ds, DCTERMS.title, Literal("Réunions du Club des utilisateurs Publik", lang="fr"))
    add(ds, DCTERMS.description, Literal(
        "Graphe de connaissances des comptes rendus du Club des utilisateurs Publik : réunions, organismes "
        "présents (codes INSEE et SIREN), outils utilisés, demandes des participants, thèmes et réponses "
        "d'Entr'ouvert, avec la provenance de chaque fait.", lang="fr"))
    for kw in ("Publik", "Entr'ouvert", "relation usagers", "collectivités territoriales", "logiciel libre",
               "démarches en ligne", "club utilisateurs"):
        add(ds, DCAT.keyword, Literal(kw, lang="fr"))
    add(ds, DCAT.theme, URIRef(EU + "data-theme/GOVE"))
    add(ds, DCAT.theme, URIRef(EU + "data-theme/TECH"))
    add(ds, DCTERMS.publisher, pub)
    add(ds, DCTERMS.license, LICENSE)          # also on each distribution, as DCAT-AP wants
    add(ds, DCAT.contactPoint, contact)
    add(ds, DCTERMS.language, fra_lang)
    add(ds, DCTERMS.spatial, fra)
    add(ds, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/ANNUAL_2"))
    add(ds, DCTERMS.conformsTo, URIRef(str(CLUB)[:-1]))
    add(ds, DCAT.landingPage, URIRef(base_url))
    add(ds, ADMS.identifier, ident["dataset/identifier"])
    add(ident["dataset/identifier"], RDF.type, ADMS.Identifier)
    add(ident["dataset/identifier"], URIRef("http://www.w3.org/2004/02/skos/core#notation"), Literal(IDENTIFIER))
    if first and last:
        period = ident["dataset/period"]
        add(ds, DCTERMS.temporal, period)
        add(period, RDF.type, DCTERMS.PeriodOfTime)
        add(period, DCAT.startDate, _date(first))
        add(period, DCAT.endDate, _date(last))
    if issued:
        add(ds, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime))
        add(cat, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime))
    if modified:
        add(ds, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime))
        add(cat, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime))

    for f in files:
        d = ident[f"dataset/distribution/{f.name}"]
        url = URIRef(base_url + "dumps/" + f.name)
        add(ds, DCAT.distribution, d)
        add(d, RDF.type, DCAT.Distribution)
        add(d, DCTERMS.title, Literal(f.title, lang="fr"))
        add(d, DCTERMS.description, Literal(f"{f.title} : {f.name}, {f.media_type}"
                                            + (", compressé gzip" if f.compressed else "") + ".", lang="fr"))
        add(d, DCAT.accessURL, url)
        add(d, DCAT.downloadURL, url)
        add(d, DCAT.mediaType, URIRef(IANA + f.media_type))
        add(d, DCTERMS.format, URIRef(EU + "file-type/" + f.eu_format))
        add(d, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger))
        add(d, DCTERMS.license, LICENSE)
        add(d, DCATAP.availability, URIRef(EU + "planned-availability/STABLE"))
        if modified:
            add(d, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime))
        if f.compressed:
            add(d, DCAT.compressFormat, URIRef(IANA + "application/gzip"))
        ck = ident[f"dataset/distribution/{f.name}/sha256"]
        add(d, SPDX.checksum, ck)
        add(ck, RDF.type, SPDX.Checksum)
        add(ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        add(ck, SPDX.checksumValue, Literal(f.sha256, datatype=XSD.hexBinary))

    add(svc, RDF.type, DCAT.DataService)
    add(svc, DCTERMS.title, Literal("Point d'accès SPARQL de publik-kg", lang="fr"))
    add(svc, DCAT.endpointURL, URIRef(base_url + "sparql"))
    add(svc, DCAT.endpointDescription, URIRef(base_url + "openapi.json"))
    add(svc, DCAT.servesDataset, ds)
    add(svc, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/"))
    add(svc, DCTERMS.license, LICENSE)
    add(svc, DCTERMS.publisher, pub)
    add(svc, DCAT.contactPoint, contact)
    add(svc, DCAT.theme, URIRef(EU + "data-theme/GOVE"))
    add(svc, DCAT.keyword, Literal("SPARQL", lang="fr"))
    return g


def void_graph(store: Store, view: OxigraphStore, base: str, base_url: str, dumps: list[str]) -> Graph:
    """VoID: size, class and property partitions, named graphs, examples, endpoint, dumps."""
    base_url = base_url.rstrip("/") + "/"
    ident = Namespace(base + "id/")
    ds = ident["dataset"]
    g = Graph()
    g.bind("void", VOID)
    g.bind("sd", SD)

    def one(q: str) -> int:
        return int(view.query(q, default_graphs=[]).rows[0][0])

    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Réunions du Club des utilisateurs Publik", lang="fr")))
    g.add((ds, VOID.triples, Literal(one("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))))
    entities = view.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?space)) }",
                           {"space": Literal(base + "id/")}, default_graphs=[])
    g.add((ds, VOID.entities, Literal(int(entities.rows[0][0]))))
    g.add((ds, VOID.distinctSubjects, Literal(one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((ds, VOID.distinctObjects, Literal(one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((ds, VOID.classes, Literal(one("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"))))
    g.add((ds, VOID.properties, Literal(one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base_url + "sparql")))
    g.add((ds, DCTERMS.license, LICENSE))
    for v in (CLUB, DCTERMS, FOAF, Namespace("http://www.w3.org/2004/02/skos/core#"),
              Namespace("http://www.w3.org/ns/prov#"), Namespace("https://schema.org/")):
        g.add((ds, VOID.vocabulary, URIRef(str(v))))
    for name in dumps:
        g.add((ds, VOID.dataDump, URIRef(base_url + "dumps/" + name)))
    for cls, n in view.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
                              default_graphs=[]).rows:
        part = ident[f"dataset/class/{_digest(str(cls))}"]
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(int(n))))
    for prop, n in view.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
                               default_graphs=[]).rows:
        part = ident[f"dataset/property/{_digest(str(prop))}"]
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(int(n))))
    for name in store.graph_names():
        sub = ident[f"dataset/graph/{_digest(name)}"]
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, URIRef(name)))
        g.add((sub, VOID.triples, Literal(int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                                          default_graphs=[name]).rows[0][0]))))
    for cls in ("Meeting", "FeatureRequest", "Commune", "Person"):
        res = view.query("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 1", {"c": CLUB[cls]}, default_graphs=[])
        if res.rows:
            g.add((ds, VOID.exampleResource, res.rows[0][0]))
    return g


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
