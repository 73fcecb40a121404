"""Sanitised HTML (from an instruction's Markdown) to readable plain text, for the e-mail's text part.

Paragraphs and headings are separated by a blank line, list items keep a "- " or "1. " marker (indented when
nested), table cells are joined by " | ", emphasis loses its markers and a link shows its address after its text."""

import re
from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "dl", "ul", "ol"}


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.lists: list[list] = []  # per open list: [ordered, next number]
        self.links: list[str | None] = []
        self.in_pre = False
        self.quotes = 0
        self.cells = 0

    def _break(self, blank: bool = False) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
        if blank and len(self.lines) > 1 and self.lines[-2] != "":
            self.lines.insert(len(self.lines) - 1, "")

    def _write(self, text: str) -> None:
        parts = text.split("\n")
        self.lines[-1] += parts[0]
        self.lines.extend(parts[1:])

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS and not (self.lists and tag == "p"):
            self._break(blank=not (self.lists and tag in ("ul", "ol")))
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", int(dict(attrs).get("start") or 1)])
        elif tag == "li" and self.lists:
            self._break()
            ordered, number = self.lists[-1]
            self.lists[-1][1] += 1
            self._write("  " * (len(self.lists) - 1) + (f"{number}. " if ordered else "- "))
        elif tag == "br":
            self._write("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "hr":
            self._write("----")
        elif tag == "pre":
            self.in_pre = True
        elif tag == "tr":
            self._break()
            self.cells = 0
        elif tag in ("td", "th"):
            self.lines[-1] = self.lines[-1].rstrip() + (" | " if self.cells else "")
            self.cells += 1
        elif tag == "blockquote":
            self.quotes += 1

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self._break(blank=True)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not self.lines[-1].endswith(href):
                self._write(f" ({href})")
        elif tag == "pre":
            self.in_pre = False
        elif tag == "blockquote":
            self.quotes = max(self.quotes - 1, 0)
        if tag in BLOCKS - {"ul", "ol"} and not (self.lists and tag == "p"):
            self._break(blank=True)

    def handle_data(self, data):
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
            if not self.lines[-1].strip():
                data = data.lstrip()
        if data and not self.lines[-1] and self.quotes:
            data = "> " * self.quotes + data
        self._write(data)


def html_to_text(html: str) -> str:
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    text = "\n".join(line.rstrip() for line in writer.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
