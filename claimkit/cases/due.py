"""Machine-readable due times of playbook steps: the ``due:`` key beside the human ``deadline:``.

One of three forms, as a YAML mapping (docs/cases.md has the whole story)::

    due: {within: 1h, business_hours: true}     # 1 working hour after the complaint arrived
    due: {within: 3 working days, from: previous}   # end of the 3rd working day after the last step
    due: {within: 0 working days}               # by the end of the working day (当日中)
    due: {within: 1 working day, from: fix_at}  # counted from the time a variable holds
    due: {by: callback_at}                      # the time promised to the customer
    due: {by: next_contact_at, ahead: 1 working day}    # the working day before it
    due: {with: first-reply}                    # together with another step: its due time

``within`` takes ``30m``, ``1h``, ``1h30m``, ``2 days``, ``1 week`` or ``3 working days``;
``business_hours: true`` counts minutes and hours in working time only (working
days always do). ``from`` is ``received`` (the default: when the complaint
arrived), ``previous`` (when the step before was done; the receipt for the
first step) or the name of a date or datetime variable. ``by`` names such a
variable; a date without a time means the end of work that day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple

from claimkit.errors import ContentError, InputError

if TYPE_CHECKING:
    # Only passed in: playbooks parse their due: on every draft, and the calendar's
    # module (with the holiday rules) is needed only when a due time is computed.
    from claimkit.values.business import Calendar

Unit = Literal["minutes", "days", "working_days"]
KEYS = ("within", "from", "business_hours", "by", "ahead", "with")
RECEIVED, PREVIOUS = "received", "previous"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_STEP = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPAN = re.compile(
    r"^(?:(?P<wd>\d+)\s*(?:working|business)\s+days?"
    r"|(?P<d>\d+)\s*(?:d|days?)"
    r"|(?P<w>\d+)\s*(?:w|weeks?)"
    r"|(?:(?P<h>\d+)\s*(?:h|hrs?|hours?))?\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minutes?))?)$"
)
_SPAN_FORMS = "30m, 1h, 1h30m, 2 days, 1 week or 3 working days"


class Span(NamedTuple):
    amount: int
    unit: Unit

    def __str__(self) -> str:
        if self.unit == "minutes":
            h, m = divmod(self.amount, 60)
            return f"{h}h{m}m" if h and m else f"{h}h" if h else f"{m}m"
        if self.unit == "days":
            return f"{self.amount} day" + ("s" if self.amount != 1 else "")
        return f"{self.amount} working day" + ("s" if self.amount != 1 else "")


class Due(NamedTuple):
    """A parsed ``due:``: exactly one of ``within``, ``by`` and ``together_with`` is set."""

    within: Span | None = None
    start: str = RECEIVED  # received, previous or a variable name (``from:``)
    business_hours: bool = False
    by: str | None = None  # a variable holding the promised time
    ahead: Span | None = None  # with ``by``: this much before it
    together_with: str | None = None  # ``with:``, another step's id
    where: str = ""

    @property
    def promise(self) -> bool:
        """A time someone was told (``by:`` alone: the customer's callback, the manager's
        decision date), not a target the team set itself or a reminder ``ahead`` of one."""
        return self.by is not None and self.ahead is None

    def __str__(self) -> str:
        if self.together_with:
            return f"with {self.together_with}"
        if self.by:
            return f"{self.ahead} before {self.by}" if self.ahead else f"by {self.by}"
        hours = " of working time" if self.business_hours else ""
        return f"within {self.within}{hours} from {self.start}"


def parse_due(data: object, where: str) -> Due:
    """A ``due:`` value from a playbook; ContentError naming ``where`` (file:line) if it is bad."""
    if not isinstance(data, Mapping) or not data:
        raise ContentError(
            "due: must be a mapping such as {within: 1h, business_hours: true}, "
            "{by: callback_at} or {with: first-reply}",
            where=where,
        )
    unknown = [str(k) for k in data if k not in KEYS]
    if unknown:
        raise ContentError(
            f"due: unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}", where=where
        )
    forms = [k for k in ("within", "by", "with") if k in data]
    if len(forms) != 1:
        raise ContentError(
            "due: give exactly one of within, by and with"
            + (f" (not {' and '.join(forms)})" if forms else ""),
            where=where,
        )
    form = forms[0]
    allowed = {"within": {"within", "from", "business_hours"}, "by": {"by", "ahead"}}
    extra = [k for k in data if k not in allowed.get(form, {"with"})]
    if extra:
        raise ContentError(f"due: {extra[0]} does not go with {form}", where=where)
    if form == "with":
        step = data["with"]
        if not isinstance(step, str) or not _STEP.match(step):
            raise ContentError(f"due: with: {step!r} is not a step id", where=where)
        return Due(together_with=step, where=where)
    business = data.get("business_hours", False)
    if not isinstance(business, bool):
        raise ContentError("due: business_hours must be true or false", where=where)
    if form == "by":
        name = data["by"]
        if not isinstance(name, str) or not _NAME.match(name):
            raise ContentError(
                f"due: by: {name!r} is not a variable name (lower-case letters, digits and _)",
                where=where,
            )
        ahead = _span(data["ahead"], "ahead", where) if "ahead" in data else None
        return Due(by=name, ahead=ahead, where=where)
    within = _span(data["within"], "within", where)
    if business and within.unit != "minutes":
        raise ContentError(
            f"due: business_hours counts hours and minutes; {within} already "
            + ("counts only working days" if within.unit == "working_days" else "is whole days"),
            where=where,
        )
    start = data.get("from", RECEIVED)
    if not isinstance(start, str) or not _NAME.match(start):
        raise ContentError(
            f"due: from: {start!r} is not received, previous or a variable name", where=where
        )
    return Due(within=within, start=start, business_hours=business, where=where)


def _span(value: object, key: str, where: str) -> Span:
    text = str(value).strip().lower() if isinstance(value, str | int) else ""
    m = _SPAN.match(text) if text else None
    if m and m["wd"] is not None:
        return Span(int(m["wd"]), "working_days")
    if m and m["d"] is not None:
        return Span(int(m["d"]), "days")
    if m and m["w"] is not None:
        return Span(7 * int(m["w"]), "days")
    if m and (m["h"] is not None or m["m"] is not None):
        return Span(60 * int(m["h"] or 0) + int(m["m"] or 0), "minutes")
    raise ContentError(f"due: {key}: {value!r} is not a duration; write {_SPAN_FORMS}", where=where)


def references(due: Due) -> tuple[str | None, str | None]:
    """The variable and the step a due refers to, for ``validate`` to check they exist."""
    variable = due.by or (due.start if due.start not in (RECEIVED, PREVIOUS) else None)
    return variable, due.together_with


def due_time(
    due: Due,
    *,
    received: datetime,
    previous_done: datetime | None,
    values: Mapping[str, object],
    calendar: Calendar,
) -> datetime | None:
    """When a step with this ``due`` is due, in UTC; None when it cannot be known yet.

    None when the variable it needs has no value, and for ``with:``, which
    ``flow.step_due`` resolves to the other step's due time.
    """
    if due.together_with is not None:
        return None
    if due.by is not None:
        found = _value_time(values, due.by, calendar)
        if found is None:
            return None
        at, whole_day = found
        if whole_day:
            at = calendar.day_end(at.astimezone(calendar.zone).date())
        return _minus(at, due.ahead, calendar) if due.ahead else at
    assert due.within is not None
    if due.start == RECEIVED:
        start = received
    elif due.start == PREVIOUS:
        start = previous_done or received
    else:
        found = _value_time(values, due.start, calendar)
        if found is None:
            return None
        start = found[0]
    return _plus(start, due.within, due.business_hours, calendar)


def _plus(start: datetime, span: Span, business: bool, calendar: Calendar) -> datetime:
    if span.unit == "working_days":
        return calendar.add_working_days(start, span.amount)
    if span.unit == "days":
        # Whole days on the wall clock, right across a DST change.
        local = start.astimezone(calendar.zone).replace(tzinfo=None) + timedelta(days=span.amount)
        return local.replace(tzinfo=calendar.zone).astimezone(UTC)
    if business:
        return calendar.add_business_hours(start, timedelta(minutes=span.amount))
    return start.astimezone(UTC) + timedelta(minutes=span.amount)


def _minus(at: datetime, span: Span, calendar: Calendar) -> datetime:
    if span.unit == "working_days":
        return calendar.add_working_days(at, -span.amount)
    if span.unit == "days":
        local = at.astimezone(calendar.zone).replace(tzinfo=None) - timedelta(days=span.amount)
        return local.replace(tzinfo=calendar.zone).astimezone(UTC)
    return at.astimezone(UTC) - timedelta(minutes=span.amount)


def _value_time(
    values: Mapping[str, object], name: str, calendar: Calendar
) -> tuple[datetime, bool] | None:
    """A variable's value as an instant, and whether it was a date without a time."""
    value = values.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            raise InputError(
                f"{name}: {value!r} is not a date and time such as 2026-11-25 15:00; "
                f"set it again with --set {name}=..."
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=calendar.zone)  # as people type it: the team's local time
        return value.astimezone(UTC), False
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=calendar.zone).astimezone(UTC), True
    raise InputError(f"{name}: {value!r} is not a date and time such as 2026-11-25 15:00")
