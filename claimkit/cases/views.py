"""Cases as people and scripts read them: rows for a list, a timeline, what is next and when.

Times are shown in the team's time zone (the profile's calendar); JSON keeps the
log's own form (UTC, ``2026-11-25T06:00:00Z``). Words come in Japanese and
English. Nothing here prints: the CLI writes what these return.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit.cases.flow import step_due
from claimkit.cases.records import JSON, Case, CaseView, plain
from claimkit.cases.work import Reached, step_specs

if TYPE_CHECKING:
    from claimkit.content.playbook import Playbook
    from claimkit.values.business import Calendar

WEEKDAYS = {"ja": "月火水木金土日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
# A due time this close is "now": the report that goes with the first reply.
NOW_WINDOW = timedelta(minutes=5)

WORDS: dict[str, dict[str, Any]] = {
    "ja": {
        "columns": ("ID", "場面", "状態", "お客様", "次の手順", "期限", "担当"),
        "table": ("ID", "場面", "お客様", "次の手順", "期限", "担当"),
        "status": {"open": "対応中", "closed": "完了"},
        "overdue": "期限切れ",
        "now": "今すぐ",
        "by": "{}まで",
        "next": "次は「{title}」：{when}",
        "then_done": "送ったら（済んだら） claimkit case done {id}",
        "last": "この場面の手順はこれで最後です",
        "customer": "お客様",
        "subject": "件名",
        "received": "受信",
        "agent": "担当",
        "opened": "開始",
        "steps": "手順",
        "timeline": "経過",
        "due": "期限",
        "promise": "約束",
        "counts": "往復 {exchanges} 回・{minutes} 分",
        "done_mark": "済",
        "skipped": "省略",
        "kinds": {
            "opened": "対応開始",
            "step_done": "完了",
            "step_skipped": "省略",
            "first_reply": "一次返信",
            "note": "メモ",
            "call": "電話",
            "visit": "訪問",
            "exchange": "やりとり",
            "values_set": "値の更新",
            "message": "メール作成",
            "resolved": "解決",
            "closed": "終了",
        },
        "limit": {
            "exchanges": "決めた答えが上限の{limit}往復に達しました（{count}往復）",
            "minutes": "通話が上限の{limit}分に達しました（{count}分）",
        },
        "limit_then": "丁寧に電話を終え、記録を上司に渡してください",
    },
    "en": {
        "columns": ("ID", "scenario", "status", "customer", "next step", "due", "agent"),
        "table": ("ID", "scenario", "customer", "next step", "due", "agent"),
        "status": {"open": "open", "closed": "closed"},
        "overdue": "overdue",
        "now": "now",
        "by": "by {}",
        "next": "Next: {title}, {when}",
        "then_done": "once it is sent (or done): claimkit case done {id}",
        "last": "This is the scenario's last step",
        "customer": "Customer",
        "subject": "Subject",
        "received": "received",
        "agent": "Agent",
        "opened": "opened",
        "steps": "Steps",
        "timeline": "Timeline",
        "due": "due",
        "promise": "promised",
        "counts": "{exchanges} round trips, {minutes} minutes",
        "done_mark": "done",
        "skipped": "skipped",
        "kinds": {
            "opened": "opened",
            "step_done": "done",
            "step_skipped": "skipped",
            "first_reply": "first reply",
            "note": "note",
            "call": "call",
            "visit": "visit",
            "exchange": "exchange",
            "values_set": "values",
            "message": "mail drafted",
            "resolved": "resolved",
            "closed": "closed",
        },
        "limit": {
            "exchanges": "the decided answer reached its limit of {limit} round trips ({count})",
            "minutes": "the call reached its limit of {limit} minutes ({count})",
        },
        "limit_then": "end the call politely and give the record to your manager",
    },
}


def words(lang: str) -> dict[str, Any]:
    return WORDS["ja" if lang == "ja" else "en"]


def when(at: datetime, lang: str, calendar: Calendar, now: datetime) -> str:
    """A short local time: ``15:00`` today, ``12/4(金) 15:00`` (``Fri 12/4 15:00``) this
    year, ``2027/1/8(金) 15:00`` (``Fri 2027-01-08 15:00``) another year."""
    local = at.astimezone(calendar.zone)
    today = now.astimezone(calendar.zone).date()
    clock = f"{local.hour}:{local.minute:02d}"
    if local.date() == today:
        return clock
    weekday = WEEKDAYS["ja" if lang == "ja" else "en"][local.weekday()]
    year = f"{local.year}/" if local.year != today.year else ""
    if lang == "ja":
        return f"{year}{local.month}/{local.day}({weekday}) {clock}"
    day = f"{local.month}/{local.day}" if not year else local.date().isoformat()
    return f"{weekday} {day} {clock}"


def due_words(due: datetime, lang: str, calendar: Calendar, now: datetime) -> str:
    w = words(lang)
    if due <= now + NOW_WINDOW and due >= now - NOW_WINDOW:
        return str(w["now"])
    shown = str(w["by"]).format(when(due, lang, calendar, now))
    if due >= now:
        return shown
    return f"{shown}（{w['overdue']}）" if lang == "ja" else f"{shown} ({w['overdue']})"


def local_iso(at: datetime | None, calendar: Calendar) -> str:
    return "" if at is None else at.astimezone(calendar.zone).isoformat()


# -- what is next ------------------------------------------------------------------------


def next_hint(
    playbook: Playbook,
    after: str,
    *,
    lang: str,
    calendar: Calendar,
    now: datetime,
    received: datetime,
    done: Mapping[str, datetime],
    values: Mapping[str, object],
) -> str:
    """What the agent does after ``after`` (drafted now): the next step and when it is due.

    ``done`` holds the steps already done; ``after`` and every step before it are
    taken as done now. A step due together with ``after`` is due now.
    """
    w = words(lang)
    specs = step_specs(playbook)
    ids = [s.id for s in specs]
    if after not in ids or ids.index(after) == len(ids) - 1:
        return str(w["last"])
    index = ids.index(after)
    assumed = {**{i: now for i in ids[: index + 1]}, **done}
    upcoming = next((s for s in playbook.steps[index + 1 :] if s.id not in done), None)
    if upcoming is None:
        return str(w["last"])
    due = None
    if upcoming.due is not None and upcoming.due.together_with == after:
        due = now
    else:
        due = step_due(
            specs, upcoming.id, received=received, done=assumed, values=values, calendar=calendar
        )
    if due is not None:
        timing = due_words(due, lang, calendar, now)
        if upcoming.deadline is not None and timing == w["now"]:
            timing += (
                f"（{upcoming.deadline.get(lang)}）"
                if lang == "ja"
                else f" ({upcoming.deadline.get(lang)})"
            )
    elif upcoming.deadline is not None:
        timing = upcoming.deadline.get(lang)
    else:
        timing = ""
    text = str(w["next"]).format(title=upcoming.title.get(lang), when=timing)
    return text.rstrip("：, ")


def limit_message(reached: Reached, lang: str) -> str:
    w = words(lang)
    said = str(w["limit"][reached.what]).format(limit=reached.limit, count=reached.so_far)
    return f"{said}。{w['limit_then']}" if lang == "ja" else f"{said}; {w['limit_then']}"


# -- a list ----------------------------------------------------------------------------


def customer(case: Case) -> str:
    name = case.values.get("customer_name")
    return str(name) if isinstance(name, str) else ""


def row(case: Case, lang: str, calendar: Calendar, now: datetime) -> tuple[str, ...]:
    """A case as a line of ``case list``: the columns of ``words(lang)["columns"]``."""
    w = words(lang)
    due = ""
    if case.next_due is not None and case.status == "open":
        due = when(case.next_due, lang, calendar, now)
        if case.overdue(now):
            due = f"{due} {w['overdue']}"
    step = case.next_step or ""
    if case.due_step and case.due_step != case.next_step:
        step = f"{step} ({case.due_step})" if step else case.due_step
    return (
        case.id,
        case.scenario,
        str(w["status"][case.status]),
        customer(case),
        step,
        due,
        case.agent,
    )


def table_row(case: Case, lang: str, calendar: Calendar, now: datetime) -> tuple[str, ...]:
    """A case as a row of the table on a terminal, narrow enough for 80 columns: the
    columns of ``words(lang)["table"]``; an overdue time starts with "!", a closed case
    says so where its due time would be."""
    w = words(lang)
    if case.status == "closed":
        due = str(w["status"]["closed"])
    elif case.next_due is None:
        due = ""
    else:
        local = case.next_due.astimezone(calendar.zone)
        today = now.astimezone(calendar.zone).date()
        if local.date() == today:
            due = f"{local.hour}:{local.minute:02d}"
        elif local.year == today.year:
            due = f"{local.month}/{local.day} {local.hour}:{local.minute:02d}"
        else:
            due = local.date().isoformat()
        if case.overdue(now):
            due = "!" + due
    return (case.id, case.scenario, customer(case), case.next_step or "", due, case.agent)


CSV_COLUMNS = (
    "id",
    "scenario",
    "status",
    "customer_name",
    "next_step",
    "due_step",
    "next_due",
    "overdue",
    "agent",
    "opened_at",
    "received_at",
    "exchanges",
    "minutes",
)


def csv_row(case: Case, calendar: Calendar, now: datetime) -> list[str]:
    """A case for a spreadsheet: times in the team's zone, with their offset."""
    return [
        case.id,
        case.scenario,
        case.status,
        customer(case),
        case.next_step or "",
        case.due_step or "",
        local_iso(case.next_due, calendar),
        "yes" if case.overdue(now) else "",
        case.agent,
        local_iso(case.opened_at, calendar),
        local_iso(case.received_at, calendar),
        str(case.exchanges),
        str(case.minutes),
    ]


