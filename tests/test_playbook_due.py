"""A step's due:, limits: and a variable's counted: (issue 18): parsed, checked by validate."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimkit.cases.due import Span
from claimkit.content.playbook import Limits, parse_playbook
from claimkit.content.yamldoc import parse_yaml
from claimkit.errors import ContentError
from tests.conftest import cli, write_playbook

TWO_STEPS = """\
id: t
title: {{ja: テスト, en: Test}}
summary: {{ja: テストの場面, en: A test scenario}}
steps:
  - id: mail
    title: {{ja: メール, en: Mail}}
    do: {{ja: 送る, en: Send it}}
    channel: email
    template: t/mail.j2
    {mail}
  - id: call
    title: {{ja: 電話, en: Call}}
    do: {{ja: 電話する, en: Call}}
    channel: phone
    {call}
variables:
  - name: order_ref
    prompt: {{ja: 注文番号, en: Order}}
    example: A-1
  - name: callback_at
    type: datetime
    prompt: {{ja: 電話の期限, en: Call by}}
    example: 2026-11-25 15:00
  - name: minutes_so_far
    type: number
    prompt: {{ja: 分, en: Minutes}}
    example: 3
    {counted}
"""


def playbook(mail: str = "", call: str = "", counted: str = "") -> str:
    return TWO_STEPS.format(mail=mail, call=call, counted=counted)


def parse(text: str) -> object:
    return parse_playbook(parse_yaml(text, "t.yaml"), Path("t.yaml"))


def test_due_limits_and_counted_are_read_into_the_records() -> None:
    pb = parse(
        playbook(
            mail="due: {within: 1h, business_hours: true}",
            call="due: {by: callback_at}\n    limits: {exchanges: 3, minutes: 20, then: mail}",
            counted="counted: minutes",
        )
    )
    mail, call = pb.steps  # type: ignore[attr-defined]
    assert mail.due.within == Span(60, "minutes") and mail.due.business_hours
    assert mail.due.where == "t.yaml:10"
    assert call.due.by == "callback_at" and call.due.promise
    assert call.limits == Limits(exchanges=3, minutes=20, then="mail", line=16)
    assert pb.variable("minutes_so_far").counted == "minutes"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mail": "due: {within: soon}"}, "t.yaml:10: due: within: 'soon' is not a duration"),
        ({"mail": "due: {by: x, with: call}"}, "give exactly one of within, by and with"),
        ({"call": "limits: {exchanges: 0}"}, "'exchanges' must be a whole number from 1"),
        ({"call": "limits: {minutes: true}"}, "'minutes' must be a whole number from 1"),
        ({"call": "limits: {then: mail}"}, "give exchanges, minutes or both"),
        ({"call": "limits: {rounds: 3}"}, "unknown key 'rounds'"),
        ({"counted": "counted: hours"}, "'counted' must be one of: exchanges, minutes"),
    ],
)
def test_a_malformed_key_names_its_line(change: dict[str, str], message: str) -> None:
    with pytest.raises(ContentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(playbook(**change))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"call": "due: {by: order_ref}"}, "due: 'order_ref' must be a date or datetime"),
        ({"call": "due: {by: promised_at}"}, "due: 'promised_at' is not a variable"),
        ({"call": "due: {within: 1 working day, from: nowhere}"}, "'nowhere' is not a variable"),
        ({"call": "due: {with: visit}"}, "due: with: 'visit' is not another step"),
        ({"call": "due: {with: call}"}, "due: with: 'call' is not another step"),
        (
            {"mail": "due: {with: call}", "call": "due: {with: mail}"},
            "due: with: goes round in a loop",
        ),
        ({"call": "limits: {exchanges: 3, then: call}"}, "then: 'call' is not a step with"),
    ],
)
def test_validate_checks_what_due_and_limits_name(
    team: Path, change: dict[str, str], problem: str
) -> None:
    path = write_playbook(team, "t", playbook(**change))
    for lang in ("ja", "en"):
        (team / "templates" / lang / "t" / "mail.j2").write_text("{{ order_ref }}\n")
    run = cli(["validate", str(team)])
    assert run.code == 1
    assert problem in run.stdout and f"{path}:" in run.stdout, run.stdout


def test_validate_accepts_every_form_of_due(team: Path) -> None:
    write_playbook(
        team,
        "t",
        playbook(
            mail="due: {within: 0 working days}",
            call="due: {by: callback_at, ahead: 1 working day}\n"
            "    limits: {exchanges: 3, minutes: 20, then: mail}",
            counted="counted: minutes",
        ),
    )
    for lang in ("ja", "en"):
        (team / "templates" / lang / "t" / "mail.j2").write_text("{{ order_ref }}\n")
    run = cli(["validate", str(team)])
    assert run.code == 0, run.stdout


def test_the_built_in_steps_carry_the_due_times_docs_propose() -> None:
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root

    catalog = Catalog([builtin_root()])
    due = {
        (pid, s.id): str(s.due) if s.due else None
        for pid in catalog.ids()
        for s in catalog.load(pid).steps
    }
    assert due[("apology", "first-reply")] == "within 1h of working time from received"
    assert due[("apology", "report")] == "with first-reply"
    assert due[("apology", "call")] == "by callback_at"
    assert due[("apology", "thank")] is None  # waits for the fix, which thank-you-after-fix dates
    assert due[("threat", "record")] == "within 1h from call_started_at"
    threat = catalog.load("threat")
    assert threat.steps[0].limits._replace(line=0) == Limits(3, 20, "record")  # type: ignore[union-attr]
    assert {v.name: v.counted for v in threat.variables if v.counted} == {
        "call_minutes": "minutes",
        "answers_given": "exchanges",
    }
