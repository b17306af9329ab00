"""Named queries over HTTP: /queries (catalogue) and /queries/NAME (run one)."""
from __future__ import annotations

from flask import Blueprint, Response, json, render_template_string, request

from publik_kg import namedqueries
from . import conneg
from .html import download_links, table_page
from .problems import ApiError
from .sparql import formats, respond, state

bp = Blueprint("queries", __name__)

CATALOGUE_HTML = """{% extends "base.html" %}{% block content %}
<table id="queries"><thead><tr><th>nom</th><th>titre</th><th>paramètres</th></tr></thead><tbody>
{% for q in queries %}<tr><td><a href="/queries/{{ q.name }}">{{ q.name }}</a></td><td>{{ q.title }}<br><span class="muted">{{ q.description }}</span></td>
<td>{% for p in q.params %}<code>{{ p.name }}</code> ({{ p.type }}){% if p.description %} : {{ p.description }}{% endif %}<br>{% endfor %}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


def describe(nq) -> dict:
    return {"name": nq.name, "title": nq.title, "description": nq.description, "url": f"/queries/{nq.name}",
            "params": [{"name": p.name, "type": p.type, "description": p.description,
                        "required": p.required, "default": p.default} for p in nq.params]}


@bp.get("/queries")
def catalogue():
    items = [describe(nq) for nq in namedqueries.catalogue().values()]
    if conneg.prefers_html(request):
        return render_template_string(CATALOGUE_HTML, title="Requêtes nommées", queries=items)
    return Response(json.dumps(items, ensure_ascii=False), content_type="application/json", headers={"Vary": "Accept"})


@bp.get("/queries/<name>")
def run(name: str):
    try:
        nq = namedqueries.get(name)
    except namedqueries.UnknownQuery:
        raise ApiError(404, "Not Found", f"no named query {name!r}; see /queries") from None
    raw = {k: v for k, v in request.args.items() if k != "format"}
    st = state()
    res = st.query(nq.sparql, formats(html=True), bindings=nq.bindings(raw, st.dataset.iris.base))
    return respond(res, html=lambda r, truncated: table_page(
        nq.title, r, st.dataset.iris.base, truncated, nq.description, download_links(f"/queries/{name}")))
