"""Every built-in scenario, in both languages: each message says what PRACTICE.md requires."""

from __future__ import annotations

import json
import re

import pytest

from claimkit.content.catalog import Catalog
from claimkit.paths import builtin_root
from tests.conftest import LANGS, SCENARIOS, cli, sh

CATALOG = Catalog([builtin_root()])
STEPS = [
    (scenario, step.id, lang)
    for scenario in SCENARIOS
    if scenario in CATALOG.ids()  # a missing one fails test_the_built_in_scenarios...
    for step in CATALOG.load(scenario).steps
    if step.template
    for lang in LANGS
]
PLACEHOLDER = re.compile(r"\{\{|\{%|○○|〇〇|××|\bXX\b|\[name\]")


def draft(scenario: str, step: str, lang: str, *extra: str) -> dict[str, object]:
    run = cli(
        [
            "draft",
            scenario,
            "--step",
            step,
            "--lang",
            lang,
            "--example",
            "--no-input",
            "--format",
            "json",
            *extra,
        ]
    )
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert isinstance(data, dict)
    return data


def test_the_built_in_scenarios_are_the_documented_ones() -> None:
    assert set(SCENARIOS) <= set(CATALOG.ids())


# The optional values empty, as a case may leave them: the other side of each `if`.
EMPTY = ["customer_company", "department", "signature", "agent_phone", "agent_email"]


@pytest.mark.parametrize(("scenario", "step", "lang"), STEPS)
def test_every_message_is_complete_clean_and_the_same_as_jinja_writes_it(
    scenario: str, step: str, lang: str
) -> None:
    """The one sweep of every built-in message: complete, clean under the check (so no
    --fix would change it), and written by its program exactly as Jinja writes it."""
    from datetime import date

    from claimkit.pipeline import Request, make_draft
    from claimkit.render import sandbox
    from claimkit.render.renderer import Renderer
    from claimkit.values.resolve import Sources
    from tests.test_render import JinjaOnly

    assert Renderer(CATALOG.roots).template(f"{scenario}/{step}.j2", lang).program is not None
    for overrides in ({}, dict.fromkeys(EMPTY, "")):
        request = Request(
            scenario=scenario,
            lang=lang,
            sources=Sources(example=True, overrides=overrides),
            today=date.today(),
            step=step,
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sandbox, "run", None)  # the program alone: Jinja may not step in
            ours = make_draft(CATALOG, Renderer(CATALOG.roots), request).draft
        theirs = make_draft(CATALOG, JinjaOnly(CATALOG.roots), request).draft
        assert ours == theirs
    run = cli(
        [
            "draft",
            scenario,
            "--step",
            step,
            "--lang",
            lang,
            "--example",
            "--no-input",
            "--format",
            "json",
        ]
    )
    assert run.code == 0, run.stderr
    # the built-in templates come out of the check with no finding at all
    assert run.stderr == "", run.stderr
    data = json.loads(run.stdout)
    body = str(data["body"])
    assert not PLACEHOLDER.search(body), body
    assert "\x1b" not in body
    assert body.endswith("\n") and "\n\n\n" not in body
    name = "山田 太郎" if lang == "ja" else "Alex Morgan"
    if data["audience"] != "public":  # a public review reply may leave the name out
        assert name in body.replace("山田 太郎様", "山田 太郎 様"), body
    if data["channel"] == "email":
        assert data["subject"], "a mail needs a subject"
        if lang == "ja" and data["audience"] == "customer":
            assert str(data["subject"]).startswith("【"), data["subject"]
    if lang == "ja":
        assert "させていただ" not in body
        assert "！" not in body and "!" not in body


@pytest.mark.parametrize(("scenario", "step", "lang"), STEPS[:6])
def test_in_a_pipe_through_a_real_process(scenario: str, step: str, lang: str) -> None:
    run = sh(["draft", scenario, "--step", step, "--lang", lang, "--example", "--no-input"])
    assert run.code == 0
    assert "\x1b" not in run.stdout and run.stdout.strip()


