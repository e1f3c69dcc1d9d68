"""Drafts of the built-in content, for the tests that pin its wording (tests/test_content_*).

Every draft runs in-process through the CLI, as a user runs it, and is remembered: the
content tests read the same few dozen drafts many times.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import NamedTuple

import claimkit.cache
from tests.conftest import Run
from tests.conftest import cli as _in_process

# Long but realistic values: the accounting-software case of issue 16, and long names.
LONG_EN = {
    "customer_name": "Alexandra Montgomery-Whitfield",
    "customer_company": "Harbor Supplies International Trading Inc.",
    "customer_department": "Finance and Accounting",
    "customer_title": "Head of Financial Operations",
    "order_ref": "licence LX-20931 (AccountPro Business, 25 seats)",
    "product": "AccountPro Business accounting software",
    "customer_point": (
        "the automatic update on Monday night broke the invoicing module, and we cannot close the"
        " month: twelve staff are waiting and our auditors arrive on Friday"
    ),
    "company_name": "Sample Trading Company of America",
    "department": "Customer Care",
    "reviewer_handle": "Alexandra Montgomery-W.",
    "review_topic": "the update that broke invoicing at our month-end close",
}
LONG_JA = {
    "customer_name": "勅使河原 美智子",
    "customer_company": "株式会社ミナト物産ホールディングス",
    "customer_department": "経理財務本部 経理部",
    "customer_title": "経理部長",
    "order_ref": "ライセンス番号LX-20931（会計ソフト AccountPro ビジネス版 25ユーザー）",
    "product": "会計ソフト AccountPro ビジネス版",
    "customer_point": (
        "月曜の夜の自動更新で請求書の機能が動かなくなり、月末の締めができず、経理の12人が待っている"
    ),
    "company_name": "株式会社サンプル商事ソリューションズ",
    "department": "カスタマーサポート部",
    "reviewer_handle": "月末に困った経理担当",
    "review_topic": "月末の締めの最中に、自動更新で止まった請求書の機能",
}


class Drafted(NamedTuple):
    subject: str
    body: str
    channel: str
    audience: str
    stderr: str  # the findings of the check claimkit draft runs


def draft(scenario: str, step: str | None = None, lang: str = "ja", **values: str) -> Drafted:
    """A built-in message with the example values, and ``values`` given with --set
    (an empty string blanks an optional variable)."""
    return _draft(scenario, step, lang, tuple(sorted(values.items())))


@cache
def _shared_cache() -> str:
    folder = tempfile.mkdtemp(prefix="claimkit-content-tests-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


@contextmanager
def _warm() -> Iterator[None]:
    """One cache for all content tests: each test's own empty one would compile every
    template again (keys are content hashes, so a shared one is never stale)."""
    before = os.environ.get("CLAIMKIT_CACHE_DIR")
    os.environ["CLAIMKIT_CACHE_DIR"] = _shared_cache()
    claimkit.cache.reset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["CLAIMKIT_CACHE_DIR"]
        else:
            os.environ["CLAIMKIT_CACHE_DIR"] = before
        claimkit.cache.reset()


def cli(args: list[str], input: str | None = None) -> Run:
    """The CLI in-process (tests.conftest.cli), with the shared cache."""
    with _warm():
        return _in_process(args, input=input)


@cache
def _draft(
    scenario: str, step: str | None, lang: str, values: tuple[tuple[str, str], ...]
) -> Drafted:
    args = ["draft", scenario, "--lang", lang, "--example", "--no-input", "--format", "json"]
    if step:
        args += ["--step", step]
    for name, value in values:
        args += ["--set", f"{name}={value}"]
    run = cli(args)
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    return Drafted(
        data["subject"] or "", data["body"], data["channel"], data["audience"], run.stderr
    )


def long_values(scenario: str, step: str | None, lang: str) -> dict[str, str]:
    """The long values of the variables this message uses."""
    names = set(_used(scenario, step, lang))
    return {k: v for k, v in (LONG_JA if lang == "ja" else LONG_EN).items() if k in names}


@cache
def _used(scenario: str, step: str | None, lang: str) -> tuple[str, ...]:
    args = ["draft", scenario, "--lang", lang, "--example", "--no-input", "--format", "json"]
    run = cli([*args, "--step", step] if step else args)
    return tuple(json.loads(run.stdout)["variables"])


@cache
def scenarios() -> tuple[str, ...]:
    return tuple(s["id"] for s in json.loads(cli(["list", "--format", "json"]).stdout))


@cache
def messages(scenario: str) -> tuple[tuple[str, str, str], ...]:
    """(step, channel, audience) of each step of a scenario that drafts a message."""
    data = json.loads(cli(["show", scenario, "--format", "json", "--lang", "en"]).stdout)
    return tuple((s["id"], s["channel"], s["audience"]) for s in data["steps"] if s.get("template"))


def all_messages() -> list[tuple[str, str, str, str]]:
    """(scenario, step, channel, audience) of every built-in message."""
    return [(sc, *m) for sc in scenarios() for m in messages(sc)]


def check(text: str, scenario: str, step: str, lang: str) -> str:
    """The findings of `claimkit check` on a text, at every severity."""
    run = cli(
        ["check", "--scenario", scenario, "--step", step, "--lang", lang, "--fail-on", "info", "-"],
        input=text,
    )
    assert run.code in (0, 1), run.stderr
    return run.stdout


def full_width(text: str) -> float:
    """Length in full-width characters: a half-width character counts as half."""
    return sum(1 if unicodedata.east_asian_width(c) in "FW" else 0.5 for c in text)


def non_space(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def words(text: str) -> int:
    return len(text.split())


def letter(body: str) -> str:
    """An English mail from its greeting to its closing, without address block or signature."""
    start = body.index("Dear ")
    end = min(body.find(c) for c in ("Kind regards", "With thanks", "With my") if c in body)
    return body[start:end]
