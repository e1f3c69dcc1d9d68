"""A reply prepared for checking: folded for matching, mapped back for reporting.

Rules match on a width-folded copy (NFKC, character by character, so every
folded character points back at the original one) in which the lines quoted
from the customer's mail (``>``) are blanked out: those are not the agent's
words. Sentences end at 。！？ (and . ! ? in English) or at a blank line, never
at a single newline, because mail bodies are wrapped by hand; a block with no
sentence end at all (a signature, an address, a list of facts) counts line by line,
and so does a line before a list mark or after a "label: value" line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache
from typing import NamedTuple

# Where a line ends a sentence although it has no full stop: before a list item or a
# heading mark, and after a "label: value" line or an English heading in capitals.
_LINE_ENDS = (
    r"|\n(?=[ \t]*[■□◆◇●○・※•▶→*-])"
    r"|(?m:^[^\n:]{1,40}:[^\n]*\n)"
    r"|(?m:^[A-Z][A-Z0-9 ,'()/&-]{2,}\n)"
)
# Expressions are compiled when first needed, for the language at hand: a draft's
# start-up pays for its own language only, and a text without quotes for none.
# A run of stops is taken whole and never backtracked (possessive), and only from its
# first stop: tried from each stop of "....a", the English expression took time
# quadratic in the run (10,000 full stops: over a second).
_SENTENCE_ENDS = {
    "ja": r"[。!?]+[」』)]*" + _LINE_ENDS,
    "en": r"(?<![.!?])[.!?]++[\"')\]]*+(?=\s|$)" + _LINE_ENDS,
}
# Japanese needs no expression: its terminals are the characters themselves (see
# _has_terminal), and a set of them with 。 takes a third of a millisecond to compile.
_TERMINALS = {"en": r"[.!?](?=\s|$)"}


@cache
def _sentence_end(lang: str) -> re.Pattern[str]:
    return re.compile(_SENTENCE_ENDS[lang])


@cache
def _terminal(lang: str) -> re.Pattern[str]:
    return re.compile(_TERMINALS[lang])


@cache
def _quoted() -> re.Pattern[str]:
    return re.compile(r"^[ \t\u3000]*[>＞].*$", re.M)


@cache
def _abbreviation() -> re.Pattern[str]:
    # A full stop after "p.m.", "e.g.", "Mr." and the like does not end an English sentence.
    # Checked after a match rather than with look-behinds in the pattern, which would be
    # tried at every character instead of at the few full stops.
    return re.compile(r"(?:\b(?:[ap]\.m|e\.g|i\.e|Mr|Ms|Mrs|Dr|No|Co|Inc|Ltd|vs))$")


_NEWLINE = re.compile(r"\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


@cache
def _japanese() -> re.Pattern[str]:
    # Compiled on demand: its wide ranges take milliseconds, and a draft never asks.
    return re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def detect_lang(text: str) -> str:
    """Japanese when the text holds kana or kanji, English otherwise."""
    return "ja" if _japanese().search(text) else "en"


# The blocks mail uses, where NFKC folds characters one-to-one.
_BLOCKS = ((0x00A0, 0x0100), (0x2000, 0x2070), (0x3000, 0x3001), (0xFF01, 0xFFEF))


def _one_fold(ch: str) -> str | None:
    """What NFKC folds ``ch`` to when that is one other character, else None."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 and folded != ch else None


@cache
def _one_to_one() -> tuple[re.Pattern[str], dict[str, str]]:
    """NFKC foldings that keep one character one character, in the blocks mail uses."""
    table: dict[str, str] = {}
    for block in _BLOCKS:
        for code in range(*block):
            folded = _one_fold(chr(code))
            if folded is not None:
                table[chr(code)] = folded
    chars = "".join(re.escape(c) for c in table)
    return re.compile(f"[{chars}]"), table


@cache
def _in_blocks() -> frozenset[str]:
    return frozenset(chr(code) for block in _BLOCKS for code in range(*block))


# The first texts are folded by their distinct characters, without the table and its
# expression: building those costs a millisecond, most of a single draft's check, and
# pays off only over many texts (a batch, a rule pack's examples), where the expression
# folds a text in half the time. Those first texts cost a batch a fraction of it.
_BY_CHARACTER = 16
_folded_texts = 0


