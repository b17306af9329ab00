"""Reports in Redmine's Textile and in HTML (the club's wiki pages, as source or as saved
from the browser) give the same facts as the same reports in Markdown.

The HTML is rendered from our Markdown test reports by a real CommonMark renderer
(markdown-it-py) inside a Redmine-like page (head, table of contents, heading anchors);
the Textile is written from them line by line the way Redmine's syntax says."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import HERE, make_dataset, seed_path
from markdown_it import MarkdownIt

from publik_kg import namedqueries
from publik_kg.markup import dialect, to_markdown

REPORTS = [seed_path(), *sorted((HERE / "data" / "reports").iterdir())]
MARKDOWN = [p for p in REPORTS if p.suffix == ".md"]   # plain-text reports have no HTML rendering
LINE_BOUND = {"skipped-lines"}          # its rows quote line numbers, which an HTML rendering moves


def as_textile(md: str) -> str:
    out = []
    for line in md.splitlines():
        if re.match(r"^\|[-|: ]+\|$", line):                 # the rule under a header row
            out[-1] = re.sub(r"\|\s*(?=[^|\s])", "|_. ", out[-1])      # Textile marks header cells
            continue
        if m := re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line):
            line = f"h{len(m.group(1))}. {m.group(2)}"
        elif m := re.match(r"^(\s*)[-*+]\s+(.*)$", line):
            line = "*" * (len(m.group(1)) // 2 + 1) + " " + m.group(2)
        line = re.sub(r"\*\*(.+?)\*\*", r"*\1*", line)
        line = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r'"\1":\2', line)
        out.append(re.sub(r"<(https?://[^>]+)>", r"\1", line))
    if out and not out[0].strip():
        out[0] = "{{toc}}"                  # a Redmine macro, no content
    return "\n".join(out)


def as_redmine_html(md: str, title: str) -> str:
    body = MarkdownIt("commonmark").enable("table").render(md)
    body = re.sub(r"(<h[1-6]>)(.*?)(</h[1-6]>)",
                  lambda m: f'{m.group(1)}{m.group(2)}<a href="#x" class="wiki-anchor">&para;</a>{m.group(3)}', body)
    return (f"<!DOCTYPE html>\n<html><head><title>{title}</title><style>h2 {{ color: red }}</style></head>\n"
            '<body><div id="header"><form><input name="q"></form></div>\n'
            '<ul class="toc right"><li><a href="#Matinee">Matinée</a></li></ul>\n'
            f'<div class="wiki">\n{body}</div>\n<script>var x = "<h2>Pas un titre</h2>";</script></body></html>\n')


def rows(ds, name: str) -> list:
    nq = namedqueries.get(name)
    return sorted(tuple(str(t) for t in row) for row in ds.store.query(nq.sparql).rows)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    root = tmp_path_factory.mktemp("markup")
    out = {"markdown": make_dataset(REPORTS), "markdown-only": make_dataset(MARKDOWN)}
    for kind, suffix, convert in (("textile", ".textile", lambda t, p: as_textile(t)),
                                  ("html", ".html", lambda t, p: as_redmine_html(t, p.stem))):
        d = root / kind
        d.mkdir()
        for p in REPORTS if kind == "textile" else MARKDOWN:
            (d / (p.stem + suffix)).write_text(convert(p.read_text(encoding="utf-8"), p), encoding="utf-8")
        out[kind] = make_dataset(sorted(d.iterdir()))
    return out


@pytest.mark.parametrize("kind", ["textile", "html"])
@pytest.mark.parametrize("name", sorted(set(namedqueries.catalogue()) - LINE_BOUND))
def test_the_same_facts_from_textile_and_html(datasets, kind, name):
    expected = rows(datasets["markdown" if kind == "textile" else "markdown-only"], name)
    assert rows(datasets[kind], name) == expected


TABLES = ("# Club Publik\n\nLe club s'est réuni le jeudi 16 juin 2022 à Lyon.\n\n## Participants\n\n"
          "| Collectivité | Participants |\n|---|---|\n| Ville de Nancy | Olivier Simon, Marie Durand |\n"
          "| Ville de Rouen | Anne Petit |\n\n## Demandes d'évolution\n\n"
          "| Demande | Collectivité | Réponse d'Entr'ouvert |\n|---|---|---|\n"
          "| Export ODS des statistiques | Rouen | prévu pour juin |\n"
          "| Signature électronique des documents | Ville de Metz | pas pour l'instant |\n")


@pytest.mark.parametrize("kind", ["textile", "html"])
def test_tables_in_every_markup(tmp_path, kind):
    md = tmp_path / "2022-06-16-club.md"
    md.write_text(TABLES, encoding="utf-8")
    other = tmp_path / kind / ("2022-06-16-club." + kind)
    other.parent.mkdir()
    other.write_text(as_textile(TABLES) if kind == "textile" else as_redmine_html(TABLES, "club"), encoding="utf-8")
    a, b = make_dataset([md]), make_dataset([other])
    people = ("SELECT ?n ?o WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?n ; "
              "<https://w3id.org/publik-kg/ontology#affiliation> ?o }")
    assert len(rows(a, "requests")) == 2 and len(a.store.query(people).rows) == 3
    assert sorted(b.store.query(people).rows) == sorted(a.store.query(people).rows)
    for name in ("requests", "answered"):
        assert rows(b, name) == rows(a, name)


def test_the_dataset_is_not_empty(datasets):
    """The comparison above is between real results."""
    assert len(rows(datasets["markdown"], "requests")) > 20 and len(rows(datasets["markdown"], "tools")) > 10


def test_textile_keeps_every_line_in_place():
    text = seed_path().read_text(encoding="utf-8")
    assert len(to_markdown(as_textile(text), "x.textile").splitlines()) == len(text.splitlines())


def test_html_blocks_stay_on_their_source_lines():
    html = "<html><body>\n<h2>Tour de table</h2>\n\n<p>Rouen utilise Publik.</p>\n<ul>\n<li>Un export</li>\n</ul>\n</body></html>"
    md = to_markdown(html, "r.html").splitlines()
    assert md[1].strip() == "## Tour de table" and md[3].strip() == "Rouen utilise Publik." and md[5].strip() == "- Un export"


@pytest.mark.parametrize("text, name, kind", [
    ("h2. Tour de table\n\nRouen utilise Publik.", "r.txt", "textile"),
    ("## Tour de table\n\nh2. n'est pas un titre ici", "r.md", "markdown"),
    ("<p>a</p><p>b</p><h2>c</h2>", "r.txt", "html"),
    ("Le tarif <b>réduit</b> est à 5 €.", "r.txt", "markdown"),
    ("", "r.htm", "html"),
])
def test_dialect(text, name, kind):
    assert dialect(text, name) == kind


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("h1234.*#_@\"<>/=:{}[]|ab é\n\t")) | st.characters(), max_size=400),
       suffix=st.sampled_from([".md", ".textile", ".html", ".txt"]))
def test_any_text_converts_without_error(text, suffix):
    out = to_markdown(text, "r" + suffix)
    assert isinstance(out, str)
    if dialect(text, "r" + suffix) == "textile":
        assert len(out.splitlines()) == len(text.splitlines())          # every line in place
