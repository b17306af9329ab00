"""Measure the extraction against annotated reports (``publik-kg evaluate``).

For each annotation (format: tests/data/real/ANNOTATIONS.md) the report it names, found
next to it, is ingested into a scratch in-memory store exactly as ``publik-kg ingest``
does (reading checks, extraction, mapping, reasoning); the union of its named graphs is
checked against the annotation (graph/annotation_checks.py), and precision, recall and F1
are reported per kind:

- recall = annotated items found / annotated items;
- precision = extracted items matching an annotated one / extracted items of that kind
  linked to the report's meeting (for the meeting fields: values the graph asserts).

Every false negative and false positive is listed with its report line: the graph's own
source line when its provenance records one, else the first line of the report where the
item's words appear (marked "text").
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph

from .annotation_checks import KINDS, Checked, Tally, check
from .labelled_graph import norm
from .dataset import Dataset
from .reading import ReadError, read_report
from .store import OxigraphStore
from .vocab import ontology_graph

SCRATCH_BASE = "http://evaluation.invalid/"
REQUIRED = {"report": str, "meeting": dict}
NO_TEXT = {"online", "in person", "offline", "attendance mode"}   # no words of the report to look for
LISTS = ("organizations", "people", "tools", "requests", "must_not")


class AnnotationError(Exception):
    """An annotation file cannot be used (missing, malformed, or its report missing)."""


@dataclass
class Evaluation:
    annotation: str
    report: str
    checked: Checked
    ingest_errors: list[str] = field(default_factory=list)


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def figures(t: Tally) -> dict:
    p, r = ratio(t.tp_graph, t.tp_graph + t.fp), ratio(t.tp, t.tp + t.fn)
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else (0.0 if p == 0 or r == 0 else None)
    return {"precision": p, "recall": r, "f1": f1, "tp": t.tp, "fp": t.fp, "fn": t.fn, "tp_graph": t.tp_graph}


# -- input -------------------------------------------------------------------------------

def load_annotation(path: Path) -> tuple[dict, Path]:
    """The annotation and the path of its report; AnnotationError when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise AnnotationError(f"{path}: cannot read ({e})") from None
    except json.JSONDecodeError as e:
        raise AnnotationError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(data, dict):
        raise AnnotationError(f"{path}: an annotation is a JSON object")
    for key, typ in REQUIRED.items():
        if not isinstance(data.get(key), typ):
            raise AnnotationError(f"{path}: '{key}' is missing or not a {typ.__name__}")
    if not isinstance(data["meeting"].get("date"), str):
        raise AnnotationError(f"{path}: 'meeting.date' (YYYY-MM-DD) is missing")
    for key in LISTS:
        if not isinstance(data.get(key, []), list):
            raise AnnotationError(f"{path}: '{key}' is not a list")
    report = path.parent / data["report"]
    if Path(data["report"]).name != data["report"]:
        raise AnnotationError(f"{path}: 'report' names a file next to the annotation, not a path")
    if not report.is_file():
        raise AnnotationError(f"{path}: its report {report} does not exist")
    return data, report


# -- one report --------------------------------------------------------------------------

def report_graph(report: Path) -> tuple[Graph, list[str], str]:
    """The union graph of a scratch store holding this report alone, as ``ingest`` builds
    it; the ingest errors (a refused report leaves the ontology alone); the report's text."""
    try:
        source = read_report(report)
    except ReadError as e:
        raise AnnotationError(str(e)) from None
    store = OxigraphStore(None)
    errors: list[str] = []
    try:
        Dataset(store, SCRATCH_BASE).ingest([source], on_error=lambda e: errors.append(e.reason))
        g = Graph()
        for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }").triples:
            g.add(t)
    finally:
        store.close()
    return g, errors, source.text


def text_line(text: str, item: str) -> int | None:
    """The first line of the report where ``item`` (or its first words) appears."""
    lines = [norm(x) for x in text.splitlines()]
    for probe in (norm(item), " ".join(norm(item).split()[:3])):
        if probe:
            for i, line in enumerate(lines, 1):
                if probe in line:
                    return i
    return None


