"""The publik-kg command: a tour of the subcommands, and bad input that must be
refused with a one-line error, a non-zero exit and the store unchanged."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from publik_kg.cli import main
from publik_kg.store import OxigraphStore

from conftest import seed_path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    return d


def quads(d: Path) -> set:
    s = OxigraphStore(d / "oxigraph")
    try:
        return set(s.ox)
    finally:
        s.close()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_named_table_csv_json(data_dir, capsys):
    code, out, _ = run(capsys, "query", "meetings", "--data-dir", str(data_dir))
    assert code == 0 and "Musée de la Cour d'Or" in out and "(2 rows)" in out
    code, out, _ = run(capsys, "query", "organizations", "--param", "kind=club:Departement",
                       "--format", "csv", "--data-dir", str(data_dir))
    assert code == 0 and len(out.strip().splitlines()) == 1 + 4
    code, out, _ = run(capsys, "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/publik-kg/ontology#Meeting> }",
                       "--format", "json", "--data-dir", str(data_dir))
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "2"


def test_query_file_and_construct(data_dir, capsys, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("#+ title: t\nCONSTRUCT { ?m a <https://schema.org/Event> } WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }\n")
    code, out, _ = run(capsys, "query", str(f), "--format", "turtle", "--data-dir", str(data_dir))
    assert code == 0 and "schema:Event" in out or "https://schema.org/Event" in out


def test_usage_errors(data_dir, capsys):
    for argv, msg in [(["query", "nope"], "unknown query"),
                      (["query", "organizations", "--param", "kind=pas un iri"], "not an IRI"),
                      (["query", "--sparql", "SELEC * WHERE {"], "malformed SPARQL"),
                      (["query", "meetings", "--param", "oops"], "NAME=VALUE")]:
        code, _, err = run(capsys, *argv, "--data-dir", str(data_dir))
        assert code == 2 and msg in err and len(err.strip().splitlines()) == 1, (argv, err)


def test_export_validate_stats(data_dir, capsys, tmp_path):
    out_file = tmp_path / "dump.nq"
    code, _, _ = run(capsys, "export", "--format", "nquads", "-o", str(out_file), "--data-dir", str(data_dir))
    assert code == 0 and out_file.stat().st_size > 10000
    code, out, _ = run(capsys, "validate", "--data-dir", str(data_dir))
    assert code == 0 and out.startswith("valid")
    code, out, _ = run(capsys, "stats", "--data-dir", str(data_dir))
    assert code == 0 and "Meeting" in out


def _bad_inputs(tmp: Path):
    (tmp / "empty.md").write_bytes(b"")
    (tmp / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp / "notes.md").write_text("# Courses\n\n- pain\n- lait\n", encoding="utf-8")
    (tmp / "latin1.md").write_bytes("La 9e réunion du club, le 4 décembre 2019.".encode("latin-1"))
    big = tmp / "big.md"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (tmp / "afile").write_text("x")
    return [("empty.md", "empty file"), ("image.md", "binary"), ("notes.md", "not a club meeting report"),
            ("latin1.md", "not valid UTF-8"), ("big.md", "too large"), ("afile/report.md", "no such file")]


def test_bad_input_is_refused_and_store_unchanged(data_dir, capsys, tmp_path):
    before = quads(data_dir)
    for name, reason in _bad_inputs(tmp_path):
        code, _, err = run(capsys, "ingest", "-q", "--data-dir", str(data_dir), str(tmp_path / name))
        lines = err.strip().splitlines()
        assert code == 1, name
        assert len(lines) == 1 and name.split("/")[0] in lines[0] and reason in lines[0], (name, err)
        assert quads(data_dir) == before, name


def test_load_refuses_bad_rdf(data_dir, capsys, tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text("<a> <b> .")
    before = quads(data_dir)
    code, _, err = run(capsys, "load", str(f), "--data-dir", str(data_dir))
    assert code == 1 and "not valid turtle" in err
    assert quads(data_dir) == before


def test_help_everywhere(capsys):
    for cmd in ("ingest", "query", "queries", "load", "export", "validate", "remove", "stats"):
        with pytest.raises(SystemExit) as e:
            main([cmd, "--help"])
        assert e.value.code == 0
        assert "usage: publik-kg" in capsys.readouterr().out


def test_default_data_dir_is_built_then_kept_up_to_date(tmp_path, monkeypatch, capsys):
    from publik_kg import dataset as dataset_mod
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("PUBLIK_KG_DATA_DIR", raising=False)
    assert main(["stats"]) == 0
    assert "building the default dataset" in capsys.readouterr().err
    assert main(["stats"]) == 0
    assert capsys.readouterr().err == ""                 # nothing to do
    monkeypatch.setattr(dataset_mod, "extractor_fingerprint", lambda: "a-newer-extractor")
    assert main(["stats"]) == 0
    assert "read again" in capsys.readouterr().err


def test_reingest_reads_stored_reports_again(tmp_path, capsys):
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    capsys.readouterr()
    assert main(["stats", "--data-dir", str(d)]) == 0
    before = capsys.readouterr().out
    assert main(["reingest", "--data-dir", str(d)]) == 0
    assert "read again: 1 report(s)" in capsys.readouterr().out
    assert main(["stats", "--data-dir", str(d)]) == 0
    assert capsys.readouterr().out == before
    assert main(["reingest", "--data-dir", str(d), "no-such-report"]) == 2
    assert "no-such-report" in capsys.readouterr().err


def test_loading_json_ld_never_fetches_a_remote_context(data_dir, capsys, tmp_path):
    """A JSON-LD file whose @context is a URL is refused; a local listener receives nothing."""
    import http.server
    import threading
    hits = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        doc = tmp_path / "remote.jsonld"
        doc.write_text(json.dumps({"@context": f"http://127.0.0.1:{srv.server_address[1]}/context.jsonld",
                                   "@id": "urn:x", "p": "v"}))
        assert main(["load", "--data-dir", str(data_dir), str(doc)]) == 1
        assert "remote context" in capsys.readouterr().err.lower() and hits == []
    finally:
        srv.shutdown()


def test_an_existing_default_dataset_opens_without_the_language_model(tmp_path):
    """The language model is loaded only to extract: once the default dataset is built,
    opening it again (as `serve` does) reads no report and imports no spaCy."""
    script = ("import sys; from types import SimpleNamespace; from publik_kg.cli import load_dataset; "
              "ds = load_dataset(SimpleNamespace(data_dir=None, base_uri=None)); ds.store.close(); "
              "print('spacy' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLIK_KG_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"))    # the default data dir, fresh
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert first.stdout.strip() == "True", first.stderr[-2000:]      # building it extracts
    assert again.stdout.strip() == "False", again.stderr[-2000:]
