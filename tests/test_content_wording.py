"""Issue 16, "Wording to fix": each point pinned on the rendered drafts, in both languages."""

from __future__ import annotations

import re

import pytest

from tests.content import all_messages, draft

MAILS = [
    (sc, st) for sc, st, channel, aud in all_messages() if channel == "email" and aud == "customer"
]
SCRIPTS = [(sc, st) for sc, st, channel, _ in all_messages() if channel in ("phone", "visit")]
EVERY = [(sc, st) for sc, st, _, _ in all_messages()]
# Signed by the top, who rightly speaks of the agent as 担当の佐藤.
SIGNED_BY_AGENT = [m for m in MAILS if m != ("thank-you-after-fix", "thank-top")]


@pytest.mark.parametrize(("scenario", "step"), SIGNED_BY_AGENT)
def test_ja_the_writer_never_names_herself_in_the_third_person(scenario: str, step: str) -> None:
    body = draft(scenario, step).body
    assert "担当の佐藤" not in body, body
    assert not re.search(r"担当の[^\s、。]{1,10}(より|が|から)", body), body


def test_ja_the_writer_says_watashi_with_her_surname() -> None:
    assert "私（佐藤）から" in draft("apology", "first-reply").body
    assert "私、佐藤がお伺いします" in draft("product-defect", "first-reply").body
    remote = draft("product-defect", "first-reply", check_method="remote").body
    assert "私（佐藤）からお電話を差し上げます" in remote
    for scenario, step in [
        ("progress-update", "update"),
        ("review-reply", "private-reply"),
        ("threat", "written-reply"),
        ("our-fault", "first-reply"),
        ("phone-first", "confirm-mail"),
        ("decision", "confirm-mail"),
    ]:
        assert "私（佐藤）から" in draft(scenario, step).body, (scenario, step)


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_ja_after_the_salutation_only_the_surname(scenario: str, step: str) -> None:
    body = draft(scenario, step).body
    _, _, rest = body.partition("山田 太郎 様\n")
    assert rest, body
    assert "山田 太郎" not in rest and "太郎" not in rest, rest


def test_ja_the_surname_where_the_body_names_the_customer() -> None:
    assert "山田様のおかげで" in draft("thank-you-after-fix", "thank-agent").body
    top = draft("thank-you-after-fix", "thank-top").body
    assert "山田様に大変なご不便" in top and "山田様のお声" in top
    assert "担当の佐藤から報告を受けております" in top  # the top speaks of the agent by surname


WRONG = [
    "御社",
    "お話をお聞き",
    "弊社で決めた",
    "確かめたい",
    "一緒に確かめ",
    "いただけますでしょうか",
]


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_ja_customer_mails_keep_written_keigo(scenario: str, step: str) -> None:
    body = draft(scenario, step).body
    assert not [wrong for wrong in WRONG if wrong in body], body


def test_ja_the_forms_that_replace_them() -> None:
    assert "貴社へお伺いすることもできます" in draft("phone-handoff", "propose-call").body
    assert "弊社で検討した対応" in draft("product-defect", "proposal").body
    assert (
        "ご一緒に確認いたします"
        in draft("product-defect", "first-reply", check_method="remote").body
    )
    assert "確認したく存じます" in draft("product-defect", "first-reply").body
    assert "詳しくお話を伺いたく" in draft("review-reply", "public-reply").body
    assert "わざわざご連絡をいただき" in draft("review-reply", "private-reply").body
    assert "お手数をおかけしてご連絡" not in draft("review-reply", "private-reply").body


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_no_redundant_subject(scenario: str, step: str) -> None:
    for lang in ("ja", "en"):
        subject = draft(scenario, step, lang).subject
        assert "の件について" not in subject and "の件につきまして" not in subject
        assert not re.search(r"[（(][^）)]*[（(][^）)]*[）)][）)]", subject), subject  # （…（…））


@pytest.mark.parametrize("mobile", ["yes", "no"])
def test_a_call_we_place_does_not_open_with_omatase(mobile: str) -> None:
    ja = draft("phone-handoff", "call-script", caller_on_mobile=mobile).body
    en = draft("phone-handoff", "call-script", "en", caller_on_mobile=mobile).body
    assert "お待たせいたしました" not in ja and "Thank you for waiting" not in en
    if mobile == "yes":
        assert "先ほどはお電話をいただき、ありがとうございました" in ja
        assert "calling you back" in en


@pytest.mark.parametrize(("scenario", "step"), SCRIPTS)
def test_a_script_never_tells_the_agent_to_run_a_command(scenario: str, step: str) -> None:
    for lang in ("ja", "en"):
        body = draft(scenario, step, lang).body
        assert "claimkit" not in body and "--step" not in body