def evaluate_file(path: Path) -> Evaluation:
    annotation, report = load_annotation(path)
    graph, errors, text = report_graph(report)
    try:
        checked = check(annotation, graph, ontology_graph())
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise AnnotationError(f"{path}: malformed annotation ({type(e).__name__}: {e})") from None
    for f in checked.false_negatives + checked.false_positives:
        if f.line is None and f.item not in NO_TEXT:
            words = f.item.split(" ", 1)[-1] if f.kind in ("date", "meeting") else f.item.split(" / ")[0]
            f.line = text_line(text, words)
            f.line_source = "text" if f.line else ""
        elif f.line is not None:
            f.line_source = "graph"
    return Evaluation(str(path), str(report), checked, errors)


# -- several -----------------------------------------------------------------------------

def overall(evaluations: list[Evaluation]) -> dict[str, dict]:
    total = {k: Tally() for k in KINDS}
    for ev in evaluations:
        for k, t in ev.checked.tallies.items():
            for attr in ("tp", "fn", "tp_graph", "fp"):
                setattr(total[k], attr, getattr(total[k], attr) + getattr(t, attr))
    return {k: figures(t) for k, t in total.items()}


def to_json(evaluations: list[Evaluation]) -> dict:
    reports = []
    for ev in evaluations:
        c = ev.checked
        reports.append({"annotation": ev.annotation, "report": ev.report, "meeting": c.meeting,
                        "ingest_errors": ev.ingest_errors,
                        "kinds": {k: figures(t) for k, t in c.tallies.items()},
                        "false_negatives": [asdict(f) for f in c.false_negatives],
                        "false_positives": [asdict(f) for f in c.false_positives],
                        "must_not": c.must_not})
    violated = sum(1 for ev in evaluations for m in ev.checked.must_not if m["violated"])
    checked = sum(len(ev.checked.must_not) for ev in evaluations)
    return {"reports": reports, "overall": overall(evaluations),
            "must_not": {"checked": checked, "violated": violated}}


def below(result: dict, minimum: float) -> list[str]:
    """The kinds whose overall precision or recall is below ``minimum`` (unmeasured
    figures, with nothing to count, are not)."""
    return [f"{k} {m} {v:.2f}" for k, fig in result["overall"].items()
            for m, v in (("precision", fig["precision"]), ("recall", fig["recall"])) if v is not None and v < minimum]


def _pct(x: float | None) -> str:
    return "   –" if x is None else f"{x:4.2f}"


def table(figs: dict[str, dict]) -> list[str]:
    out = [f"  {'kind':14} {'P':>4} {'R':>5} {'F1':>5}   {'TP':>3} {'FP':>3} {'FN':>3}"]
    for k, f in figs.items():
        out.append(f"  {k:14} {_pct(f['precision'])} {_pct(f['recall']):>5} {_pct(f['f1']):>5}   "
                   f"{f['tp']:>3} {f['fp']:>3} {f['fn']:>3}")
    return out


def _finding(f: dict) -> str:
    where = f"line {f['line']}{' (text)' if f['line_source'] == 'text' else ''}" if f["line"] else "no line"
    return f"    {f['kind']:13} {f['item'][:70]!s:70}  {where}: {f['reason']}"


def to_text(result: dict) -> str:
    out = []
    for rep in result["reports"]:
        out.append(f"== {Path(rep['report']).name}  (meeting: {rep['meeting'] or 'not found'})")
        for e in rep["ingest_errors"]:
            out.append(f"  ingest refused the report: {e}")
        out += table(rep["kinds"])
        if rep["false_negatives"]:
            out.append("  false negatives (annotated, not in the graph):")
            out += [_finding(f) for f in rep["false_negatives"]]
        if rep["false_positives"]:
            out.append("  false positives (in the graph, not annotated):")
            out += [_finding(f) for f in rep["false_positives"]]
        if rep["must_not"]:
            out.append("  must_not:")
            for m in rep["must_not"]:
                state = "VIOLATED" if m["violated"] else "held    "
                extra = f" — {', '.join(m['nodes'])}" + (f" (line {', '.join(map(str, m['lines']))})" if m["lines"] else "") \
                    if m["violated"] else ""
                out.append(f"    {state} {m['kind']:18} {m['what']}{extra}")
        out.append("")
    out.append(f"== overall ({len(result['reports'])} report(s))")
    out += table(result["overall"])
    mn = result["must_not"]
    out.append(f"  must_not: {mn['violated']} of {mn['checked']} violated")
    return "\n".join(out) + "\n"


def evaluate(paths: list[Path]) -> dict:
    """Evaluate annotation files; AnnotationError on the first unusable one."""
    return to_json([evaluate_file(p) for p in paths])
