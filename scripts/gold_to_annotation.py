"""Convert the seed report's gold file to the annotation format of tests/data/real/.

The mapping is the one given at the end of tests/data/real/ANNOTATIONS.md ("The 8th
meeting's reference file in this format"):

- ``meeting.ordinal`` → ``meeting.rank``; ``meeting.attachment`` → one entry of
  ``meeting.attachments``;
- ``other_organizations_mentioned`` → ``organizations`` entries with role ``mentioned``
  (Entr'ouvert: ``vendor``);
- each organization gets its ``canonical_name`` (the official name of the body its code
  names in the project's data: data/cog.tsv.gz, data/bodies.csv) and role ``participant``;
- presentation speakers → ``people`` entries too;
- ``requests[].response`` → ``requests[].answer`` (its ``alternative`` and ``note`` go into
  the answer's ``text``); each request and answer gets a ``fragment``;
  ``requests[].first_raised`` → a ``note``;
- ``offers_and_calls`` → ``requests`` of kind ``offer`` (by a participant) or ``call`` (by
  the vendor);
- everything else keeps its name.

What the gold only counts or leaves out (the bullets under each card's "Évolutions
envisagées", which the gold gives as ``planned_evolutions_bullets_by_organization``) is
hand-annotated from the report in a supplement next to the gold, ``<gold stem>.supplement.json``:
its lists (``organizations``, ``people``, ``tools``, ``requests``, ``must_not``) are appended to
the converted ones, after a check that every request's ``text`` and ``fragment`` are in the
report as written; its ``corrections`` (``{list, remove, add, note}``: where the gold reads the
text otherwise than a careful reader, with the reason) remove an entry by its label or name
and add others, and are kept in the output with their notes.

Nothing is guessed: a code comes only from the gold, and is kept only when the project's
data holds it; a value the format needs that neither the gold nor the data gives is left
out, and a ``note`` says so. A ``fragment`` is the longest run of words that the gold's
text shares with the report (as written in the report), so that a graph built from the
report can be searched for it.

    python scripts/gold_to_annotation.py [GOLD.json REPORT.md OUT.json]

(the supplement is looked for next to GOLD.json)
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from publik_kg.gazetteer import load as load_gazetteer

ROOT = Path(__file__).resolve().parent.parent

GOLD = ROOT / "tests/data/gold/2019-12-04-club-publik-8eme-reunion.json"
REPORT = ROOT / "data/corpus/2019-12-04-club-publik-8eme-reunion.md"
OUT = ROOT / "tests/data/real/2019-12-04-club-publik-8eme-reunion.json"

# The gold's kinds → the gazetteer's kind of body and which code it carries.
GAZ_KIND = {"commune": ("commune", "insee"), "departement": ("departement", "insee"),
            "region": ("region", "insee"), "metropole": ("epci", "siren"),
            "communaute-urbaine": ("epci", "siren"), "communaute-agglomeration": ("epci", "siren"),
            "communaute-communes": ("epci", "siren"), "autorite-administrative-independante": ("aai", None)}
STANCES = {"declined for now": "declined"}       # the gold's wording → the format's stance
MAX_FRAGMENT_WORDS = 8
_WORD = re.compile(r"[\w'’-]+")
SUPPLEMENT_LISTS = ("organizations", "people", "tools", "requests", "must_not")
_EDGE_WORDS = {"le", "la", "les", "l'", "de", "du", "des", "d'", "dans", "et", "à", "a", "en", "un", "une", "sur"}


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _norm(word: str) -> str:
    return word.casefold().replace("’", "'")


def fragment(text: str, report: str) -> str | None:
    """The longest run of ``text``'s words that the report holds in a row (case-insensitive),
    as written in the report; at most MAX_FRAGMENT_WORDS words. None when no word is shared."""
    a = [_norm(m.group()) for m in _words(text)]
    rm = _words(report)
    b = [_norm(m.group()) for m in rm]
    best, where = 0, 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, where = cur[j], j
        prev = cur
    if not best:
        return None
    first, last = where - best, min(where, where - best + MAX_FRAGMENT_WORDS) - 1
    while last > first and _norm(rm[last].group()) in _EDGE_WORDS:      # no dangling "… dans le"
        last -= 1
    return report[rm[first].start():rm[last].end()]


def organization(entry: dict, gaz) -> dict:
    out = {"label": entry["label"]}
    kind = entry.get("kind")
    gkind, code_key = GAZ_KIND.get(kind, (None, None))
    code = entry.get("insee") or entry.get("siren")
    notes = [entry["note"]] if entry.get("note") else []
    body = None
    if gkind == "aai":
        body = gaz.resolve(entry["label"])
        body = body if body is not None and body.kind == "aai" else None
    elif gkind and code:
        body = gaz.get(gkind, code)
    if body is not None:
        out["canonical_name"] = body.name
    else:
        notes.append("canonical_name left out: the project's data holds no body for this entry")
    out["kind"] = kind
    if code_key and code:
        if body is not None:
            out[code_key] = code
        else:
            notes.append(f"the gold's code {code} is not in the project's data; left out")
    out["role"] = "participant"
    for k, v in entry.items():
        if k not in ("label", "kind", "insee", "siren", "note"):
            out[k] = v
    if notes:
        out["note"] = "; ".join(notes)
    return out


def mentioned(text: str) -> dict:
    """"Entr'ouvert (vendor)" → an organizations entry; only the role is known."""
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", text)
    label, what = (m.group(1), m.group(2)) if m else (text, "")
    out = {"label": label}
    if label == "Entr'ouvert":
        out.update(canonical_name="Entr'ouvert", kind="company", role="vendor")
    else:
        out["role"] = "mentioned"
        out["note"] = (f"listed by the gold as '{text}' with no kind or code: kind and code left out "
                       f"(the gold does not say which body is meant)")
    return out


def answer(response: dict, report: str) -> dict:
    text = "; ".join(response[k] for k in ("alternative", "note") if response.get(k))
    stances = [STANCES.get(s.strip(), s.strip()) for s in response["stance"].split(",")]
    out = {"by": response["by"], "text": text, "fragment": fragment(text, report) if text else None,
           "stance": ", ".join(stances)}
    if not text:
        del out["text"], out["fragment"]
    return out


def request(entry: dict, report: str) -> dict:
    out = {"text": entry["text"], "fragment": fragment(entry["text"], report)}
    out["raised_by"] = entry["raised_by"]
    out["kind"] = "request"
    for k in ("section", "tools", "id"):
        if k in entry:
            out[k] = entry[k]
    notes = [entry["note"]] if entry.get("note") else []
    if entry.get("first_raised"):
        notes.append(f"first raised: {entry['first_raised']}")
    if "declined for now" in entry.get("response", {}).get("stance", ""):
        notes.append("the gold's stance 'declined for now' is the format's 'declined'")
    if notes:
        out["note"] = "; ".join(notes)
    out["answer"] = answer(entry["response"], report) if entry.get("response") else None
    return out


def offer(entry: dict, report: str, vendor: str) -> dict:
    return {"text": entry["text"], "fragment": fragment(entry["text"], report), "raised_by": entry["by"],
            "kind": "call" if entry["by"] == vendor else "offer",
            "note": "from the gold's offers_and_calls (a call when the vendor makes it, else an offer)",
            "answer": None}


def convert(gold: dict, report: str, report_name: str) -> dict:
    gaz = load_gazetteer()
    g_meeting = gold["meeting"]
    meeting = {"date": g_meeting["date"], "rank": g_meeting["ordinal"]}
    for k in ("venue", "city", "host", "vendor"):
        meeting[k] = g_meeting.get(k)
    for k, v in g_meeting.items():
        if k not in meeting and k not in ("ordinal", "attachment"):
            meeting[k] = v
    if "attachment" in g_meeting:
        meeting["attachments"] = [g_meeting["attachment"]]
    meeting["note"] = ("end_date and online are left out: the gold does not give them. "
                       "Converted from the gold file by scripts/gold_to_annotation.py.")
    people = []
    for p in gold.get("presentations", []):
        for name in p.get("speakers", []):
            person = {"name": name, "role": f"speaker: {p['title']}"}
            if p.get("by"):
                person["organization"] = p["by"]
            else:
                person["note"] = "organization left out: the gold does not say whom the speaker works for"
            people.append(person)
    vendor = g_meeting.get("vendor")
    out = {
        "about": (f"What a careful reader extracts from {report_name} (8th meeting of the Club des "
                  "utilisateurs Publik), converted from tests/data/gold/ by scripts/gold_to_annotation.py. "
                  "Format: ANNOTATIONS.md in this folder."),
        "report": report_name,
        "meeting": meeting,
        "presentations": gold.get("presentations", []),
        "organizations": [organization(o, gaz) for o in gold["organizations"]]
        + [mentioned(t) for t in gold.get("other_organizations_mentioned", [])],
        "people": people,
        "tools": gold.get("tools", []),
        "requests": [request(r, report) for r in gold.get("requests", [])]
        + [offer(o, report, vendor) for o in gold.get("offers_and_calls", [])],
        "must_not": [],
    }
    for k in ("cross_organization_demand_examples", "planned_evolutions_bullets_by_organization"):
        if k in gold:
            out[k] = gold[k]
    return out


def supplement_path(gold_path: Path) -> Path:
    return gold_path.with_name(gold_path.stem + ".supplement.json")


def _name(entry) -> str:
    return entry if isinstance(entry, str) else entry.get("label") or entry.get("name") or entry.get("text")


def merge(out: dict, supplement: dict, report: str, name: str) -> dict:
    """Append the supplement's lists to the converted annotation; a request whose text or
    fragment the report does not hold (case-insensitively) is an error."""
    folded = report.casefold()
    for r in supplement.get("requests", []):
        for key in ("text", "fragment"):
            if r.get(key) and r[key].casefold() not in folded:
                raise ValueError(f"{name}: request {key} not in the report: {r[key]!r}")
    for key in SUPPLEMENT_LISTS:
        out[key] = out.get(key, []) + supplement.get(key, [])
    for c in supplement.get("corrections", []):
        entries = out[c["list"]]
        if c.get("remove"):
            kept = [e for e in entries if _name(e) != c["remove"]]
            if len(kept) == len(entries):
                raise ValueError(f"{name}: no {c['list']} entry {c['remove']!r} to remove")
            entries = kept
        out[c["list"]] = entries + c.get("add", [])
    if supplement.get("corrections"):
        out["corrections"] = supplement["corrections"]
    out["about"] += f" Completed by hand from the report text with {name}."
    return out


def main(argv: list[str]) -> int:
    gold_path, report_path, out_path = (Path(a) for a in argv) if len(argv) == 3 else (GOLD, REPORT, OUT)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    report = report_path.read_text(encoding="utf-8")
    out = convert(gold, report, report_path.name)
    extra = supplement_path(gold_path)
    if extra.exists():
        out = merge(out, json.loads(extra.read_text(encoding="utf-8")), report, f"tests/data/gold/{extra.name}")
    out_path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
