"""A batch's input: cases read a chunk at a time from JSON Lines or CSV.

Memory stays flat whatever the size of the input, and a line is never read past
MAX_LINE bytes (a file with no newline at all, /dev/zero say, is refused rather
than read whole). JSON lines are handed on unparsed and undecoded: that is done
where a case is drafted, in a worker process when there are some, so the process
reading the input does little more than read.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol

import orjson

from claimkit.errors import InputError

INPUT_FORMATS = ("jsonl", "csv")
# What a case may name for itself besides variables: its scenario, step and language,
# and the complaint mail it answers (a path, relative to the batch file's folder).
CASE_KEYS = ("scenario", "step", "lang", "reply_to")
MAX_LINE = 10 * 1024 * 1024
_TEXT_ONLY = frozenset({str})


class LineSource(Protocol):
    """What a batch reads from: a binary file, stdin, or a wrapper of one."""

    def readline(self, size: int = -1, /) -> bytes: ...


class Case(NamedTuple):
    row: int  # 1-based: the n-th case in the input
    values: dict[str, Any]


class Pending(NamedTuple):
    """A JSON line not parsed yet, nor decoded: that is done where it is drafted, in a
    worker process when there are some, so the process reading the input does little
    more than read."""

    row: int
    number: int  # the line's number in the input, blank lines counted: where a bad byte is
    raw: bytes


class BadRow(NamedTuple):
    """A row of the input that is not a case, and why."""

    row: int
    error: str


class Lines(NamedTuple):
    """JSON lines as read: decoded and parsed where they are drafted (in a worker
    process when there are some), so the process reading the input only reads."""

    row: int  # the row number of the first case among them
    number: int  # the line number of the first line
    lines: list[bytes]  # blank lines included: they count as lines, not as rows
    rows: int  # how many of the lines are cases

    def pending(self) -> Iterator[Pending]:
        every = self.rows == len(self.lines)
        row = self.row
        for number, raw in enumerate(self.lines, self.number):
            if every or _is_row(raw):
                yield Pending(row, number, raw)
                row += 1


Chunk = Lines | list[Case | BadRow]


def _lines(stream: LineSource) -> Iterator[bytes]:
    """The stream's lines, none read past MAX_LINE + 1 bytes: a longer one is cut there,
    and _check_length refuses it."""
    readline = stream.readline
    limit = MAX_LINE + 1
    while True:
        raw = readline(limit)
        if not raw:
            return
        yield raw


def _numbered(stream: Iterable[bytes], where: str, start: int) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start):
        _check_length(raw, number, where)
        yield number, raw


def _check_length(raw: bytes, number: int, where: str) -> None:
    if len(raw) > MAX_LINE:
        raise InputError(
            f"line {number} is longer than {MAX_LINE // 1024 // 1024} MiB; "
            "a batch holds one case per line",
            where=where,
        )


def _decode(number: int, raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"line {number} is not UTF-8 (invalid byte at offset {e.start}); save it as UTF-8",
            where=where,
        ) from None


def _decoded(numbered: Iterable[tuple[int, bytes]], where: str) -> Iterator[str]:
    for number, raw in numbered:
        yield _decode(number, raw, where)


def _is_row(raw: bytes) -> bool:
    """Whether a line holds more than whitespace, as ``str.strip`` counts whitespace.

    Decided on the bytes where it can be: bytes.strip knows ASCII whitespace only, so a
    line whose first other byte is ASCII, and not one of the separators \x1c-\x1f
    that str.strip also takes, holds a character. Only the rest is decoded to tell.
    """
    rest = raw.lstrip()
    if not rest:
        return False
    if rest[0] < 0x80 and not 0x1C <= rest[0] <= 0x1F:
        return True
    return bool(raw.decode("utf-8", "replace").strip())


# A line that _is_row might call blank: nothing but ASCII whitespace before its end, or
# before a byte only the decoded text can tell about.
_MAYBE_BLANK = re.compile(rb"\n[ \t\r\x0b\x0c]*(?:\n|\Z|[\x1c-\x1f\x80-\xff])")


def _rows(lines: list[bytes]) -> int:
    """How many of the lines are rows: where every line opens a JSON object (the usual
    case), all; else one search of them all, where no line can be blank, instead of a
    look at each."""
    if all(map(bytes.startswith, lines, itertools.repeat(b"{"))):
        return len(lines)
    text = b"".join(lines)
    end = len(text) - text.endswith(b"\n")  # the last newline starts no line
    if _is_row(lines[0]) and _MAYBE_BLANK.search(text, 0, end) is None:
        return len(lines)
    return sum(map(_is_row, lines))


def detect(first_line: str) -> str:
    return "jsonl" if first_line.lstrip().startswith("{") else "csv"


def read_chunks(
    stream: LineSource, where: str, fmt: str | None = None, *, first: int = 16, size: int = 256
) -> Iterator[Chunk]:
    """The input in chunks of about ``first`` cases, then ``size``: JSON Lines as Lines,
    unparsed; CSV as parsed cases (a quoted cell may span lines), a bad row a BadRow.

    A problem with the input itself (a line too long, not UTF-8) is raised once the
    chunks before it are out, so the cases before it can still be written.
    """
    lines = _lines(stream)
    head: list[bytes] = []  # blank lines, then the first with anything on it
    for raw in lines:
        if not head and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        head.append(raw)
        _check_length(raw, len(head), where)
        if _is_row(raw):
            break
    else:
        return
    kind = fmt or detect(_decode(len(head), head[-1], where))
    if kind == "jsonl":
        yield from _json_chunks(head, lines, where, first, size)
        return
    numbered = itertools.chain(enumerate(head, 1), _numbered(lines, where, len(head) + 1))
    cases = _csv(_decoded(numbered, where), where)
    chunk = list(itertools.islice(cases, first))
    while chunk:
        yield chunk
        chunk = list(itertools.islice(cases, size))


def _json_chunks(
    head: list[bytes], stream: Iterator[bytes], where: str, first: int, size: int
) -> Iterator[Lines]:
    row = number = 1
    lines = head + list(itertools.islice(stream, max(first - 1, 0)))
    while lines:
        if max(map(len, lines)) > MAX_LINE:
            cut = next(i for i, raw in enumerate(lines) if len(raw) > MAX_LINE)
            if cut:
                yield Lines(row, number, lines[:cut], _rows(lines[:cut]))
            _check_length(lines[cut], number + cut, where)
        chunk = Lines(row, number, lines, _rows(lines))
        yield chunk
        row += chunk.rows
        number += len(lines)
        lines = list(itertools.islice(stream, size))


def read_cases(stream: LineSource, where: str, fmt: str | None = None) -> Iterator[Case | BadRow]:
    """Cases from JSON Lines or CSV (a header row of variable names), one at a time;
    a bad row is a BadRow."""
    for chunk in read_chunks(stream, where, fmt):
        if isinstance(chunk, Lines):
            yield from (parse(p, where) for p in chunk.pending())
        else:
            yield from chunk


def parse(pending: Pending, where: str = "<batch>") -> Case | BadRow:
    """One JSON line as a case, or the reason it is not one; a line that is not UTF-8
    stops the batch (InputError), as the rest of the input is likely no better."""
    row, number, raw = pending
    if b"\x00" not in raw:
        # orjson reads a line in a third of the time; it is taken at its word only where
        # the standard json would read the line the same (an object of texts), and every
        # error is left to json's exact messages (orjson turns a huge integer into a float).
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
        else:
            if type(data) is dict and set(map(type, data.values())) <= _TEXT_ONLY:
                return Case(row, data)
    line = _decode(number, raw, where)
    if "\x00" in line:
        return BadRow(row, error="a NUL byte in the line")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        # json counts the line ending as a line of its own: "column 1" would point past it.
        if not line[e.pos :].strip():
            return BadRow(row, error=f"malformed JSON: the line ends too early ({e.msg})")
        return BadRow(row, error=f"malformed JSON at column {e.colno}: {e.msg}")
    except RecursionError:
        return BadRow(row, error="malformed JSON: nested too deeply")
    if not isinstance(data, dict):
        return BadRow(row, error="each line must be a JSON object of variable names to values")
    return Case(row, data)


def _csv(lines: Iterable[str], where: str) -> Iterator[Case | BadRow]:
    reader = csv.reader(line.replace("\x00", "") for line in lines)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError("the CSV header row is empty; it names the variables", where=where)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            row += 1
            yield BadRow(row, error=f"malformed CSV: {e}")
            continue
        if not any(c.strip() for c in cells):
            continue
        row += 1
        if len(cells) > len(header):
            yield BadRow(row, error=f"{len(cells)} cells for {len(header)} columns")
            continue
        # An empty cell is a value not given: defaults, the profile or --set fill it.
        values = {h: c for h, c in zip(header, cells, strict=False) if h and c != ""}
        yield Case(row, values)