@pytest.mark.parametrize(
    ("scenario", "step"),
    [
        ("phone-handoff", "call-script"),
        ("manager-call", "call-script"),
        ("decision", "call-script"),
    ],
)
def test_a_call_script_asks_for_the_customer_by_surname(scenario: str, step: str) -> None:
    assert "「山田様でいらっしゃいますか。」" in draft(scenario, step).body
    assert '"Am I speaking with Ms. Morgan?"' in draft(scenario, step, "en").body


def test_ja_severity_and_urgency_are_juuyoudo_and_kinkyuudo() -> None:
    for scenario in ("escalation", "apology", "our-fault"):
        step = "report"
        body = draft(scenario, step, severity="high", urgency="high").body
        assert "重要度：高" in body and "緊急度：高" in body, body
        assert "重さ" not in body and "急ぎ：" not in body


@pytest.mark.parametrize("step", ["thank-agent", "thank-top"])
@pytest.mark.parametrize(
    "values",
    [{}, {"top_title": "代表取締役社長執行役員", "top_name": "勅使河原 一郎"}],
)
def test_ja_thank_you_subjects_are_short(step: str, values: dict[str, str]) -> None:
    from tests.content import full_width

    subject = draft("thank-you-after-fix", step, **values).subject
    assert subject.startswith("【御礼】")
    assert full_width(subject) <= 30, subject


# English


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_en_dear_title_and_surname(scenario: str, step: str) -> None:
    body = draft(scenario, step, "en").body
    assert "\nDear Ms. Morgan,\n" in body and "Dear Alex" not in body, body


def test_en_dear_falls_back_to_the_full_name() -> None:
    assert draft("apology", "first-reply", "en", customer_honorific="none").body.count(
        "Dear Alex Morgan,"
    )
    assert "Dear Alex Morgan," in draft("apology", "first-reply", "en", customer_honorific="").body
    watanabe = draft(
        "apology", "first-reply", "en", customer_name="Kenji Watanabe", customer_honorific="Mr."
    ).body
    assert "\nDear Mr. Watanabe,\n" in watanabe and "Mr. Kenji Watanabe\n" in watanabe


def test_en_a_public_reply_greets_by_first_name_or_not_at_all() -> None:
    body = draft("review-reply", "public-reply", "en").body
    assert body.startswith("Hi Alex,\n") and "Dear" not in body and "Alex M." not in body
    bare = draft("review-reply", "public-reply", "en", reviewer_handle="").body
    assert bare.startswith("Thank you for your review")


@pytest.mark.parametrize("step", ["call-script", "written-reply"])
def test_en_the_decided_answer_to_a_lawyer_threat(step: str) -> None:
    body = draft("threat", step, "en", threat_kind="lawyer").body
    assert "Whether to consult a lawyer is entirely your decision." in body
    for kind, words in (
        ("consumer-center", "contact the consumer center"),
        ("online", "write about this online"),
    ):
        assert (
            f"Whether to {words} is entirely your decision."
            in draft("threat", step, "en", threat_kind=kind).body
        )


@pytest.mark.parametrize(("scenario", "step"), EVERY)
def test_en_no_curt_or_stiff_stock_phrases(scenario: str, step: str) -> None:
    body = draft(scenario, step, "en").body
    for phrase in ("forgive the overlap", "is your choice", "Whether you speak to a lawyer"):
        assert phrase not in body


def test_en_the_crossing_call_is_said_warmly() -> None:
    body = draft("apology", "first-reply", "en").body
    crossing = "This email and my call may cross; if they do, I hope you will not mind"
    assert f"{crossing} hearing from me twice." in body


# The threat reply: the decided answer after the acknowledgement, before what we keep doing.


def test_threat_reply_order_ja() -> None:
    body = draft("threat", "written-reply").body
    acknowledged = body.index("重く受け止めております")
    decided = body.index("ご判断は、お任せいたします")
    keep_doing = body.index("私どもは、このまま対応を続けてまいります")
    date = re.search(r"\d+年\d+月\d+日（.）\d+時までに、私（佐藤）から\nお電話を差し上げ", body)
    assert date, body
    assert acknowledged < decided < keep_doing < date.start()


def test_threat_reply_order_en() -> None:
    body = draft("threat", "written-reply", "en").body
    acknowledged = body.index("I take your words seriously")
    decided = body.index("we leave it to you")
    keep_doing = body.index("we are carrying on with your case")
    date = re.search(r"I will call you by \w+day, \w+ \d+, at \d+(:\d\d)? [ap]\.m\.", body)
    assert date, body
    assert acknowledged < decided < keep_doing < date.start()