# What PRACTICE.md says each message must carry, checked in the example drafts.
MUST_SAY: dict[tuple[str, str, str], list[str]] = {
    # apology: sorry for the inconvenience, not for a fault; the customer's words; a call by a time
    ("apology", "first-reply", "ja"): [
        "ご不便をおかけしており、誠に申し訳ございません",
        "朝の支度に使えなかったとのこと",
        "{dt:next working day 15:00}までに",
        "お電話",
        "本メールとお電話が前後する場合",
    ],
    ("apology", "first-reply", "en"): [
        "I am very sorry for the inconvenience",
        "You told us that the kettle we delivered would not switch on",
        "I will call you by {dt:next working day 15:00}",
        "may cross",
    ],
    ("apology", "report", "ja"): ["鈴木課長", "■ご指摘（お客様の言葉）", "対応方針のご判断"],
    ("apology", "report", "en"): ["Morgan Chen", "Their point, in their words", "Decision needed"],
    # phone-handoff: propose a call at a time; the script: listen, restate, notes, call back
    ("phone-handoff", "propose-call", "ja"): [
        "{dt:next working day 15:00}",
        "お電話",
        "ご不便をおかけしており",
    ],
    ("phone-handoff", "propose-call", "en"): [
        "{t:next working day 15:00} on {d:next working day 15:00}",
        "call",
        "sorry",
    ],
    ("phone-handoff", "call-script", "ja"): [
        "こちらからすぐにお掛け直しいたします",
        "■復唱する",
        "■メモを取る",
        "否定せず",
        "約30分",
    ],
    ("phone-handoff", "call-script", "en"): [
        "call you straight back",
        "RESTATE",
        "TAKE NOTES",
        "without contradicting",
        "30 minutes",
    ],
    # thank-you: what changed because of the customer, and thanks; the top signs the variant
    ("thank-you-after-fix", "thank-agent", "ja"): [
        "見直しました",
        "{d:today}から",
        "御礼申し上げます",
    ],
    ("thank-you-after-fix", "thank-agent", "en"): ["As of {d:today}", "Thank you"],
    ("thank-you-after-fix", "thank-top", "ja"): [
        "代表取締役社長　高橋 一郎",
        "深く感謝申し上げます",
    ],
    ("thank-you-after-fix", "thank-top", "en"): ["President, Sample Trading Company", "Thank you"],
    # progress: where it stands and the next date
    ("progress-update", "update", "ja"): ["■現在の状況", "{dt:in 2 working days 15:00}までに"],
    ("progress-update", "update", "en"): ["{d:in 2 working days 15:00}"],
    # product-defect: sorry for the inconvenience, never a fault; the check by visit or remotely
    ("product-defect", "first-reply", "ja"): [
        "ご不便をおかけしており、誠に申し訳ございません",
        "請求書の印刷が止まっているとのこと",
        "お仕事にもご迷惑",
        "{dt:next working day 10:00}に、私、佐藤がお伺いします",
    ],
    ("product-defect", "first-reply", "en"): [
        "I am very sorry for the inconvenience",
        "affects your work",
        "I will visit you at {t:next working day 10:00} on {d:next working day 10:00}",
    ],
    ("product-defect", "proposal", "ja"): [
        "■確認して分かったこと",
        "■対応",
        "{dt:in 3 working days 14:00}",
    ],
    ("product-defect", "proposal", "en"): [
        "What we found",
        "What we will do",
        "{t:in 3 working days 14:00} on {d:in 3 working days 14:00}",
    ],
    ("product-defect", "closing", "ja"): ["誠に申し訳ございませんでした", "ありがとうございました"],
    ("product-defect", "closing", "en"): ["I am sorry once more", "Thank you"],
    # threat: the decided answer, neither stop nor encourage; 3 round trips, about 20 minutes
    ("threat", "call-script", "ja"): [
        "お客様：株式会社ミナト物産　総務部　部長　山田 太郎 様",
        "止めることも、勧めることもしません",
        "ご判断は、お任せいたします",
        "3回（3往復）まで",
        "20分程度まで",
    ],
    ("threat", "call-script", "en"): [
        "Neither stop the customer nor encourage them",
        "We leave it to you",
        "at most 3 times (3 round trips)",
        "about 20 minutes at most",
    ],
    ("threat", "written-reply", "ja"): [
        "お任せいたします",
        "お止めすることはできません",
        "お電話を差し上げ",
    ],
    ("threat", "written-reply", "en"): [
        "we leave it to you",
        "I will call you by {dt:next working day 15:00}",
    ],
    ("threat", "record", "ja"): ["■お客様の言葉", "を2回伝えました", "約18分"],
    ("threat", "record", "en"): ["Their words", "2 times", "about 18 minutes"],
    # escalation: facts, severity and urgency, what was done, the decision needed and by when
    ("escalation", "report", "ja"): [
        "山田 太郎 様",
        "■重要度と緊急度",
        "■ここまでの対応",
        "■お願いしたい判断",
        "{dt:next working day 12:00}までに、ご判断をお願いします",
    ],
    ("escalation", "report", "en"): [
        "Alex Morgan",
        "SEVERITY AND URGENCY",
        "DONE SO FAR",
        "DECISION NEEDED",
        "by {dt:next working day 12:00}",
    ],
    # review: short, public, moves to a private channel, never asks to take it down
    ("review-reply", "public-reply", "ja"): [
        "申し訳ございません",
        "ご連絡いただけますか",
    ],
    ("review-reply", "public-reply", "en"): ["sorry", "call us"],
}


