"""Readable text out of an HTML-only mail: what the customer sees, as plain lines.

Block elements become line breaks (a paragraph, heading, list or quote a blank line
around it, as a browser leaves space), entities are decoded, scripts, styles and the
head are dropped, a blockquote (the quoted history of Gmail, Apple Mail and
Thunderbird) comes out with ``> `` before its lines so that it is told apart as in
plain text, and a link keeps its address when its text is something else. White
space collapses as a browser collapses it; a line break in the source between two
Japanese characters disappears, as browsers make it, instead of becoming a space in
the middle of a sentence.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import re
import unicodedata
from html.parser import HTMLParser
from typing import NamedTuple

# Blocks that start a new line, and those that also leave a blank line around them.
_LINE_BLOCKS = frozenset(
    {"address", "article", "aside", "center", "dd", "div", "dt", "figcaption", "figure"}
    | {"footer", "form", "header", "hr", "li", "main", "nav", "section", "tr", "caption"}
)
_PARAGRAPHS = frozenset(
    {"p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table"}
)
_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_SPACE = re.compile(r"[ \t\r\n\f]+")


class _Break(NamedTuple):
    blank: bool  # a blank line, not only a new one
    forced: bool  # <br>: a line even when it is empty


_BR = _Break(blank=False, forced=True)
_LINE = _Break(blank=False, forced=False)
_PARAGRAPH = _Break(blank=True, forced=False)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cur: list[str] = []  # pieces of the line being read
        self.cur_depth = 0  # its blockquote depth
        self.blank = False  # a blank line is due before the next text
        self.dropped = 0  # depth inside script, style, head
        self.pre = 0
        self.quote = 0
        self.links: list[tuple[str | None, int]] = []  # href, where its text starts

    def text(self, data: str) -> None:
        if not self.cur:
            if not data.strip():
                return  # white space before a line's text is no text
            if self.blank and self.lines and self.lines[-1].strip(">"):
                self.lines.append(("> " * self.quote).rstrip())
            self.blank = False
            self.cur_depth = self.quote
        self.cur.append(data)

    def end_line(self, brk: _Break) -> None:
        line = _collapse("".join(self.cur)) if self.cur else ""
        if line or brk.forced:
            depth = self.cur_depth if self.cur else self.quote
            self.lines.append(("> " * depth + line).rstrip())
        self.cur = []
        self.blank = self.blank or brk.blank

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped += 1
        elif tag == "br":
            self.end_line(_BR)
        elif tag in _PARAGRAPHS or tag in _LINE_BLOCKS:
            self.end_line(_PARAGRAPH if tag in _PARAGRAPHS else _LINE)
            self.quote += tag == "blockquote"
            self.pre += tag == "pre"
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len("".join(self.cur))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _LINE_BLOCKS:
            self.end_line(_BR if tag == "br" else _LINE)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropped = max(self.dropped - 1, 0)
        elif tag in _PARAGRAPHS or tag in _LINE_BLOCKS:
            self.end_line(_PARAGRAPH if tag in _PARAGRAPHS else _LINE)
            if tag == "blockquote":
                self.quote = max(self.quote - 1, 0)
            elif tag == "pre":
                self.pre = max(self.pre - 1, 0)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.cur)[start:]
            if href and href.startswith(("http:", "https:")) and href not in text:
                self.text(f" <{href}>")

    def handle_data(self, data: str) -> None:
        if self.dropped:
            return
        if not self.pre:
            self.text(data)
            return
        for n, line in enumerate(data.replace("\r\n", "\n").split("\n")):
            if n:
                self.end_line(_BR)
            self.text(line)

    def close(self) -> None:
        super().close()
        self.end_line(_LINE)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = parser.lines
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _collapse(text: str) -> str:
    def join(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if "\n" in m.group() and _wide(before) and _wide(after):
            return ""
        return " "

    return _SPACE.sub(join, text).replace("\xa0", " ").strip(" ")


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"
