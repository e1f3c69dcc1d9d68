"""Variable values: where each comes from, and what a valid one looks like.

Sources, lowest precedence first: playbook default, the user's profile, the
complaint mail a draft answers (``--reply-to``), the data file, ``--set``; then,
for what is still missing, the playbook's example (``--example``) or a prompt.
Values are checked by type here, once, so templates and mail headers only ever
see clean values: no line break can reach a header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from claimkit.content.playbook import Playbook, Variable
from claimkit.errors import InputError, MissingVariablesError
from claimkit.values import dates

if TYPE_CHECKING:
    from claimkit.values.business import Calendar

# Everything a header could be split by, or a terminal be fooled by: C0/C1
# Surrogates too: they are what an undecodable byte in argv or a lone \ud800 in
# Surrogates too: they are what an undecodable byte in argv or a lone \\ud800 in
# JSON becomes, and no mail or terminal can carry them.
_SINGLE_LINE_BAD = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# As text, for re.search to compile on first use: most drafts have no multi-line value,
# and a class with non-Latin-1 ranges costs half a millisecond to compile.
_MULTI_LINE_BAD = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"
# One address, as RFC 5322's dot-atom writes it (what mail libraries accept): no comma,
# no second address, no leading, trailing or doubled dot; within SMTP's lengths.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"^(?=.{{1,254}}$)(?=[^@]{{1,64}}@){_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})+$"
)
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９－", "0123456789-")
_TRUE = {"true", "yes", "y", "on", "1", "はい"}
_FALSE = {"false", "no", "n", "off", "0", "いいえ"}

MEMO_LIMIT = 4096  # checked values remembered across a batch (see resolve)


class Asker(Protocol):
    """Asks for one variable, offering its default (a typed value, or None); gets a checker
    that turns an answer into a value or raises ValueError, and where the answer lands
    in the message (the text before and after it on its line); returns the value (None
    when an optional one is skipped)."""

    def __call__(
        self,
        var: Variable,
        default: Any,
        check: Callable[[str], Any],
        slot: tuple[str, str] | None = None,
        /,
    ) -> Any: ...


_NOTHING: Mapping[str, Any] = MappingProxyType({})


class Sources(NamedTuple):
    profile: Mapping[str, Any] = _NOTHING
    profile_name: str = "profile"
    mail: Mapping[str, Any] = _NOTHING  # what was read from the complaint (claimkit.mail.reply)
    mail_name: str = "--reply-to"  # the mail's file, as errors name it
    data: Mapping[str, Any] = _NOTHING
    data_name: str = "--data"  # "" where the caller names the source (a batch's row)
    overrides: Mapping[str, str] = _NOTHING
    example: bool = False
    calendar: Calendar | None = None  # counts "next working day" (default: weekdays, JP holidays)


class Resolved(NamedTuple):
    values: dict[str, Any]
    unused: tuple[str, ...] = ()


def coerce(
    var: Variable, raw: Any, lang: str, today: date, calendar: Calendar | None = None
) -> Any:
    """The typed value of ``raw`` for ``var``; ValueError says what is wrong."""
    if raw.__class__ is str and var.type == "text":  # the most common, as the rest has it
        text = raw.strip()
        if not _SINGLE_LINE_BAD.search(text):
            return text or None
    if isinstance(raw, bool) and var.type != "bool":
        raise ValueError("is a yes/no value; quote it if it is meant as text")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = var.type
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError("must be yes or no")
    if kind == "number":
        if isinstance(raw, int):
            return raw
        digits = _scalar(raw).strip().translate(_WIDE_DIGITS).replace(",", "")
        if not re.fullmatch(r"-?\d+", digits):
            raise ValueError("must be a whole number, such as 18")
        return int(digits)
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        return dates.parse_date(_scalar(raw), today, calendar)
    if kind == "datetime":
        if isinstance(raw, datetime):
            return raw.replace(second=0, microsecond=0, tzinfo=None)
        if isinstance(raw, date):
            raise ValueError(f"needs a time of day too, e.g. {raw.isoformat()} 15:00")
        return dates.parse_datetime(_scalar(raw), today, calendar)
    text = _scalar(raw)
    if kind == "multiline":
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        bad = re.search(_MULTI_LINE_BAD, text)
    else:
        text = text.strip()
        bad = _SINGLE_LINE_BAD.search(text)
    if bad:
        char = bad.group()
        if "\ud800" <= char <= "\udfff":
            raise ValueError(
                f"is not valid UTF-8 text (U+{ord(char):04X}: an undecodable byte or a lone "
                "surrogate); give it as UTF-8"
            )
        what = "a line break" if char in "\r\n\u2028\u2029\x85" else "a control character"
        raise ValueError(f"contains {what} (U+{ord(char):04X}); give it on one line")
    if kind == "email":
        return address(text)
    if kind == "choice":
        for choice in var.choices:
            if text.lower() in (choice.value.lower(), choice.label.get(lang).lower()):
                return choice.value
        raise ValueError(f"must be one of: {', '.join(c.value for c in var.choices)}")
    return text


def address(text: str) -> str:
    """``text`` if it is exactly one email address; ValueError otherwise."""
    if not _EMAIL.match(text):
        raise ValueError("is not an email address (like name@example.com)")
    return text


def _scalar(raw: Any) -> str:
    if isinstance(raw, (str, int, float)):
        return str(raw)
    if isinstance(raw, (date, datetime)):
        return dates.to_plain(raw)
    raise ValueError("must be a single value, not a list or mapping")


def blank(var: Variable) -> Any:
    """What an optional variable with no value looks like in a template."""
    return False if var.type == "bool" else ""


def resolve(
    playbook: Playbook,
    lang: str,
    sources: Sources,
    today: date,
    ask: Asker | None = None,
    only: set[str] | frozenset[str] | None = None,
    memo: dict[Any, Any] | None = None,
) -> Resolved:
    """Values for the playbook's variables (those in ``only``, when given).

    ``memo`` remembers checked values across calls: a batch of cases repeats the
    same dates, names and choices, and each is parsed once.
    """
    # One mapping of what is given, where a None (JSON null) is a value not given. Where
    # layers overlap, merged highest last, so a None never hides a lower value.
    given = sources.data
    if sources.profile or sources.mail or sources.overrides:
        layers = (sources.profile, sources.mail, sources.data, sources.overrides)
        given = {k: v for layer in layers for k, v in layer.items() if v is not None}
    if memo is not None and ask is None:
        values, missing = _remembered(playbook, lang, only, sources, today, given, memo)
    else:
        values, missing = {}, []
        for var in playbook.variables:
            if only is not None and var.name not in only:
                continue
            # A question that only fits when another answer was given (a business
            # customer's department) is not asked otherwise.
            asking = ask if var.when is None or values.get(var.when) else None
            value = _value(playbook, var, given.get(var.name), lang, today, sources, asking)
            if value is None:
                missing.append(var.name)
            values[var.name] = value
    if missing:
        raise MissingVariablesError(missing, scenario=playbook.id)
    unused: tuple[str, ...] = ()
    if sources.data or sources.overrides:
        declared = playbook.names
        if not (declared.issuperset(sources.data) and declared.issuperset(sources.overrides)):
            unused = tuple(
                sorted({n for n in [*sources.overrides, *sources.data] if n not in declared})
            )
    return Resolved(values, unused)


_UNSUPPLIED = object()  # the memo key of a variable's default or example; "not seen" too
_REMEMBERED = frozenset({str, int, float, date, datetime})


class _Wanted(NamedTuple):
    """A batch's variables of one playbook and language, each with its memo."""

    by_name: dict[str, tuple[Variable, dict[Any, Any]]]  # in the playbook's order
    lookups: tuple[tuple[str, Callable[[Any, Any], Any]], ...]  # name, its memo's get


