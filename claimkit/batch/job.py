"""Drafting a batch's cases: what every case shares, and a chunk of cases drafted.

A chunk is drafted where it is handed (in this process or a worker process,
see claimkit.batch.pool) into what the writer needs of it, already formatted:
JSON lines joined in one ``bytes``, or one file's name and bytes per case. A
case's own problem (a missing variable, an unknown scenario, a bad value)
becomes that case's failure; a broken playbook or template ends the batch.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from claimkit.batch.source import CASE_KEYS, BadRow, Case, Chunk, Lines, Pending, parse
from claimkit.check.engine import Finding
from claimkit.content.catalog import Catalog
from claimkit.errors import ClaimkitError, ContentError, InputError, OutputError
from claimkit.output.draft import Draft
from claimkit.output.formats import as_dict, json_default, render_bytes
from claimkit.pipeline import Check, Layout, Request, finish, make_draft
from claimkit.render.renderer import Renderer

if TYPE_CHECKING:
    from claimkit.mail.reply import Reply

EXTENSIONS = {"text": "txt", "eml": "eml", "json": "json"}
DEFAULT_NAME = "{row}-{scenario}-{step}.{ext}"


class Job(NamedTuple):
    """What every case of a batch shares. Worker processes inherit it when forked."""

    catalog: Catalog
    renderer: Renderer
    base: Request  # the scenario, step and sources every case starts from
    check: Check | None
    default_lang: str
    fmt: str  # jsonl, or the format of each file: text, json, eml
    charset: str
    eight_bit: bool  # --8bit: a UTF-8 eml body as 8-bit text
    name: str | None  # --name: one file per case, else JSON Lines
    where: str  # the input, as errors name it
    memo: dict[Any, Any]  # what drafting works out once per batch (see values.resolve)
    layout: Layout = Layout()  # how mails are wrapped (--width, --no-wrap)
    quote: bool = True  # a case that answers a mail (reply_to) quotes it (--no-quote)
    mails: Path | None = None  # the folder a relative reply_to is found in: the batch file's


class Outcome(NamedTuple):
    row: int
    draft: Draft | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()  # promised times that cannot be kept


class Failure(NamedTuple):
    position: int  # among the chunk's cases
    row: int
    before: int  # bytes of the chunk's lines that come before it
    reason: str


class Done(NamedTuple):
    """One case for --out-dir: its file's name and bytes, or why it failed."""

    row: int
    file: str | None = None
    data: bytes | None = None
    error: str | None = None


class Drafted(NamedTuple):
    """A chunk of cases, drafted and formatted: what the writing process needs of it."""

    cases: int  # how many: drafted or failed
    lines: bytes = b""
    failures: tuple[Failure, ...] = ()
    files: tuple[Done, ...] = ()
    fatal: tuple[str, int] | None = None  # a ClaimkitError's text and status: the batch's end
    warnings: tuple[tuple[int, str], ...] = ()  # row, and what to tell about it


def draft_chunk(job: Job, chunk: Chunk) -> Drafted:
    """Draft and format a chunk of cases."""
    count = 0
    lines: list[bytes] = []
    size = 0
    failures: list[Failure] = []
    files: list[Done] = []
    warnings: list[tuple[int, str]] = []
    fatal = None
    try:
        cases = chunk.pending() if isinstance(chunk, Lines) else chunk
        for outcome in outcomes(job, cases):
            warnings += [(outcome.row, w) for w in outcome.warnings]
            if job.name is not None:
                files.append(_file(job, outcome))
            elif outcome.error is not None:
                failures.append(Failure(count, outcome.row, size, outcome.error))
            else:
                line = json_line(outcome)
                lines.append(line)
                size += len(line)
            count += 1
    except ClaimkitError as e:  # the batch's end: passed back as text, raised by the writer
        fatal = (str(e), int(e.exit_status))
    return Drafted(
        cases=count,
        lines=b"".join(lines),
        failures=tuple(failures),
        files=tuple(files),
        fatal=fatal,
        warnings=tuple(warnings),
    )


def outcomes(job: Job, cases: Iterable[Case | BadRow | Pending]) -> Iterator[Outcome]:
    """Each case drafted (and checked), or the reason it was not."""
    for case in cases:
        if isinstance(case, Pending):
            case = parse(case, job.where)
        if isinstance(case, BadRow):
            yield Outcome(case.row, error=case.error)
            continue
        try:
            request = _request(job, case.values)
            result = make_draft(job.catalog, job.renderer, request, memo=job.memo)
        except ContentError:
            raise
        except InputError as e:
            yield Outcome(case.row, error=str(e))
            continue
        draft, findings = finish(result.draft, job.check, job.layout)
        yield Outcome(case.row, draft, findings, warnings=result.warnings)


