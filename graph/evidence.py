"""Why the extraction holds a fact: the evidence each stage records, and how sure it is.

Every stage that reads a fact (``mentions``, ``people``, ``asks``, ``answers``, the
layout rules of ``extract``) records a ``model.Claim``: which fact, the line and the words
it was read from, the stage and the rule. ``confidence`` gives each (stage, rule) a prior:
a fixed figure per rule, ranked by how often that rule was right on the annotated
reports (docs/QUALITY.md), not a calibrated probability.
"""
from __future__ import annotations

from .model import Claim, Evidence

# (stage, rule) → prior; a rule missing here takes its stage's "" entry.
CONFIDENCE = {
    ("people", "model+pattern"): 0.95, ("people", "pattern"): 0.85, ("people", "model"): 0.8, ("people", ""): 0.8,
    ("mentions", "talk"): 0.9, ("mentions", "team"): 0.9, ("mentions", "thanks"): 0.9, ("mentions", "none"): 0.85,
    ("mentions", ""): 0.85,
    ("asks", "verb"): 0.8, ("asks", "list-lead"): 0.85, ("asks", ""): 0.8,
    ("answers", "together"): 0.75, ("answers", "commitment"): 0.75, ("answers", ""): 0.8,
    ("layout", ""): 0.9,
}


def confidence(stage: str, rule: str) -> float:
    return CONFIDENCE.get((stage, rule), CONFIDENCE.get((stage, ""), 0.7))


def claim(kind: str, subject, obj, line: int, quote: str, stage: str, rule: str) -> Claim:
    """A fact with its evidence; ``quote`` is cut to 200 characters."""
    return Claim(kind, subject, obj, Evidence(line, " ".join(quote.split())[:200], stage, rule, confidence(stage, rule)))
