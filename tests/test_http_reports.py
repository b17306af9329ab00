"""POST /reports: a report ingested over HTTP, with the token, all or nothing."""
from __future__ import annotations

from pathlib import Path

from conftest import make_dataset
from markdown_it import MarkdownIt

from publik_kg.api import create_app
from publik_kg.api.config import Config
from publik_kg.reading import read_report

OWN = Path(__file__).parent / "data" / "reports"
TOKEN = "reports-token"


def test_ingest_over_http():
    ds = make_dataset([OWN / "2018-11-22-club-publik-4e-reunion.md"])
    client = create_app(Config.from_env(env={}, workers=0, update_token=TOKEN), ds.store, ds.iris.base).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    report = (OWN / "2021-12-02-club-publik-10e-reunion.txt").read_bytes()
    before = len(ds.store.ox)
    assert client.post("/reports?name=x.md", data=report, content_type="text/plain").status_code == 401
    assert client.post("/reports?name=../x.md", data=report, content_type="text/plain", headers=auth).status_code == 400
    assert client.post("/reports?name=x.md", data=report, content_type="application/pdf", headers=auth).status_code == 415
    bad = client.post("/reports?name=notes.md", data="juste des notes\n".encode(), content_type="text/markdown", headers=auth)
    assert bad.status_code == 422 and "not a club meeting report" in bad.json["detail"]
    assert client.post("/reports?name=bin.md", data=b"\x00\x01", content_type="text/plain", headers=auth).status_code == 400
    assert len(ds.store.ox) == before                                   # nothing stored on refusals
    ok = client.post("/reports?name=2021-12-02-club-publik-10e-reunion.txt", data=report,
                     content_type="text/plain; charset=utf-8", headers=auth)
    assert ok.status_code == 201 and ok.json["status"] == "added" and ok.json["counts"]["requests"] == 4
    again = client.post("/reports?name=2021-12-02-club-publik-10e-reunion.txt", data=report,
                        content_type="text/plain", headers=auth)
    assert again.status_code == 200 and again.json["status"] == "unchanged"
    rows = client.get("/queries/returning-people", headers={"Accept": "application/sparql-results+json"})
    assert {b["name"]["value"] for b in rows.json["results"]["bindings"]} >= {"Claire Morel", "Pierre Colin"}


def test_a_wiki_page_saved_as_html_is_ingested_like_its_markdown():
    md = OWN / "2018-11-22-club-publik-4e-reunion.md"
    page = f"<!DOCTYPE html><html><body>{MarkdownIt('commonmark').render(md.read_text(encoding='utf-8'))}</body></html>"
    ds = make_dataset([])
    client = create_app(Config.from_env(env={}, workers=0, update_token=TOKEN), ds.store, ds.iris.base).test_client()
    ok = client.post(f"/reports?name={md.stem}.html", data=page.encode(), content_type="text/html; charset=utf-8",
                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 201
    [summary] = make_dataset([]).ingest([read_report(md)], on_error=print)
    assert ok.json["counts"] == summary.counts and ok.json["counts"]["requests"] > 0