def record(case: Case, now: datetime) -> dict[str, JSON]:
    """A case as JSON: the log's fields, and whether it is overdue at ``now``."""
    out = plain(case._asdict())
    assert isinstance(out, dict)
    out["customer_name"] = customer(case) or None
    out["overdue"] = case.overdue(now)
    return out


# -- one case ---------------------------------------------------------------------------


class StepState(NamedTuple):
    id: str
    title: str  # "" for a step the playbook no longer has
    at: datetime | None  # when it was done or skipped
    kind: str  # step_done, step_skipped, or "" while it is to do
    due_at: datetime | None  # its running deadline
    promise: bool


def steps_state(view: CaseView, playbook: Playbook | None, lang: str) -> list[StepState]:
    """Each step of the case, in the playbook's order, and where it stands."""
    done: dict[str, tuple[datetime, str]] = {}
    for e in view.events:
        if e.kind in ("step_done", "step_skipped") and e.step:
            done[e.step] = (e.at, e.kind)
    due = {d.step: (d.due_at, d.promise) for d in view.deadlines if d.ended_at is None}
    ids = [s.id for s in playbook.steps] if playbook else list(dict.fromkeys([*done, *due]))
    titles = {s.id: s.title for s in playbook.steps} if playbook else {}
    out = []
    for sid in ids:
        at, kind = done.get(sid, (None, ""))
        due_at, promise = due.get(sid, (None, False))
        title = titles[sid].get(lang) if sid in titles else ""
        out.append(StepState(sid, title, at, kind, due_at, promise))
    return out