def _remembered(
    playbook: Playbook,
    lang: str,
    only: set[str] | frozenset[str] | None,
    sources: Sources,
    today: date,
    given: Mapping[str, Any],
    memo: dict[Any, Any],
) -> tuple[dict[str, Any], list[str]]:
    """Values as resolve makes them, each looked up in what earlier cases of a batch
    worked out, and worked out only where it is new; the required ones missing.

    A memo keeps a variable's value as it goes into the draft (the blank of an
    optional one not given), and its default or example under one key, so one
    lookup answers for a variable given or not.
    """
    key = ("wanted", id(playbook), lang, None if only is None else frozenset(only))
    wanted: _Wanted | None = memo.get(key)
    if wanted is None:
        pairs = tuple(
            (v, memo.setdefault(("values", id(v), lang), {}))
            for v in playbook.variables
            if only is None or v.name in only
        )
        wanted = memo[key] = _Wanted(
            {v.name: (v, seen) for v, seen in pairs}, tuple((v.name, seen.get) for v, seen in pairs)
        )
    fixed = (_UNSUPPLIED, sources.example)
    get = given.get
    try:
        values = {name: look(get(name, fixed), _UNSUPPLIED) for name, look in wanted.lookups}
    except TypeError:  # a list or a mapping: coerce says what is wrong with it
        values = dict.fromkeys(wanted.by_name, _UNSUPPLIED)
    missing: list[str] = []
    for name in [name for name, value in values.items() if value is _UNSUPPLIED]:
        var, seen = wanted.by_name[name]
        value = _remember(playbook, var, seen, get(name, fixed), fixed, lang, sources, today)
        if value is None:
            missing.append(name)
        values[name] = value
    return values, missing


