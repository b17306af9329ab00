"""Ingest a report over HTTP: ``POST /reports?name=FILE.md`` with the report's text as the
body (Markdown, plain text, Textile or HTML, UTF-8) and the update token. The same checks and the same
all-or-nothing transaction as ``publik-kg ingest``; the answer says what was stored and
which lines were not interpreted."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, jsonify, request

from publik_kg.reading import SUFFIXES, ReadError, decode_report

from .problems import ApiError
from .sparql import _authorize, state

bp = Blueprint("reports", __name__)
NAME = re.compile(r"[\w.-]{1,120}")
TYPES = ("text/markdown", "text/plain", "text/x-markdown", "text/x-textile", "text/html")


@bp.post("/reports")
def ingest_report():
    _authorize()
    name = request.args.get("name", "")
    if not NAME.fullmatch(name) or name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
        raise ApiError(400, "Bad Request", "give ?name=FILE.md (letters, digits, '-', '_', '.'; .md or .txt): "
                                           "the report's id and, when the text omits it, its year")
    if request.mimetype not in TYPES:
        raise ApiError(415, "Unsupported Media Type", f"send the report as one of {', '.join(TYPES)}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "Unsupported Media Type", "reports are read as UTF-8")
    try:
        source = decode_report(name, name, request.get_data())
    except ReadError as e:
        raise ApiError(400, "Bad Request", e.reason) from None
    st = state()
    errors = []         # one unit of work under the dataset's write lock, closure included
    done = st.dataset.ingest([source], on_error=errors.append)
    if errors:
        raise ApiError(422, "Unprocessable Content", errors[0].reason)
    s = done[0]
    return jsonify({"report": s.report_id, "status": s.status, "triples": s.triples, "counts": s.counts,
                    "skipped": [{"line": n, "text": t, "reason": r} for n, t, r in s.skipped],
                    "notes": s.notes}), 201 if s.status == "added" else 200