def show_record(view: CaseView, playbook: Playbook | None, now: datetime) -> dict[str, JSON]:
    out = record(view.case, now)
    out["events"] = [plain(e._asdict()) for e in view.events]
    out["deadlines"] = [plain(d._asdict()) for d in view.deadlines]
    out["steps"] = [
        {
            "id": sid,
            "title": title,
            "done_at": _utc(at),
            "skipped": kind == "step_skipped",
            "due_at": _utc(due_at),
            "promise": promise,
        }
        for sid, title, at, kind, due_at, promise in steps_state(view, playbook, view.case.lang)
    ]
    return out


def _utc(at: datetime | None) -> str | None:
    return None if at is None else at.strftime("%Y-%m-%dT%H:%M:%SZ")  # as records.plain


def show_lines(
    view: CaseView, playbook: Playbook | None, lang: str, calendar: Calendar, now: datetime
) -> list[str]:
    """The case as text: who and what, what is next and when, the steps, the timeline."""
    w = words(lang)
    case = view.case
    title = playbook.title.get(lang) if playbook else ""
    lines = [f"{case.id}  {case.scenario}  {title}  [{w['status'][case.status]}]".rstrip()]
    who = customer(case)
    email = case.values.get("customer_email")
    if who or email:
        lines.append(f"{w['customer']}: {who}" + (f" <{email}>" if email else ""))
    if case.complaint_subject:
        received = when(case.received_at, lang, calendar, now)
        lines.append(f"{w['subject']}: {case.complaint_subject}  ({w['received']} {received})")
    opened = when(case.opened_at, lang, calendar, now)
    lines.append(f"{w['agent']}: {case.agent}  ({w['opened']} {opened})")
    if case.exchanges or case.minutes:
        lines.append(str(w["counts"]).format(exchanges=case.exchanges, minutes=case.minutes))
    if case.status == "open" and case.next_step and playbook is not None:
        step = next((s for s in playbook.steps if s.id == case.next_step), None)
        due = None
        if case.next_due is not None and case.due_step == case.next_step:
            due = case.next_due
        timing = due_words(due, lang, calendar, now) if due else ""
        name = step.title.get(lang) if step else case.next_step
        lines.append(str(w["next"]).format(title=name, when=timing).rstrip("：, "))
    lines += ["", str(w["steps"])]
    for sid, step_title, at, kind, due_at, promise in steps_state(view, playbook, lang):
        mark = (
            "✓" if kind == "step_done" else "-" if kind else "→" if sid == case.next_step else " "
        )
        state = ""
        if at is not None:
            word = w["done_mark"] if kind == "step_done" else w["skipped"]
            state = f"{word} {when(at, lang, calendar, now)}"
        elif due_at is not None:
            late = f" {w['overdue']}" if due_at < now and case.status == "open" else ""
            kept = f" ({w['promise']})" if promise else ""
            state = f"{w['due']} {when(due_at, lang, calendar, now)}{kept}{late}"
        lines.append(f" {mark} {sid:<14} {step_title}  {state}".rstrip())
    lines += ["", str(w["timeline"])]
    for e in view.events:
        kind_word = w["kinds"].get(e.kind, e.kind)
        parts = [when(e.at, lang, calendar, now), e.agent, kind_word]
        if e.step:
            parts.append(e.step)
        if e.minutes:
            parts.append(f"{e.minutes}分" if lang == "ja" else f"{e.minutes} min")
        if e.exchanges and e.kind != "exchange":
            parts.append(f"{e.exchanges}往復" if lang == "ja" else f"{e.exchanges} round trips")
        if e.note:
            parts.append(" ".join(e.note.split()))
        lines.append("  " + "  ".join(parts))
    return lines