def _remember(
    playbook: Playbook,
    var: Variable,
    seen: dict[Any, Any],
    raw: Any,
    fixed: tuple[object, bool],
    lang: str,
    sources: Sources,
    today: date,
) -> Any:
    """The value of ``raw`` as it goes into the draft, kept in ``seen`` where it can be
    looked up again (texts as they are; other values with their type, as 1 == True);
    None for a required variable with no value, which is never kept."""
    key: Any = _UNSUPPLIED  # not kept
    if raw is None or raw is fixed:  # a None is a value not given
        key = fixed
    elif raw.__class__ in _REMEMBERED:
        key = raw if raw.__class__ is str else (raw.__class__, raw)
    if key is not _UNSUPPLIED:
        value = seen.get(key, _UNSUPPLIED)
        if value is not _UNSUPPLIED:
            return value
    value = _value(playbook, var, None if key is fixed else raw, lang, today, sources, None)
    if value is None:
        return None
    if key is not _UNSUPPLIED:
        if len(seen) >= MEMO_LIMIT:
            seen.clear()  # names differ from case to case; dates and choices repeat
        seen[key] = value
    return value


def _value(
    playbook: Playbook,
    var: Variable,
    raw: Any,
    lang: str,
    today: date,
    sources: Sources,
    ask: Asker | None,
) -> Any:
    """The value of ``raw`` (None: not given) as it goes into the draft: an optional
    variable with none is blank, a required one None."""
    if raw is None:
        value = _unsupplied(playbook, var, lang, sources, today, ask)
    else:
        value = _given(var, raw, lang, today, sources)
    if value is None and not var.required:
        return blank(var)
    return value


def _given(var: Variable, raw: Any, lang: str, today: date, sources: Sources) -> Any:
    """A supplied value, checked; an error names the layer it came from."""
    try:
        return coerce(var, raw, lang, today, sources.calendar)
    except ValueError as e:
        layers = [
            ("--set", sources.overrides),
            (sources.data_name, sources.data),
            (sources.mail_name, sources.mail),
            (sources.profile_name, sources.profile),
        ]
        where = next((w for w, layer in layers if layer.get(var.name) is not None), "value")
        # A batch's row names itself ("row 12: ..."): its layer has no name to repeat.
        raise InputError(f"{where}: {var.name}: {e}" if where else f"{var.name}: {e}") from None


def _unsupplied(
    playbook: Playbook, var: Variable, lang: str, sources: Sources, today: date, ask: Asker | None
) -> Any:
    """The value of a variable no one supplied: default, example or an answer."""
    source = f"{playbook.source}:{var.line}"
    example, calendar = sources.example, sources.calendar
    if example and var.default is None and var.example is not None:
        raw = var.localized(var.example, lang)
        return _checked(var, raw, lang, today, calendar, f"{source}: example of {var.name}")
    default = None
    if var.default is not None:
        raw = var.localized(var.default, lang)
        default = _checked(var, raw, lang, today, calendar, f"{source}: default of {var.name}")
    wanted = var.ask or (var.required and default is None)
    if ask is not None and wanted and not (example and default is not None):
        # The default is offered as the answer; Enter takes it.
        return ask(var, default, lambda answer: coerce(var, answer, lang, today, calendar))
    return default


def _checked(
    var: Variable, raw: Any, lang: str, today: date, calendar: Calendar | None, where: str
) -> Any:
    try:
        return coerce(var, raw, lang, today, calendar)
    except ValueError as e:
        raise InputError(f"{where}: {e}") from None


def plain(value: Any) -> Any:
    """A JSON value that reads back as the same variable value."""
    if isinstance(value, (date, datetime)):
        return dates.to_plain(value)
    return value
