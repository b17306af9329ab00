"""Bring a report written in another markup to the Markdown-ish text the parser reads.

The club's reports live on a Redmine wiki: their source is Redmine's Textile ("h2. Title",
"* item", "*bold*", ``"text":url``), and a page saved from the browser is HTML. Both are
turned into Markdown here, **line for line**: every block keeps the line number it has in
the original file, so the provenance of each fact points at the file the user gave.
Markdown and plain text pass through unchanged.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePath

_TEXTILE_HEADING = re.compile(r"^h([1-6])(?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\]|[<>=~]+)*\.\s+(.*)$")
_TEXTILE_BLOCK = re.compile(r"^(?:p|bq|div)(?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\]|[<>=~]+)*\.\s+")
_TEXTILE_LIST = re.compile(r"^([*#]+)\s+(.*)$")
_TEXTILE_LINK = re.compile(r'"(?P<text>[^"\n]+?)(?:\([^)"]*\))?":(?P<url>https?://[^\s<>"]*[^\s<>".,;:!?)])')
_TEXTILE_STRONG = re.compile(r"(?<![\w*])\*(?P<t>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])")
_TEXTILE_CODE = re.compile(r"(?<!\w)@(?P<t>[^@\s](?:[^@\n]*?[^@\s])?)@(?!\w)")
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?(?P<t>[^\]|]+)\]\]")
_MACRO = re.compile(r"^\s*\{\{[^}]*\}\}\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<\?xml[^>]*>\s*<html\b)", re.I)
_BR = "\ue000"                                  # a <br> while a block is read
_HTML_BLOCKS = re.compile(r"<(?:h[1-6]|p|li)\b[^>]*>", re.I)


def dialect(text: str, name: str = "") -> str:
    """"html", "textile" or "markdown" (which also covers plain text)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml") or _HTML_START.match(text) or len(_HTML_BLOCKS.findall(text)) >= 3:
        return "html"
    if suffix == ".textile":
        return "textile"
    lines = text.splitlines()
    if sum(1 for ln in lines if _TEXTILE_HEADING.match(ln)) >= 1 and not _MD_HEADING.search(text):
        return "textile"
    return "markdown"


def to_markdown(text: str, name: str = "") -> str:
    """The report as Markdown, each block on the line it has in ``text``."""
    kind = dialect(text, name)
    if kind == "html":
        return _html(text)
    if kind == "textile":
        lines = [_textile_line(ln) for ln in text.splitlines()]
        return "\n".join(lines) + ("\n" if lines and not lines[-1] else "")   # a last blank line kept
    return text


def _textile_inline(s: str) -> str:
    s = _WIKI_LINK.sub(r"\g<t>", s)
    s = _TEXTILE_LINK.sub(lambda m: f"{m.group('text')} ({m.group('url')})" if m.group("text") != m.group("url")
                          else m.group("url"), s)
    s = _TEXTILE_STRONG.sub(r"**\g<t>**", s)
    return _TEXTILE_CODE.sub(r"`\g<t>`", s)


def _textile_line(line: str) -> str:
    if _MACRO.match(line):                      # {{toc}}, {{>toc}}: Redmine macros, no content
        return ""
    if m := _TEXTILE_HEADING.match(line):
        return "#" * int(m.group(1)) + " " + _textile_inline(m.group(2))
    if m := _TEXTILE_LIST.match(line):
        marks = m.group(1)
        bullet = "1." if marks[-1] == "#" else "-"
        return "  " * (len(marks) - 1) + f"{bullet} " + _textile_inline(m.group(2))
    line = _TEXTILE_BLOCK.sub("", line)
    return _textile_inline(line)


class _HtmlToMarkdown(HTMLParser):
    """Headings, paragraphs, list items and table rows of an HTML page, each written at the
    line where its tag starts in the source; scripts, styles, the page chrome and tables of
    contents dropped."""

    SKIP = {"script", "style", "head", "nav", "footer", "noscript", "template", "svg", "button", "form", "select"}
    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd",
              "section", "article", "main", "header", "table", "ul", "ol", "dl"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []                  # finished lines
        self.buf: list[str] = []                  # text of the block being read
        self.prefix = ""
        self.skipping: list[str] = []             # open tags inside a skipped element
        self.lists: list[str] = []                # "ul" / "ol" nesting
        self.links: list[tuple[str | None, int]] = []
        self.pre = 0

    def _flush(self) -> bool:
        text = "".join(self.buf)
        if not self.pre:
            text = re.sub(r"[ \t\r\f\v]+", " ", text)
        if self.prefix == "|":                          # a table row stays on one line
            text = text.replace("\n", " ").replace(_BR, " ")
        text = text.replace(_BR, "  \n")             # a hard break, as in Markdown
        parts = [p.strip() + ("  " if p.endswith("  ") else "") for p in text.split("\n") if p.strip()]
        if parts:
            parts[-1] = parts[-1].rstrip()
            self.out.append(self.prefix + parts[0])
            self.out.extend(parts[1:])
            self.prefix = ""
        self.buf = []
        return bool(parts)

    def _start_block(self, prefix: str) -> None:
        pending = "" if self._flush() else self.prefix    # "<li><p>…": the item's bullet stays
        line = self.getpos()[0]
        while len(self.out) < line - 1:
            self.out.append("")
        if self.out and self.out[-1].strip() and not self.out[-1].endswith("  "):
            self.out[-1] += "  "                 # a hard break: the next line is a new block
        self.prefix = prefix or pending

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag not in self.VOID:
                self.skipping.append(tag)
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.SKIP or (tag in ("ul", "ol", "div") and "toc" in classes) or "wiki-anchor" in classes:
            if tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        if tag == "pre":
            self.pre += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._start_block("#" * int(tag[1]) + " ")
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            self._start_block("  " * depth + ("1. " if self.lists and self.lists[-1] == "ol" else "- "))
        elif tag == "tr":
            self._start_block("|")
        elif tag in self.BLOCKS:
            self._start_block("")
        elif tag == "br":
            self.buf.append(" " if self.prefix.startswith("#") else _BR)
        elif tag in ("strong", "b"):
            self.buf.append("**")
        elif tag in ("td", "th"):
            self.buf.append(" _. " if tag == "th" else " ")       # a header cell, as Textile marks it
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.buf)))

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in self.skipping:                # close up to the matching open tag
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in ("strong", "b"):
            self.buf.append("**")
        elif tag in ("td", "th"):
            self.buf.append(" |")
        elif tag == "a" and self.links:
            href, at = self.links.pop()
            text = "".join(self.buf[at:]).strip()
            if href and re.match(r"https?://", href) and href != text:
                self.buf.append(f" ({href})" if text else href)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.skipping:
            self.buf.append(data)


def _html(text: str) -> str:
    parser = _HtmlToMarkdown()
    parser.feed(text)
    parser.close()
    parser._flush()
    return "\n".join(parser.out)
