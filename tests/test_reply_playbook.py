"""A playbook step's ``thread``: whether its mail answers the complaint (--reply-to)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli, write_playbook

THREAD_STEP = """\
id: {id}
title: {{ja: テスト, en: Test}}
summary: {{ja: テストの場面, en: A test scenario}}
steps:
  - id: mail
    title: {{ja: メール, en: Mail}}
    do: {{ja: 送る, en: Send it}}
    channel: {channel}
    audience: {audience}
    template: {id}/mail.j2
    thread: {thread}
variables:
  - name: order_ref
    prompt: {{ja: 注文番号, en: Order}}
    example: A-1
"""


@pytest.mark.parametrize(
    ("channel", "audience", "thread", "problem"),
    [
        ("email", "customer", "new", None),
        ("email", "customer", "reply", None),
        ("email", "internal", "new", None),
        ("email", "internal", "reply", "thread: reply is for a mail to the customer"),
        ("email", "public", "reply", "a mail to the public is no reply"),
        ("phone", "customer", "new", "'thread' is for a step that drafts a mail"),
        ("email", "customer", "maybe", "'thread' must be one of: reply, new, not 'maybe'"),
    ],
)
def test_validate_checks_the_thread_key(
    team: Path, channel: str, audience: str, thread: str, problem: str | None
) -> None:
    body = THREAD_STEP.format(id="t", channel=channel, audience=audience, thread=thread)
    path = write_playbook(team, "t", body)
    run = cli(["validate", str(team)])
    if problem is None:
        assert run.code == 0, run.stdout
    else:
        assert run.code == 1 and f"{path}:11: " in run.stdout and problem in run.stdout


def test_the_built_in_reports_declare_their_own_thread() -> None:
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root

    catalog = Catalog([builtin_root()])
    threads = {
        (pid, step.id): step.thread
        for pid in catalog.ids()
        for step in catalog.load(pid).steps
        if step.template and step.channel == "email"
    }
    assert threads[("apology", "report")] == threads[("escalation", "report")] == "new"
    assert threads[("apology", "first-reply")] == threads[("threat", "written-reply")] == "reply"
