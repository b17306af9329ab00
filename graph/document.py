"""Split a Markdown-ish report into blocks: headings, paragraphs and bullet items. A table
row is an item too, written as the sentence a report would use, from what its header says
each column holds (who, people, an answer); header rows are not facts and are dropped.

Heading levels in the club's reports are unreliable, so callers get each heading's
text and level but decide what a heading means from its content. Plain-text reports
(no Markdown heading at all) get headings from short, unpunctuated lines that stand
between blank lines; a short line in bold alone ("**Participants**") is a heading in any
report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import clean

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•–]|\d{1,2}[.)]|[a-h]\))\s+(.*)$")
_HARD_BREAK = re.compile(r"(  |\\)$")
# A line led by a key in bold ("**Date :** mardi 21 mars", "**Lieu** : Sète"): a block of its own.
_BOLD_KEY = re.compile(r"^\s*(\*\*|__)[^*_:]{2,40}?(?::\s*\1|\1\s*:)")
# A line giving one of a meeting's or a message's particulars ("Lieu : …", "Envoyé : …"): its own block.
_KEY_LINE = re.compile(r"^\s*(?:date|dates|lieu|où|quand|heure|horaires?|accueil|animation|présidence|rédaction|objet|de|envoyé"
                       r"|à|cc|participants?|présents?|excusée?s?|ordre\s+du\s+jour)\s*:", re.I)
# A line in bold alone, standing for a heading: "**Participants**", "__Tour de table__".
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_]{2,90}?)\1\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.+)\|\s*$")   # linear: no ".*\S.*" (quadratic on long lines)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Block:
    """A heading, a paragraph or one bullet item, with its 1-based line range."""

    kind: str                     # "heading", "para" or "item"
    text: str
    start: int
    end: int
    level: int = 0                # heading level, or bullet indentation depth
    raw: str = ""

    @property
    def lines(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    line_count: int = 0


def _plain_heading(line: str, prev_blank: bool, next_blank: bool, next_line: str = "") -> bool:
    """A short unpunctuated line between blank lines, or right above a list ("Demandes /
    réponses" then "* …"); a numbered one only in capitals ("3 - DEMANDES ET REPONSES")."""
    s = line.strip()
    numbered = re.match(r"^\d{1,2}\s*[-.)]\s+(?P<rest>.+)$", s)
    if numbered and not (numbered.group("rest").upper() == numbered.group("rest") and re.search(r"[A-Z]", numbered.group("rest"))):
        return False
    return (prev_blank and (next_blank or bool(_BULLET.match(next_line))) and 0 < len(s) <= 90 and len(s.split()) <= 12
            and s[0].isupper() or bool(numbered) and prev_blank) and not re.search(r"[.:;,!?…]$", s) \
        and not _BULLET.match(line) and not _KEY_LINE.match(line)


_WHO_COLUMN = re.compile(r"collectivit|organisation|organisme|structure|ville|commune|demandeur|porteur|entit|\bqui\b", re.I)
_PEOPLE_COLUMN = re.compile(r"participant|\bnoms?\b|personne|représentant|contact|présent(?!ation)", re.I)
_ANSWER_COLUMN = re.compile(r"réponse|retour|statut|\bavis\b|position|suite donnée|décision", re.I)


def column_roles(header: list[str]) -> list[str]:
    """"who", "people", "answer" or "text" for each column, from its header."""
    return ["answer" if _ANSWER_COLUMN.search(h) else "who" if _WHO_COLUMN.search(h)
            else "people" if _PEOPLE_COLUMN.search(h) else "text" for h in header]


def row_text(cells: list[str], roles: list[str]) -> str:
    """A table row as the sentence a report would write: "Body, Person" for a list of who
    came; "text, évoqué par Body ; réponse d'Entr'ouvert : answer" for a table of requests."""
    cells = [c.removeprefix("_.").strip() for c in cells]
    if len(cells) == 2 and roles in ([], ["text", "text"]) and cells[0] and len(cells[0].split()) <= 4:
        return f"{cells[0].strip('*_ ')} : {cells[1]}"      # a two-column table of particulars: "Date | jeudi 23 mai"
    if len(roles) != len(cells):
        return ", ".join(c for c in cells if c)
    by = {r: [c for c, role in zip(cells, roles) if role == r and c] for r in ("who", "people", "answer", "text")}
    if not by["text"]:
        return ", ".join(by["who"] + by["people"] + by["answer"])
    if roles[0] in ("who", "people"):                 # a tour de table: "Body, Person : what they said"
        return ", ".join(by["who"] + by["people"]) + " : " + " ".join(by["text"] + by["answer"])
    out = ", ".join(by["text"])
    if by["who"] or by["people"]:
        out += ", évoqué par " + " et ".join(by["who"] or by["people"])
    if by["answer"]:
        out += " ; réponse d'Entr'ouvert : " + " ; ".join(by["answer"])
    return out


def split_blocks(text: str) -> Document:
    """Turn report text into blocks, keeping line numbers for provenance."""
    lines = text.splitlines()
    has_md = sum(1 for ln in lines if _MD_HEADING.match(ln)) >= 2
    doc = Document(line_count=len(lines))
    current: Block | None = None
    roles: list[str] = []                 # what each column of the current table holds

    def close() -> None:
        nonlocal current
        if current is not None:
            current.text = clean(current.raw)
            if current.text:
                doc.blocks.append(current)
        current = None

    for i, line in enumerate(lines):
        n = i + 1
        blank = not line.strip()
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if blank:
            close()
            continue
        if not _TABLE_ROW.match(line) and not _TABLE_RULE.match(line):
            roles = []                                    # any other line ends a table
        m = _MD_HEADING.match(line)
        if m:
            close()
            doc.blocks.append(Block("heading", clean(m.group(2)), n, n, len(m.group(1)), m.group(2)))
            continue
        if (i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and (has_md or len(lines[i + 1].strip()) >= 3)
                and prev_blank and not _BULLET.match(line)):
            close()
            level = 1 if lines[i + 1].strip().startswith("=") else 2
            doc.blocks.append(Block("heading", clean(line), n, n + 1, level, line))
            continue
        if _SETEXT.match(line) and doc.blocks and doc.blocks[-1].end == n:
            continue
        bold = _BOLD_LINE.match(line)
        if bold and prev_blank and next_blank and len(bold.group("text").split()) <= 12 \
                and not re.search(r"[.;,!?…]$", bold.group("text").strip()):
            close()
            doc.blocks.append(Block("heading", clean(bold.group("text")).rstrip(" :"), n, n, 3, line))
            continue
        if not has_md and _plain_heading(line, prev_blank, next_blank, lines[i + 1] if i + 1 < len(lines) else ""):
            close()
            doc.blocks.append(Block("heading", clean(line), n, n, 2, line))
            continue
        if _TABLE_RULE.match(line):                       # under a table's header row
            close()
            continue
        t = _TABLE_ROW.match(line)
        if t and t.group("cells").strip(" |\t"):          # a row: one item, its cells in order
            close()
            cells = [c.strip() for c in t.group("cells").split("|")]
            if (i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1])) or all(c.startswith("_.") for c in cells):
                roles = column_roles([c.removeprefix("_.").strip() for c in cells])
                continue                                  # the header row names columns, not facts
            doc.blocks.append(Block("item", clean(row_text(cells, roles)), n, n, 0, line))
            continue
        b = _BULLET.match(line)
        if b:
            close()
            depth = len(b.group(1).expandtabs(4)) // 2
            current = Block("item", "", n, n, depth, b.group(2))
            continue
        if current is not None and not _HARD_BREAK.search(lines[i - 1]) and not _BOLD_KEY.match(line) \
                and not _KEY_LINE.match(line):
            current.raw += " " + line.strip()
            current.end = n
            continue
        close()
        current = Block("para", "", n, n, 0, line.strip())
    close()
    return doc
