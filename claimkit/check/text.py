"""A reply prepared for checking: folded for matching, mapped back for reporting.

Rules match on a width-folded copy (NFKC, character by character, so every
folded character points back at the original one) in which the lines quoted
from the customer's mail (``>``) are blanked out: those are not the agent's
words. Sentences end at 。！？ (and . ! ? in English) or at a blank line, never
at a single newline, because mail bodies are wrapped by hand.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

_QUOTED = re.compile(r"^[ \t\u3000]*[>＞]")
_SENTENCE_END = {
    "ja": re.compile(r"[。！？!?]+[」』）)]*|\n[ \t\u3000]*\n"),
    # A full stop after "p.m.", "e.g.", "Mr." and the like does not end a sentence.
    "en": re.compile(
        r"(?<!\b[ap]\.m)(?<!\be\.g)(?<!\bi\.e)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bCo)"
        r"(?<!\bInc)(?<!\bLtd)(?<!\bvs)[.!?]+[\"')\]]*(?=\s|$)|\n[ \t]*\n"
    ),
}
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n")
_NEWLINE = re.compile(r"\n")
_TERMINAL = {"ja": re.compile(r"[。！？!?]"), "en": re.compile(r"[.!?](?=\s|$)")}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def detect_lang(text: str) -> str:
    """Japanese when the text holds kana or kanji, English otherwise."""
    return "ja" if _JAPANESE.search(text) else "en"


def fold(text: str) -> tuple[str, list[int]]:
    """NFKC per character, and for each folded character the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        # Most characters are already normal; skip the Unicode lookup for them.
        folded = ch if ch < "\u00a0" else unicodedata.normalize("NFKC", ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


@dataclass(frozen=True)
class Span:
    start: int  # in the folded text
    end: int


class Prepared:
    """One reply, ready for every rule: folded text, agent text, sentences, positions."""

    def __init__(self, text: str, lang: str) -> None:
        self.original = text
        self.lang = lang
        folded, origin = fold(text)
        self.folded = folded
        self._origin = origin
        quoted: list[str] = []
        agent = list(folded)
        pos = 0
        for line in folded.split("\n"):
            if _QUOTED.match(line):
                quoted.append(line)
                agent[pos : pos + len(line)] = " " * len(line)
            pos += len(line) + 1
        self.agent = "".join(agent)
        self.quoted = "\n".join(quoted)
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences; in a block with no sentence end at all (a signature, an address,
        a list of facts) each line stands on its own."""
        ends = _SENTENCE_END[self.lang]
        spans: list[Span] = []
        for para in self.paragraphs:
            body = self.agent[para.start : para.end]
            if "\n" in body and not _TERMINAL[self.lang].search(body):
                spans += _split(self.agent, _NEWLINE, para.start, para.end)
            else:
                spans += _split(self.agent, ends, para.start, para.end)
        return spans

    @cached_property
    def paragraphs(self) -> list[Span]:
        return _split(self.agent, _BLANK_LINES)

    def original_range(self, span: Span) -> tuple[int, int]:
        """The span in the original text (end exclusive)."""
        if not self._origin:
            return 0, 0
        start = self._origin[min(span.start, len(self._origin) - 1)]
        end = self._origin[max(min(span.end, len(self._origin)) - 1, 0)] + 1
        return start, max(end, start)

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of an index into the original text."""
        line = bisect.bisect_right(self._line_starts, index) - 1
        return line + 1, index - self._line_starts[line] + 1

    def excerpt(self, span: Span, limit: int = 40) -> str:
        start, end = self.original_range(span)
        words = " ".join(self.original[start:end].split())
        return words if len(words) <= limit else words[: limit - 1] + "…"


def _split(
    text: str, boundary: re.Pattern[str], start: int = 0, end: int | None = None
) -> list[Span]:
    stop = len(text) if end is None else end
    spans: list[Span] = []
    for m in boundary.finditer(text, start, stop):
        _add(spans, text, start, m.end())
        start = m.end()
    _add(spans, text, start, stop)
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    # Trim surrounding whitespace so a span starts and ends on the words.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
