"""What the ``claimkit case`` commands do, as library calls: the CLI only maps flags to these.

A case is opened from a scenario and, when there is one, the complaint mail; its
next step is drafted from the values the case keeps, threaded with the
complaint and the mails sent since; a step done, an entry on the timeline and
what the playbook's limits say about it are recorded. Each call that records is
one transaction of the log (claimkit.cases.store). Nothing here prints: the
results are records the CLI shows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit.cases.flow import StepSpec
from claimkit.cases.records import JSON, Case, CaseView, Complaint, EntryKind, json_value
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.cases.store import CaseLog
    from claimkit.content.catalog import Catalog
    from claimkit.content.playbook import Limits, Playbook, Step, Variable
    from claimkit.mail.read import Complaint as Mail
    from claimkit.output.draft import Draft
    from claimkit.render.renderer import Renderer
    from claimkit.values.business import Calendar
    from claimkit.values.resolve import Asker


class Desk(NamedTuple):
    """Where case work happens: the log, the content, who works and on which calendar."""

    log: CaseLog
    catalog: Catalog
    agent: str  # recorded on every event
    profile: Mapping[str, Any]
    profile_name: str
    calendar: Calendar  # the profile's: due times, and the zone times are shown in
    today: date
    now: datetime  # aware


class CaseDraft(NamedTuple):
    case: Case  # as it is after the draft (new values stored, a Message-ID kept)
    draft: Draft  # threaded: In-Reply-To, References, and Re: the complaint's subject
    stored: dict[str, JSON]  # the values this draft added to the case
    unused: tuple[str, ...]  # --set names the scenario does not use
    warnings: tuple[str, ...]  # promised times that cannot be kept
    done: dict[str, datetime]  # the steps done or skipped before it, and when


class Reached(NamedTuple):
    """A limit an entry brought a case to (or past)."""

    what: str  # exchanges or minutes
    so_far: int
    limit: int
    crossed: bool  # this entry took it from below the limit to the limit or past it


class Logged(NamedTuple):
    case: Case
    reached: tuple[Reached, ...]
    then: str | None  # the step to draft now (the record for the manager), if any


def agent_name(profile: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> str:
    """Who is recording: the profile's ``agent_name``, else the login name."""
    for value in (
        profile.get("agent_name"),
        environ.get("USER"),
        environ.get("LOGNAME"),
        environ.get("USERNAME"),
    ):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return "unknown"


def step_specs(playbook: Playbook) -> list[StepSpec]:
    """The playbook's steps as the case log takes them."""
    return [StepSpec(s.id, s.template is not None, s.audience, s.due) for s in playbook.steps]


# -- opening ---------------------------------------------------------------------------


def open_case(
    desk: Desk,
    scenario: str,
    *,
    lang: str,
    data: Mapping[str, Any],
    data_name: str,
    overrides: Mapping[str, str],
    complaint: Mail | None = None,
    example: bool = False,
) -> tuple[str, tuple[str, ...]]:
    """A new case: the values given, checked by type, and the complaint; its id and
    the names given that the scenario does not use.

    Values come, lowest first, from the complaint mail, ``data`` and ``overrides``.
    With ``example``, every variable nothing gives (and the profile does not) is
    stored with its example, so a trial case drafts every step without questions.
    """
    from claimkit.values.complaint import complaint_values
    from claimkit.values.resolve import Sources, blank, resolve

    playbook = desk.catalog.load(scenario)
    if lang not in playbook.languages:
        raise InputError(
            f"scenario '{playbook.id}' is written in {', '.join(playbook.languages)} only; "
            f"use --lang {playbook.languages[0]}"
        )
    given = {**(complaint_values(complaint) if complaint else {}), **data}
    declared = playbook.names
    unused = tuple(sorted({n for n in [*data, *overrides] if n not in declared}))
    sources = Sources(
        profile=desk.profile if example else {},
        profile_name=desk.profile_name,
        data={k: v for k, v in given.items() if k in declared},
        data_name=data_name,
        overrides={k: v for k, v in overrides.items() if k in declared},
        example=example,
        calendar=desk.calendar,
    )
    named = {*sources.data, *sources.overrides}
    values = resolve(playbook, lang, sources, desk.today, None, None if example else named).values
    keep: dict[str, object] = {}
    for var in playbook.variables:
        value = values.get(var.name)
        if var.name in named or (
            example
            and var.default is None
            and var.name not in desk.profile
            and value is not None
            and value != blank(var)
        ):
            keep[var.name] = value
    case_id = desk.log.open_case(
        scenario=playbook.id,
        lang=lang,
        agent=desk.agent,
        steps=step_specs(playbook),
        values=keep,
        complaint=_complaint_record(complaint, lang) if complaint else None,
    )
    return case_id, unused


