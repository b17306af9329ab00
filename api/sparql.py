"""The SPARQL 1.1 Protocol endpoint at /sparql: query, update, service description."""
from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, g, request
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from publik_kg import results
from publik_kg.sparqltext import BindingError, inject_using, is_absolute_iri, keywords
from publik_kg.store import NetworkClosed, QuerySyntaxError, StoreError, StoreUnavailable

from . import conneg
from .problems import ApiError

bp = Blueprint("sparql", __name__)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = "application/x-www-form-urlencoded"


def state():
    return current_app.extensions["publik_kg"]


def _charset_ok(mimetype_params: dict) -> None:
    charset = mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "Unsupported Media Type", f"charset {charset} is not supported; send UTF-8")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, "Bad Request", f"the request body is not valid UTF-8 (byte {e.start})") from None


def _params() -> dict[str, list[str]]:
    """Protocol parameters from the URL and, for form posts, the body."""
    params = {k: request.args.getlist(k) for k in request.args}
    if request.method == "POST":
        ctype = request.mimetype
        if not ctype:
            raise ApiError(415, "Unsupported Media Type", "a POST needs a Content-Type: "
                           f"{FORM}, application/sparql-query or application/sparql-update")
        _charset_ok(request.mimetype_params)
        body = _text(request.get_data(cache=False))
        if ctype == FORM:
            for k, v in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            params.setdefault("query", []).append(body)
        elif ctype == "application/sparql-update":
            params.setdefault("update", []).append(body)
        else:
            raise ApiError(415, "Unsupported Media Type", f"{ctype} is not a SPARQL protocol request type")
    return params


def _one(params, name) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ApiError(400, "Bad Request", f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    params = _params()
    query, update = _one(params, "query"), _one(params, "update")
    if query is not None and update is not None:
        raise ApiError(400, "Bad Request", "send either 'query' or 'update', not both")
    if update is not None:
        if request.method != "POST":
            raise ApiError(405, "Method Not Allowed", "SPARQL Update must be sent with POST", {"Allow": "POST"})
        return run_update(update, params)
    if query is not None:
        return run_query(query, params)
    if conneg.prefers_html(request):
        from .pages import query_page
        return query_page()
    return service_description()


def run_query(query: str, params) -> Response:
    cfg, st = state().config, state()
    if len(query) > cfg.max_query_length:
        raise ApiError(413, "Payload Too Large", f"the query has {len(query):,} characters; the limit is {cfg.max_query_length:,}")
    g.query_id = hashlib.sha1(query.encode()).hexdigest()[:10]
    # The protocol's graph parameters, else the query's FROM / FROM NAMED, build the
    # dataset; with neither, the default graph is the union of the named graphs.
    default, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    for iri in (default or []) + (named or []):
        if not is_absolute_iri(iri):
            raise ApiError(400, "Bad Request", f"default-graph-uri / named-graph-uri: not an absolute IRI: {iri[:100]!r}")
    if named is not None and default is None:
        default = []
    return respond(st.query(query, formats(), default_graphs=default, named_graphs=named,
                            base_iri=public_endpoint()))


def negotiate(kind: str, html: bool = False) -> tuple[str, str] | None:
    """(media type, format) for a result of ``kind``; format "html" when ``html`` pages are
    offered and preferred; None when nothing acceptable is offered."""
    offered = dict(conneg.GRAPHS if kind == "graph" else conneg.SOLUTIONS)
    if html:
        offered = {"text/html": "html", **offered} if conneg.prefers_html(request) else {**offered, "text/html": "html"}
    mt = conneg.choose(request, offered)
    return (mt, offered[mt]) if mt else None


def formats(html: bool = False) -> dict:
    """What a query worker should write each kind of result in, decided before the query
    runs (the same negotiation ``respond`` makes): HTML and failures are left to ``respond``."""
    cfg = state().config
    out: dict = {"max_rows": cfg.max_rows, "max_triples": cfg.max_triples, "max_bytes": cfg.max_result_bytes}
    for kind in ("select", "ask", "graph"):
        choice = negotiate(kind, html)
        if choice and choice[1] != "html":
            out[kind] = choice[1]
    return out


def respond(res, html=None) -> Response:
    """Write a result (or send the one a worker wrote) in the negotiated format (406 when
    none fits); ``html`` renders it as a page when the client prefers HTML."""
    cfg = state().config
    choice = negotiate(res.kind, html is not None)
    if choice is None:
        offered = conneg.GRAPHS if res.kind == "graph" else conneg.SOLUTIONS
        raise ApiError(406, "Not Acceptable", "available: " + ", ".join([*offered, *(["text/html"] if html else [])]))
    mt, fmt = choice
    headers = {"Vary": "Accept"}
    if fmt == "html":
        truncated = res.kind == "select" and res.truncate(cfg.max_rows)
        body = html(res, truncated)
        ctype = "text/html; charset=utf-8"
    else:
        enc = res if isinstance(res, results.Encoded) else results.encode(res, fmt, results.Limits(cfg.max_rows, cfg.max_triples, cfg.max_result_bytes))
        assert enc.fmt == fmt, "a worker wrote the result in another format than negotiated"
        body, truncated = enc.body, enc.truncation
        ctype = mt + ("; charset=utf-8" if mt.startswith("text/") else "")
    if truncated:
        headers["X-Result-Truncated"] = truncated if isinstance(truncated, str) else f"true; limit={cfg.max_rows}"
    return Response(body, headers=headers, content_type=ctype)


def _authorize() -> str:
    """Check the bearer token; the configured label of the writer (never anything of the token)."""
    token = state().config.update_token
    if not token:
        raise ApiError(403, "Forbidden", "SPARQL Update is disabled on this server (no update token configured)")
    auth = request.headers.get("Authorization", "")
    given = auth[7:] if auth.startswith("Bearer ") else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "Unauthorized", "SPARQL Update needs 'Authorization: Bearer TOKEN'",
                       {"WWW-Authenticate": 'Bearer realm="publik-kg"'})
    return state().config.update_agent


