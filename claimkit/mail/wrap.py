"""Lines of a mail body as Japanese and English business mail lays them out.

Japanese: at most 35 full-width characters (70 columns) a line, broken between
phrases as BudouX finds them, never inside a run of ASCII (a URL, an address, an
order or phone number) nor right after one (15時, A-1024の件, Outlookで stay
together: the counter or particle belongs to it), and with 禁則: no line starts
with a closing bracket,
、。, ー or a small kana, and none ends with an opening bracket. English: 72
columns, broken at spaces only. A line the text already breaks stays broken
there; each line is wrapped on its own, a quoted line (``> ...``) with its
prefix counted and repeated.

Every Japanese piece of text that is cut is kept: joining the lines gives back
the line (a space at a break stays at the end of the line, where it does not
count). English drops the spaces it breaks at, as every mail client does.

Speed: drafts of one template share most of their lines, so what a line wraps
to is remembered (bounded), and so are the phrases of each stretch of Japanese
between punctuation, spaces and ASCII runs: a line that changes only in a
customer's name pays BudouX only for the stretch with the name. BudouX is
imported the first time a Japanese line is too long, not before.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from claimkit.errors import InputError

if TYPE_CHECKING:
    from budoux import Parser

JA_WIDTH = 70  # 35 full-width characters: what Japanese business mail is set at
EN_WIDTH = 72
MIN_WIDTH = 20
# A quoted line keeps at least this many columns for its text, however deep it is nested.
MIN_QUOTED_TEXT = 20

# 行頭禁則: what a line never starts with. Closing brackets, 、。 and their kin, the
# prolonged sound mark, iteration marks, small kana, wave dashes, and spaces (a line
# starting with a space reads as indented).
NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉゛゜ヽヾゝゞ々〻ー‐゠–〜～"
    "）］｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "｡｣､･ｰｧｨｩｪｫｬｭｮｯ"
    ",.:;?!)]}"
    " \u3000"
)
# 行末禁則: what a line never ends with.
NO_END = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«([{")
# Doubled dashes and leaders are one mark (――, ……): never split between the two.
_DOUBLED = frozenset("―—…‥")
_SPACES = " \u3000"

# One unbreakable token: a run of ASCII letters, digits and punctuation (a URL, a mail
# address, an order or phone number), full-width letters and digits included.
_TOKEN_CHARS = "!-~０-９Ａ-Ｚａ-ｚ－＠＿"
# Patterns as text, compiled (and cached) by `re` the first time a line is too long:
# compiling them here cost a millisecond of every draft's start-up.
_PIECES = (
    f"(?P<token>[{_TOKEN_CHARS}]+)|(?P<space>[{_SPACES}]+)|(?P<text>[^{_TOKEN_CHARS}{_SPACES}]+)"
)
# BudouX runs on stretches that end after 、。！？: it always breaks there, and short,
# recurring stretches are what the phrase memo can find again.
_STRETCHES = r"(?s:.*?[、。，．！？]+|.+)"
_QUOTE = r"(?:> ?)+"
_WORDS = r"(\s*)(\S+)"

_MEMO_SIZE = 4096
# Each line too long for its width, as wrapped.
_lines: dict[tuple[str, int, bool], str] = {}
# Each stretch of Japanese cut into phrases joined where 禁則 allows no break, with widths.
_stretches: dict[str, tuple[tuple[str, int, int], ...]] = {}
_parser: Parser | None = None


def wrap(text: str, lang: str, width: int | None = None) -> str:
    """``text`` with every line longer than ``width`` columns broken (see the module).

    ``lang`` is ``"ja"`` or ``"en"`` (anything but ``"ja"`` is wrapped as English);
    ``width`` defaults to 70 columns for Japanese and 72 for English.
    """
    ja = lang == "ja"
    if width is None:
        width = JA_WIDTH if ja else EN_WIDTH
    if width < MIN_WIDTH:
        raise InputError(f"a line width of {width} is too narrow; use {MIN_WIDTH} or more")
    lines = text.split("\n")
    # No character is wider than two columns: a line of at most half the width fits,
    # and so, told by the C loops of max() and len(), do all of most drafts' lines.
    half = width // 2
    if max(map(len, lines)) <= half:
        return text
    known = _lines.get
    return "\n".join(
        [
            line if len(line) <= half else known((line, width, ja)) or _remember(line, width, ja)
            for line in lines
        ]
    )


def _remember(line: str, width: int, ja: bool) -> str:
    done = "\n".join(_wrap_quoted(line, width, ja))
    if len(_lines) >= _MEMO_SIZE:
        _lines.clear()
    _lines[line, width, ja] = done
    return done


def default_width(lang: str) -> int:
    """The width ``wrap`` uses for ``lang`` when none is given."""
    return JA_WIDTH if lang == "ja" else EN_WIDTH


def wrapped_position(text: str, lang: str, width: int, line: int, column: int) -> tuple[int, int]:
    """Where the character at ``line`` and ``column`` of ``text`` (1-based, columns
    counted in characters) is in ``wrap(text, lang, width)``.

    A space an English line was broken at is gone: a position on it is given as
    just after the line it ended. Each line is wrapped again here, from what
    ``wrap`` remembered: this is for the few positions a check finds.
    """
    lines = text.split("\n")
    before = sum(len(wrap(earlier, lang, width).split("\n")) for earlier in lines[: line - 1])
    if not 1 <= line <= len(lines):
        return before + 1, column
    original = lines[line - 1]
    pieces = wrap(original, lang, width).split("\n")
    quote = re.match(_QUOTE, original)
    skip = quote.end() if quote else 0
    offset = column - 1 - skip  # into the line's text after its quote marks
    if len(pieces) == 1 or offset < 0:
        return before + 1, column
    rest = original[skip:]
    # each piece of a quoted line starts with its marks and a space (see _wrap_quoted):
    # those are taken off, never more, as the text itself may start with a ">"
    marks = len(quote.group().removesuffix(" ") + " ") if quote else 0
    at = 0
    for n, piece in enumerate(pieces):
        shown = piece[marks:]
        start = rest.find(shown, at) if shown else at
        if start < 0:  # not the line's own text: nothing better to point at
            return before + 1 + n, 1
        if offset < start and n:  # a space dropped at the break before this piece
            return before + n, len(pieces[n - 1]) + 1
        if offset < start + len(shown) or n == len(pieces) - 1:
            return before + 1 + n, len(piece) - len(shown) + offset - start + 1
        at = start + len(shown)
    return before + len(pieces), column  # not reached: the last piece takes the rest


def forget() -> None:
    """Drop what was remembered (for measuring the cold cost; nothing else needs it)."""
    _lines.clear()
    _stretches.clear()


def display_width(text: str, lang: str = "ja") -> int:
    """Columns ``text`` takes in a mail client's fixed-width font.

    East Asian wide and full-width characters take two columns, and in Japanese so do
    the ambiguous symbols from U+2000 on (①, ※, ○, →, ―: Japanese fonts draw them
    full-width); combining marks and format characters take none.
    """
    return _width(text, _JA if lang == "ja" else _EN)


def can_break(before: str, after: str) -> bool:
    """Whether a line may end after the character ``before`` when ``after`` follows."""
    if before in NO_END or after in NO_START or _JA[after] == 0:
        return False
    if _is_token(before):
        # Inside an ASCII run, or what follows one without a space: the counter or
        # particle that belongs to it (15時, A-1024の, Outlookで).
        return False
    return not (before == after and before in _DOUBLED)


def _is_token(ch: str) -> bool:
    """Whether ``ch`` is one of ``_TOKEN_CHARS`` (compared, not matched: it runs per break)."""
    if ch <= "~":
        return ch >= "!"
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ" or ch in "－＠＿"


class _Widths(dict[str, int]):
    """Columns of each character, worked out the first time it is seen."""

    def __init__(self, ja: bool) -> None:
        super().__init__()
        self.ja = ja

    def __missing__(self, ch: str) -> int:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            w = 0
        else:
            eaw = unicodedata.east_asian_width(ch)
            w = 2 if eaw in "WF" or (self.ja and eaw == "A" and ch >= "\u2000") else 1
        self[ch] = w
        return w


_JA = _Widths(ja=True)
_EN = _Widths(ja=False)


def _width(text: str, table: _Widths) -> int:
    if text.isascii():
        return len(text)
    return sum(map(table.__getitem__, text))


def _wrap_quoted(line: str, width: int, ja: bool) -> tuple[str, ...]:
    quote = re.match(_QUOTE, line)
    if quote is None:
        return _wrap_ja(line, width) if ja else _wrap_en(line, width)
    prefix = quote.group()
    if not prefix.endswith(" "):
        prefix += " "  # '>text' is quoted as '> text' once it is cut
    rest = line[quote.end() :]
    inner = max(width - _width(prefix, _JA if ja else _EN), MIN_QUOTED_TEXT)
    pieces = _wrap_ja(rest, inner) if ja else _wrap_en(rest, inner)
    if len(pieces) == 1:
        return (line,)
    return tuple(prefix + piece for piece in pieces)


# --- Japanese ------------------------------------------------------------------------------------


def _wrap_ja(line: str, width: int) -> tuple[str, ...]:
    lines: list[str] = []
    cur = ""  # the line being filled
    cur_width = 0  # its width, trailing spaces included
    for chunk, full, shown in _chunks(line):
        if cur and cur_width + shown <= width:
            cur += chunk
            cur_width += full
            continue
        if cur:
            lines.append(cur)
        if shown <= width:
            cur, cur_width = chunk, full
            continue
        *whole, cur = _split_chunk(chunk, width)
        lines.extend(whole)
        cur_width = _width(cur, _JA)
    if cur:
        lines.append(cur)
    return tuple(lines)


_Chunk = tuple[str, int, int]  # text, its width, its width without trailing spaces


def _chunks(line: str) -> list[_Chunk]:
    """The line cut only where a line may end: between phrases, after spaces, around
    ASCII runs."""
    chunks: list[_Chunk] = []
    for piece in re.finditer(_PIECES, line):
        kind = piece.lastgroup
        text = piece.group()
        if kind == "text":
            for stretch in re.findall(_STRETCHES, text):
                _glue(chunks, _stretch_chunks(stretch))
        else:
            w = _width(text, _JA)
            _glue(chunks, ((text, w, 0 if kind == "space" else w),))
    return chunks


def _glue(chunks: list[_Chunk], more: tuple[_Chunk, ...]) -> None:
    """Append ``more``, joining its first chunk to the last one where no line may end."""
    text, full, shown = more[0]
    if chunks and not can_break(chunks[-1][0][-1], text[0]):
        before, before_full, _ = chunks[-1]
        chunks[-1] = (before + text, before_full + full, before_full + shown)
        chunks.extend(more[1:])
    else:
        chunks.extend(more)


def _stretch_chunks(stretch: str) -> tuple[_Chunk, ...]:
    found = _stretches.get(stretch)
    if found is None:
        global _parser
        if _parser is None:
            import budoux

            _parser = budoux.load_default_japanese_parser()
        chunks: list[_Chunk] = []
        for phrase in _parser.parse(stretch):
            w = _width(phrase, _JA)
            _glue(chunks, ((phrase, w, w),))
        found = tuple(chunks)
        if len(_stretches) >= _MEMO_SIZE:
            _stretches.clear()
        _stretches[stretch] = found
    return found


def _split_chunk(chunk: str, width: int) -> list[str]:
    """A chunk wider than a line, cut between characters where 禁則 allows.

    A part with no place to cut (an ASCII run and the brackets around it) stays whole,
    wider than the line.
    """
    parts: list[str] = []
    start = 0
    n = len(chunk)
    while start < n:
        used = 0
        end = start
        while end < n:
            w = _JA[chunk[end]]
            if used + w > width and chunk[end] not in _SPACES:
                break
            used += w
            end += 1
        if end >= n:
            parts.append(chunk[start:])
            break
        cut = next(
            (i for i in range(end, start, -1) if can_break(chunk[i - 1], chunk[i])),
            None,
        )
        if cut is None:
            cut = next(
                (i for i in range(end + 1, n) if can_break(chunk[i - 1], chunk[i])),
                n,
            )
        parts.append(chunk[start:cut])
        start = cut
    return parts


# --- English -------------------------------------------------------------------------------------


def _wrap_en(line: str, width: int) -> tuple[str, ...]:
    lines: list[str] = []
    cur = ""
    cur_width = 0
    end = 0
    for m in re.finditer(_WORDS, line):
        space, word = m.groups()
        end = m.end()
        w = _width(word, _EN)
        sw = _width(space, _EN)
        if not cur or cur_width + sw + w <= width:
            cur += space + word
            cur_width += sw + w
        else:
            lines.append(cur)
            cur, cur_width = word, w
    cur += line[end:]  # trailing spaces of the line stay where they were
    lines.append(cur)
    return tuple(lines)