def dated(phrase: str, lang: str) -> str:
    """A phrase whose {dt:SPEC}, {d:SPEC} or {t:SPEC} is the date and time, the date, or the
    time of SPEC (an example's relative form) as a letter of ``lang`` writes it today."""
    from datetime import date

    from claimkit.values import dates

    today = date.today()

    def written(m: re.Match[str]) -> str:
        kind, spec = m.group(1), m.group(2)
        if kind == "d" and ":" not in spec:
            return dates.format_date(dates.parse_date(spec, today), lang, today)
        value = dates.parse_datetime(spec, today)
        if kind == "d":
            return dates.format_date(value.date(), lang, today)
        if kind == "t":
            return dates.format_time(value.time(), lang)
        return dates.format_datetime(value, lang, today)

    return re.sub(r"\{(dt|d|t):([^}]+)\}", written, phrase)


@pytest.mark.parametrize(
    ("key", "phrases"),
    list(MUST_SAY.items()),
    ids=lambda x: "/".join(x) if isinstance(x, tuple) else "",
)
def test_what_each_message_must_say(key: tuple[str, str, str], phrases: list[str]) -> None:
    scenario, step, lang = key
    body = str(draft(scenario, step, lang)["body"])
    for phrase in map(dated, phrases, [lang] * len(phrases)):
        assert phrase in body, f"{phrase!r} missing from {scenario}/{step} ({lang}):\n{body}"


MUST_NOT_SAY = {
    "ja": [
        "欠陥",
        "弊社の責任",
        "全額返金",
        "しかしながら",
        "仕様上",
        "お控えください",
        "法的措置",
    ],
    "en": [
        "defective",
        "our fault",
        "full refund",
        "unfortunately",
        "per our policy",
        "legal action",
    ],
}


@pytest.mark.parametrize(("scenario", "step", "lang"), STEPS)
def test_no_message_admits_fault_makes_excuses_or_pressures(
    scenario: str, step: str, lang: str
) -> None:
    body = str(draft(scenario, step, lang)["body"]).lower()
    for phrase in MUST_NOT_SAY[lang]:
        assert phrase.lower() not in body, f"{phrase!r} in {scenario}/{step} ({lang})"


def test_a_switch_turns_a_section_on_and_off() -> None:
    on = str(draft("phone-handoff", "call-script", "ja", "--set", "caller_on_mobile=yes")["body"])
    off = str(draft("phone-handoff", "call-script", "ja", "--set", "caller_on_mobile=no")["body"])
    assert "お掛け直しいたします" in on and "お掛け直しいたします" not in off
    visit = str(draft("product-defect", "first-reply", "ja")["body"])
    remote = str(
        draft("product-defect", "first-reply", "ja", "--set", "check_method=remote")["body"]
    )
    assert "お伺いします" in visit and "お電話を差し上げます" in remote
    for kind, words in (
        ("consumer-center", "消費生活センター"),
        ("online", "インターネット"),
        ("lawyer", "弁護士"),
    ):
        reply = str(draft("threat", "written-reply", "ja", "--set", f"threat_kind={kind}")["body"])
        assert words in reply
    b2b = str(draft("apology", "first-reply", "ja")["body"])
    personal = [f"customer_{name}=" for name in ("company", "department", "title")]
    b2c = str(
        draft("apology", "first-reply", "ja", *(x for p in personal for x in ("--set", p)))["body"]
    )
    assert b2b.startswith("株式会社ミナト物産\n総務部\n部長　山田 太郎 様")
    assert b2c.startswith("山田 太郎 様")