def run_update(update: str, params) -> Response:
    cfg, st = state().config, state()
    who = _authorize()
    if len(update) > cfg.max_query_length:
        raise ApiError(413, "Payload Too Large", f"the update has {len(update):,} characters; the limit is {cfg.max_query_length:,}")
    using, using_named = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
    if using or using_named:
        if {"USING", "WITH"} & keywords(update):
            raise ApiError(400, "Bad Request", "using-graph-uri/using-named-graph-uri conflict with USING or WITH in the update")
        try:
            update = inject_using(update, using, using_named)
        except BindingError as e:
            raise ApiError(400, "Bad Request", str(e)) from None
    st.check_update(update, public_endpoint())        # the very text that will run
    try:        # the update, who ran it and the inferred graph's stale mark: one transaction
        st.dataset.update(update, who, base_iri=public_endpoint())
    except QuerySyntaxError as e:
        raise ApiError(400, "Bad Request", f"malformed update: {e}") from None
    except (StoreUnavailable, NetworkClosed):
        raise                                   # the server's side: 503 / 403 (api/problems.py)
    except StoreError as e:
        raise ApiError(400, "Bad Request", str(e)) from None
    st.after_update()
    return Response(status=204)


def public_endpoint() -> str:
    return request.host_url.rstrip("/") + "/sparql"


def service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint: what it really offers. Update is
    advertised only when an update token is configured (without one every update is refused);
    the default dataset's default graph is the union of the named graphs (sd:UnionDefaultGraph)."""
    sd = Graph()
    sd.bind("sd", SD)
    ep = URIRef(public_endpoint())
    svc = URIRef(ep + "#service")
    sd.add((svc, RDF.type, SD.Service))
    sd.add((svc, SD.endpoint, ep))
    languages = ["SPARQL11Query"] + (["SPARQL11Update"] if state().config.update_token else [])
    for lang in languages:
        sd.add((svc, SD.supportedLanguage, SD[lang]))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        sd.add((svc, SD.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    sd.add((svc, SD.feature, SD.UnionDefaultGraph))
    ds = URIRef(ep + "#dataset")
    sd.add((svc, SD.defaultDataset, ds))
    sd.add((ds, RDF.type, SD.Dataset))
    default = URIRef(ep + "#default-graph")        # the union of the named graphs below
    sd.add((ds, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    for name in state().store.graph_names():
        node = URIRef(f"{ep}#graph-{hashlib.sha1(name.encode()).hexdigest()[:8]}")
        sd.add((ds, SD.namedGraph, node))
        sd.add((node, RDF.type, SD.NamedGraph))
        sd.add((node, SD.name, URIRef(name)))
    mt = conneg.choose(request, conneg.GRAPHS) or "text/turtle"
    from publik_kg.store import Result
    body = results.serialize(Result("graph", triples=list(sd)), conneg.GRAPHS[mt])
    return Response(body, content_type=mt, headers={"Vary": "Accept"})