def json_line(outcome: Outcome) -> bytes:
    """A drafted case as its JSON Lines record: the row, the draft as ``--format json``
    has it, and the check's findings."""
    assert outcome.draft is not None
    findings = [f._asdict() for f in outcome.findings]
    return encode_line({"row": outcome.row, **as_dict(outcome.draft), "findings": findings})


# Made once: json.dumps builds an encoder per call when given options.
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=json_default)
_LINE_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATETIME


def encode_line(data: dict[str, Any]) -> bytes:
    """One JSON Lines record: compact, UTF-8, newline-terminated.

    orjson writes one in a third of the time the standard encoder takes (which
    spends more setting up each call than encoding); dates pass through to
    json_default, so they are written as ``--format json`` writes them.
    """
    try:
        return orjson.dumps(data, default=json_default, option=_LINE_OPTIONS)
    except orjson.JSONEncodeError:
        # orjson stops at integers beyond 64 bits; the standard encoder writes any.
        return (_LINE.encode(data) + "\n").encode("utf-8")


def _request(job: Job, values: dict[str, Any]) -> Request:
    """The request of a case: ``values`` is the case's own dict, parsed for this run,
    so the scenario, step, lang and mail a case may name are taken out of it."""
    base, default_lang = job.base, job.default_lang
    shared = base.sources
    sources = shared._replace(data=values, data_name="")
    if base.scenario and values.keys().isdisjoint(CASE_KEYS):  # most cases
        return base._replace(lang=default_lang, sources=sources)
    picked = {k: values.pop(k) for k in CASE_KEYS if k in values}
    for key, value in picked.items():
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"'{key}' must be a non-empty text")
    scenario = picked.get("scenario") or base.scenario
    if not scenario:
        raise InputError("no scenario: give SCENARIO or a 'scenario' column")
    lang = picked.get("lang", default_lang).strip().lower()
    if lang not in ("ja", "en"):
        raise InputError(f"unknown lang {lang!r}; use ja or en")
    step = picked.get("step") or (base.step if scenario == base.scenario else None)
    mail = picked.get("reply_to")
    reply = _reply(job, mail) if mail is not None else None
    return base._replace(scenario=scenario, lang=lang, sources=sources, step=step, reply=reply)


def _reply(job: Job, mail: str) -> "Reply":
    """The complaint a case answers: its file, found from the batch file's folder."""
    from claimkit.mail.reply import load_reply

    if mail.strip() == "-":
        raise InputError("'reply_to' names a file; '-' (stdin) holds the batch itself")
    path = Path(mail)
    if job.mails is not None and not path.is_absolute():
        path = job.mails / path
    shared = job.base.sources
    return load_reply(
        path, profile=shared.profile, profile_name=shared.profile_name, quote=job.quote
    )


def _file(job: Job, outcome: Outcome) -> Done:
    if outcome.error is not None:
        return Done(outcome.row, error=outcome.error)
    assert job.name is not None and outcome.draft is not None
    name = file_name(job.name, outcome.row, outcome.draft, EXTENSIONS[job.fmt])
    try:
        data = render_bytes(outcome.draft, job.fmt, charset=job.charset, eight_bit=job.eight_bit)
    except OutputError as e:  # this case's charset fails
        return Done(outcome.row, error=str(e))
    return Done(outcome.row, file=name, data=data)


_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_UNSAFE = re.compile(r"[^\w.@+-]+")
MAX_NAME_BYTES = 200  # under the 255 bytes file systems allow, with room for a "-000123"


def file_name(template: str, row: int, draft: Draft, ext: str) -> str:
    """A file name from ``--name``: {row}, {scenario}, {step}, {lang}, {ext} or a variable.

    Each value is reduced to letters, digits and . _ - @ + (other characters,
    slashes included, become _), so a value can never leave the output folder;
    a name longer than MAX_NAME_BYTES in UTF-8 is shortened before its extension.
    """
    fields: dict[str, Any] = {
        **draft.variables,
        "row": f"{row:06d}",
        "scenario": draft.scenario,
        "step": draft.step,
        "lang": draft.lang,
        "ext": ext,
    }

    def value(m: re.Match[str]) -> str:
        if m.group(1) not in fields:
            raise InputError(f"--name: unknown field {{{m.group(1)}}}")
        return _UNSAFE.sub("_", str(fields[m.group(1)])).strip("._") or "_"

    name = _FIELD.sub(value, template)
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise InputError(f"--name: {template!r} must give a plain file name, not a path")
    return shortened(name, MAX_NAME_BYTES)


def shortened(name: str, limit: int) -> str:
    """``name`` cut to at most ``limit`` bytes of UTF-8, its extension kept."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode("utf-8")) > 16:
        stem, dot, ext = name, "", ""
    room = limit - len((dot + ext).encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut + dot + ext