def _complaint_record(mail: Mail, lang: str) -> Complaint:
    from claimkit.mail.quote import quoted_reply

    return Complaint(
        message_id=mail.message_id,
        subject=mail.subject or None,
        received_at=mail.received,
        quote=quoted_reply(mail, lang) if mail.text.strip() else None,
    )


def complaint_quote(view: CaseView) -> str | None:
    """The complaint's words as a reply quotes them, kept when the case was opened."""
    opened = next((e for e in view.events if e.kind == "opened"), None)
    quote = opened.data.get("quote") if opened else None
    return quote if isinstance(quote, str) else None


# -- drafting --------------------------------------------------------------------------


def draft_step(
    desk: Desk,
    renderer: Renderer,
    case_id: str,
    *,
    step: str | None = None,
    overrides: Mapping[str, str] | None = None,
    ask: Asker | None = None,
    as_mail: bool = False,
    strict_times: bool = False,
    quote: bool = True,
) -> CaseDraft:
    """The case's next step (or ``step``) drafted from the values the case keeps.

    ``overrides`` (``--set``) and answers to ``ask`` are stored with the case, so
    the next draft has them and a promised time becomes the step's due time. A
    mail is threaded with the complaint and the customer mails sent since (a mail
    to the team with the team's); one that answers the complaint quotes it below,
    as ``claimkit draft --reply-to`` does, unless ``quote`` is false. ``as_mail``
    gives it a Message-ID, kept with the case as drafted, which ``step_done``
    records as sent.
    """
    from claimkit.mail.quote import quoted_below
    from claimkit.mail.reply import answers
    from claimkit.pipeline import Request, make_draft
    from claimkit.values.resolve import Sources

    view = desk.log.show(case_id)
    case = view.case
    playbook = desk.catalog.load(case.scenario)
    chosen = _drafting_step(playbook, case, step)
    asked: set[str] = set()

    def asking(
        var: Variable, default: Any, check: Any, slot: tuple[str, str] | None = None, /
    ) -> Any:
        assert ask is not None
        asked.add(var.name)
        return ask(var, default, check, slot)

    overrides = dict(overrides or {})
    sources = Sources(
        profile=desk.profile,
        profile_name=desk.profile_name,
        data={**case.values, **counted_values(playbook, case)},
        data_name=f"case {case.id}",
        overrides=overrides,
        calendar=desk.calendar,
    )
    request = Request(
        case.scenario, case.lang, sources, desk.today, chosen.id, desk.now, strict_times
    )
    result = make_draft(desk.catalog, renderer, request, asking if ask else None)
    draft = result.draft
    if draft.is_mail:
        draft = _threaded(draft, view, playbook, chosen, as_mail)
        words = complaint_quote(view) if quote and answers(chosen) else None
        if words:
            draft = draft._replace(body=quoted_below(draft.body, words))
    fresh = _fresh_values(desk, playbook, case, draft.variables, {*overrides, *asked})
    if fresh or draft.message_id:
        case = desk.log.record_draft(
            case.id,
            agent=desk.agent,
            steps=step_specs(playbook),
            step=chosen.id,
            values=fresh,
            message_id=draft.message_id,
            subject=draft.subject,
        )
    stored = {name: json_value(name, value) for name, value in fresh.items()}
    done = {e.step: e.at for e in view.events if e.kind in _DONE and e.step}
    return CaseDraft(case, draft, stored, result.unused, result.warnings, done)


_DONE = ("step_done", "step_skipped")


def _drafting_step(playbook: Playbook, case: Case, step: str | None) -> Step:
    if step is not None:
        return playbook.step(step)  # says which steps have a message
    if case.next_step is None:
        raise InputError(
            f"every step of case {case.id} is done; close it with 'claimkit case close {case.id}'"
        )
    found = next((s for s in playbook.steps if s.id == case.next_step), None)
    if found is None:
        raise InputError(
            f"case {case.id} is at step '{case.next_step}', which scenario '{case.scenario}' "
            "no longer has; draft a step with --step"
        )
    if found.template is None:
        raise InputError(
            f"the next step of case {case.id}, '{found.id}' ({found.title.get('en')}), is done "
            f"by hand: nothing to draft; when it is done, 'claimkit case done {case.id}', "
            "or draft another step with --step"
        )
    return found


def counted_values(playbook: Playbook, case: Case) -> dict[str, JSON]:
    """The variables the log fills (``counted:``): round trips and minutes so far."""
    out: dict[str, JSON] = {}
    for var in playbook.variables:
        if var.counted is None:
            continue
        count = case.exchanges if var.counted == "exchanges" else case.minutes
        if count == 0:
            continue  # nothing logged yet: what was given (or asked) stands
        if var.type == "choice":
            if str(count) in {c.value for c in var.choices}:
                out[var.name] = str(count)
        else:
            out[var.name] = count
    return out