def _fold_one_to_one(text: str) -> str:
    global _folded_texts
    if _folded_texts < _BY_CHARACTER:
        _folded_texts += 1
        # NFKC is idempotent, so no character a replace puts in is folded by a later one.
        for ch in _in_blocks().intersection(text):
            folded = _one_fold(ch)
            if folded is not None:
                text = text.replace(ch, folded)
        return text
    return _by_expression(text)


def _by_expression(text: str) -> str:
    foldable, table = _one_to_one()
    # A regex finds the few full-width characters faster than str.translate scans all.
    return foldable.sub(lambda m: table[m.group()], text)


# A batch's replies share most of their paragraphs, so past the first texts each chunk
# between two newlines in a row is folded once and remembered (as engine.check remembers
# paragraphs). Chunks rather than lines: a reply has a few, so it costs a few string
# objects and lookups where its lines would cost dozens.
_CHUNK_MEMO_LIMIT = 4096
_folded_chunks: dict[str, str] = {}


def _fold_by_chunk(text: str) -> list[str] | None:
    """What fold() gives ``text`` when its map is None, as the folded chunks between two
    newlines in a row; None when a chunk does not fold one-to-one. The same as folding
    it whole, because no character folds to or from a newline, nor combines with one."""
    memo = _folded_chunks
    out: list[str] = []
    for chunk in text.split("\n\n"):
        folded = memo.get(chunk)
        if folded is None:
            folded = _by_expression(chunk)
            if not unicodedata.is_normalized("NFKC", folded):
                return None  # not remembered: the text takes the exact way anyway
            if len(memo) >= _CHUNK_MEMO_LIMIT:
                memo.clear()
            memo[chunk] = folded
        out.append(folded)
    return out


def fold(text: str) -> tuple[str, list[int] | None]:
    """NFKC per character, and for each folded character the index it came from.

    The map is None when every character folded to exactly one (the usual case);
    only text with expanding characters such as ㈱ or a half-width voiced kana takes
    the character-by-character way.
    """
    folded, origin, _ = _fold(text)
    return folded, origin