def _threaded(draft: Draft, view: CaseView, playbook: Playbook, step: Step, as_mail: bool) -> Draft:
    """A mail in its thread: to the customer, the complaint's and the customer mails sent;
    to the team, the team's; a new Message-ID when the mail is to be sent."""
    from claimkit.mail.thread import MAX_REFERENCES, reply_subject

    audiences = {s.id: s.audience for s in playbook.steps}
    customer = step.audience != "internal"
    chain = [view.case.complaint_message_id] if customer else []
    for e in view.events:
        sent = e.kind == "step_done" or (e.kind == "message" and not e.data.get("drafted"))
        if sent and e.message_id and (audiences.get(e.step or "") != "internal") == customer:
            chain.append(e.message_id)
    ids = list(dict.fromkeys(i for i in chain if i))
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    subject = draft.subject
    if customer and view.case.complaint_subject:
        subject = reply_subject(view.case.complaint_subject, view.case.lang)
    message_id = None
    if as_mail:
        from email.utils import make_msgid

        domain = draft.sender.rpartition("@")[2] if draft.sender else "claimkit.invalid"
        message_id = make_msgid(domain=domain)
    return draft._replace(
        subject=subject,
        in_reply_to=ids[-1] if ids else None,
        references=tuple(ids),
        message_id=message_id,
    )


def _fresh_values(
    desk: Desk,
    playbook: Playbook,
    case: Case,
    values: Mapping[str, Any],
    names: set[str],
) -> dict[str, object]:
    """What ``--set`` and the answers added to the case: never the sender's own values
    (the profile of whoever drafts gives those), nor what the log counts."""
    sender = {v.name for v in desk.catalog.common().sender}
    fresh: dict[str, object] = {}
    for name in sorted(names):
        var = playbook.variable(name)
        value = values.get(name)
        if var is None or name in sender or var.counted or value is None or value == "":
            continue
        if json_value(name, value) != case.values.get(name):
            fresh[name] = value
    return fresh


# -- recording -------------------------------------------------------------------------


def step_done(
    desk: Desk,
    case_id: str,
    step: str | None = None,
    *,
    at: datetime | None = None,
    note: str | None = None,
    skipped: bool = False,
) -> Case:
    """A step done (sent, called, visited) or skipped; a mail drafted for it with
    ``draft_step(as_mail=True)`` is recorded as sent, for threading the next ones."""
    view = desk.log.show(case_id)
    playbook = desk.catalog.load(view.case.scenario)
    step_id = step or view.case.next_step
    message_id = None
    if step_id is not None and not skipped:
        message_id = next(
            (
                e.message_id
                for e in reversed(view.events)
                if e.kind == "message" and e.step == step_id and e.data.get("drafted")
            ),
            None,
        )
    return desk.log.step_done(
        view.case.id,
        step_id,
        agent=desk.agent,
        steps=step_specs(playbook),
        at=at,
        note=note,
        skipped=skipped,
        message_id=message_id,
    )


def log_entry(
    desk: Desk,
    case_id: str,
    note: str | None,
    *,
    kind: EntryKind = "note",
    minutes: int | None = None,
    exchanges: int | None = None,
    at: datetime | None = None,
) -> Logged:
    """An entry on the timeline, and the playbook's limits it brought the case to."""
    if kind == "exchange" and exchanges is None:
        exchanges = 1
    case = desk.log.add_entry(
        case_id,
        kind=kind,
        agent=desk.agent,
        note=note,
        minutes=minutes,
        exchanges=exchanges,
        at=at,
    )
    added = {"exchanges": exchanges or 0, "minutes": minutes or 0}
    playbook = desk.catalog.load(case.scenario)
    reached: list[Reached] = []
    then = None
    for limits in playbook_limits(playbook):
        for what, count, limit in _counts(limits, case.exchanges, case.minutes):
            if added[what] and count >= limit:
                crossed = count - added[what] < limit
                reached.append(Reached(what, count, limit, crossed))
                if crossed and limits.then:
                    then = limits.then
    return Logged(case, tuple(reached), then)


def playbook_limits(playbook: Playbook) -> list[Limits]:
    return [s.limits for s in playbook.steps if s.limits is not None]


def _counts(limits: Limits, exchanges: int, minutes: int) -> list[tuple[str, int, int]]:
    out = []
    if limits.exchanges is not None:
        out.append(("exchanges", exchanges, limits.exchanges))
    if limits.minutes is not None:
        out.append(("minutes", minutes, limits.minutes))
    return out


def limits_reached(limits: Sequence[Limits], exchanges: int, minutes: int) -> list[Reached]:
    """The limits counts are at or past, for a call in progress (nothing crossed yet)."""
    return [
        Reached(what, count, limit, False)
        for one in limits
        for what, count, limit in _counts(one, exchanges, minutes)
        if count >= limit
    ]