def _fold(text: str) -> tuple[str, list[int] | None, list[str] | None]:
    """fold(), and the folded chunks when the text was folded by them."""
    if text.isascii():  # NFKC leaves ASCII as it is; CPython knows this without a scan
        return text, None, None
    if _folded_texts >= _BY_CHARACTER:
        chunks = _fold_by_chunk(text)
        if chunks is not None:
            return "\n\n".join(chunks), None, chunks
    quick = _fold_one_to_one(text)
    if unicodedata.is_normalized("NFKC", quick):
        return quick, None, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch < "\u00a0" else unicodedata.normalize("NFKC", ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin, None


class Span(NamedTuple):
    """A stretch of the folded text; a tuple because the check makes very many of them."""

    start: int
    end: int


def _trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    """Add text[start:end] without surrounding whitespace, unless nothing is left."""
    segment = text[start:end]
    kept = segment.strip()
    if kept:
        # What strip() took from the left is whitespace, so kept[0] first occurs where kept begins.
        left = start + segment.index(kept[0])
        spans.append(Span(left, left + len(kept)))


def split(
    text: str,
    boundary: re.Pattern[str],
    start: int = 0,
    end: int | None = None,
    not_after: re.Pattern[str] | None = None,
) -> list[Span]:
    """Spans of text[start:end] cut after each boundary match, whitespace trimmed;
    a match that ``not_after`` finds just before it (an abbreviation) is no cut."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    for m in boundary.finditer(text, start, stop):
        # An abbreviation's dot ("p.m.", "Mr.") ends no sentence, unless a closing quote
        # or the end of the line follows it: '..."by Monday at 3 p.m."' does end one.
        if (
            not_after is not None
            and m.group() == "."
            and text[m.end() : m.end() + 1] != "\n"
            and not_after.search(text, max(start, m.start() - 4), m.start())
        ):
            continue
        cut = m.end()
        _trimmed(spans, text, start, cut)
        start = cut
    _trimmed(spans, text, start, stop)
    return spans


def paragraph_texts(text: str) -> list[tuple[int, str]]:
    """Where each paragraph starts, and its text: the spans paragraphs() gives."""
    if _may_have_spaced_lines(text):
        return [(s.start, text[s.start : s.end]) for s in split(text, _BLANK_LINES)]
    return _trimmed_pieces(text.split("\n\n"))


def _may_have_spaced_lines(text: str) -> bool:
    """Whether a line may hold spaces or tabs and nothing else: a blank line for the
    expression, which str.split("\n\n") would not cut at. Two plain searches, as an
    expression of its own would cost every draft's check the time to compile it."""
    return "\n " in text or "\n\t" in text


def _trimmed_pieces(pieces: list[str]) -> list[tuple[int, str]]:
    """The paragraphs of the text that joins ``pieces`` with blank lines, given that
    every blank line in it is two newlines in a row. str.split cuts at those, left to
    right, as the expression would; with no expression and no Span per paragraph, a
    reply is cut in less than half the time."""
    found: list[tuple[int, str]] = []
    start = 0
    for piece in pieces:
        kept = piece.strip()
        if kept:
            found.append((start + len(piece) - len(piece.lstrip()), kept))
        start += len(piece) + 2
    return found


def paragraphs(text: str) -> list[Span]:
    return [Span(start, start + len(body)) for start, body in paragraph_texts(text)]


def _has_terminal(body: str, lang: str) -> bool:
    if lang == "ja":
        return "。" in body or "!" in body or "?" in body
    return _terminal(lang).search(body) is not None


def sentences(text: str, lang: str, para: Span) -> list[Span]:
    body = text[para.start : para.end]
    if "\n" in body and not _has_terminal(body, lang):
        return split(text, _NEWLINE, para.start, para.end)
    not_after = _abbreviation() if lang == "en" else None
    return split(text, _sentence_end(lang), para.start, para.end, not_after)


def lower(text: str) -> str:
    """Lower case without changing the length, so positions still line up."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _blank(allow: re.Pattern[str], text: str) -> str:
    """``text`` with the allowed phrases (matched in lower case) made spaces; ``text``
    itself when it holds none."""
    lowered = lower(text)
    spans = [m.span() for m in allow.finditer(lowered)]
    if not spans:
        return text
    out = []
    last = 0
    for start, end in spans:
        out += [text[last:start], " " * (end - start)]
        last = end
    out.append(text[last:])
    return "".join(out)


class Prepared:
    """One reply, ready for the rules: folded agent text, quoted context, positions."""

    def __init__(self, text: str, lang: str, allow: re.Pattern[str] | None = None) -> None:
        self.original = text
        self.lang = lang
        folded, self._origin, chunks = _fold(text)
        self.folded = folded
        if ">" in folded:
            quoted = [m.group() for m in _quoted().finditer(folded)]
            self.quoted = "\n".join(quoted)
            self.agent = _quoted().sub(lambda m: " " * len(m.group()), folded)
            chunks = None
        else:
            self.quoted = ""
            self.agent = folded
        if allow is not None:
            # A team's allowed phrases (its shop's name, its own terms) are blanked as
            # quoted lines are: no rule reads them, and positions stay where they were.
            blanked = _blank(allow, self.agent)
            if blanked is not self.agent:
                self.agent = blanked
                chunks = None
        # The remembered folded chunks of the agent's text, when it has them: cut into
        # paragraphs, they are the same string objects reply after reply, whose hashes
        # (for the engine's memo) Python keeps.
        self._chunks = chunks
        self._line_starts: list[int] | None = None

    def paragraph_texts(self) -> list[tuple[int, str]]:
        """paragraph_texts() of the agent's text."""
        if self._chunks is None or _may_have_spaced_lines(self.agent):
            return paragraph_texts(self.agent)
        return _trimmed_pieces(self._chunks)

    def original_range(self, span: Span) -> tuple[int, int]:
        """The span in the original text (end exclusive)."""
        origin = self._origin
        if origin is None:
            return span.start, span.end
        if not origin:
            return 0, 0
        start = origin[min(span.start, len(origin) - 1)]
        end = origin[max(min(span.end, len(origin)) - 1, 0)] + 1
        return start, max(end, start)

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of an index into the original text."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.original)]
        line = bisect.bisect_right(self._line_starts, index) - 1
        return line + 1, index - self._line_starts[line] + 1

    def excerpt(self, span: Span, limit: int = 40) -> str:
        start, end = self.original_range(span)
        words = " ".join(self.original[start:end].split())
        # Shown on terminals and in CI logs: a control character is spelt out (\x1b).
        words = _CONTROL.sub(lambda m: repr(m.group())[1:-1], words)
        return words if len(words) <= limit else words[: limit - 1] + "…"
