"""Issue 16, "Scenarios the practice describes that are missing": each new scenario is listed,
renders in both languages, comes out of the check clean, and says what the practice asks."""

from __future__ import annotations

import re

from tests.content import draft, messages, scenarios

NEW = ["our-fault", "manager-call", "decision", "phone-first", "closing"]
NEW_MESSAGES = [(sc, st) for sc in NEW for st, _, _ in messages(sc)]
JA_DATE = r"\d+年\d+月\d+日（.）"


def test_at_least_eleven_scenarios_and_the_new_ones_listed() -> None:
    listed = scenarios()
    assert len(listed) >= 11
    assert set(NEW) <= set(listed)


def test_each_new_scenario_drafts_in_both_languages() -> None:
    for scenario in NEW:
        assert messages(scenario), scenario


# our-fault: the apology is for the fault itself, and the remedy is offered at once


def test_our_fault_apologises_for_the_fault_and_offers_the_remedy_ja() -> None:
    body = draft("our-fault", "first-reply").body
    assert "すぐにお調べしました。\n弊社の確認不足により" in body
    assert "山田様には、大変ご迷惑をおかけし、\n誠に申し訳ございません。" in body
    assert "弊社の落ち度ですので、すぐに次のとおり対応いたします。" in body
    assert "正しいMサイズのポロシャツ20枚を、本日、速達で発送いたします。" in body
    assert re.search(JA_DATE + r"\d+時までに、すべて完了いたします。", body)
    assert draft("our-fault", "first-reply").subject.startswith(
        "【お詫び】ご注文と異なる商品のお届け"
    )


def test_our_fault_apologises_for_the_fault_and_offers_the_remedy_en() -> None:
    body = draft("our-fault", "first-reply", "en").body
    assert (
        "you are right: we packed the wrong size without comparing the box with your order" in body
    )
    assert "I am very sorry for this mistake." in body
    assert "Here is what we are doing to put it right:" in body
    assert re.search(r"It will all be done by \w+day, \w+ \d+, at ", body)


def test_our_fault_a_rude_remark_by_staff() -> None:
    ja = draft("our-fault", "first-reply", fault_kind="staff-conduct")
    assert "大変ご不快な思いを" in ja.body and ja.subject.startswith("【お詫び】弊社スタッフの応対")
    en = draft("our-fault", "first-reply", "en", fault_kind="staff-conduct")
    assert "No customer should be treated that way." in en.body
    assert draft("our-fault", "first-reply", fault_kind="double-charge").subject.startswith(
        "【お詫び】二重のご請求"
    )


def test_our_fault_done_and_report() -> None:
    done = draft("our-fault", "done").body
    assert "すべて完了いたしました" in done and "ようにいたしました" in done
    assert "ようにいたしました" not in draft("our-fault", "done", change_made="").body
    report = draft("our-fault", "report").body
    assert "■落ち度\nご注文と異なる商品のお届け" in report and "■お客様にお伝えした対応" in report


# manager-call: the manager or the top calls, apologises as the person responsible


def test_manager_call_script() -> None:
    body = draft("manager-call", "call-script").body
    assert "株式会社サンプル商事 お客様相談室長の鈴木でございます" in body
    assert "担当の佐藤から報告を受け、お電話いたしました" in body
    assert "責任者として心よりお詫び申し上げます" in body
    assert "解決策や新しい約束は、その場で口にしません" in body
    assert re.search(JA_DATE + r"\d+時までに、私からご連絡いたします", body)
    by_agent = draft("manager-call", "call-script", answer_from="agent").body
    assert re.search(JA_DATE + r"\d+時までに、担当の佐藤からご連絡いたします", by_agent)
    en = draft("manager-call", "call-script", "en").body
    assert "As the person responsible for our team" in en and "Do not offer a remedy" in en


# decision: the call that gives the decision, and the confirming mail


def test_decision_call_and_confirming_mail_say_the_same() -> None:
    remedy = "ご注文の代金8,800円を、ご指定の口座へお返しいたします。"
    script = draft("decision", "call-script").body
    mail = draft("decision", "confirm-mail").body
    assert "弊社で検討した対応をお伝えいたします" in script and remedy in script
    assert "反論も、その場での上乗せもしません" in script
    assert re.search(r"上司と検討し、" + JA_DATE + r"\d+時までにご連絡いたします", script)
    assert f"■対応\n{remedy}" in mail and "■お願い\nお手数ですが" in mail
    assert "■お願い" not in draft("decision", "confirm-mail", customer_action="").body
    en_script = draft("decision", "call-script", "en").body
    en_mail = draft("decision", "confirm-mail", "en").body
    for body in (en_script, en_mail):
        assert "We will return the $89 you paid to the card you used." in body


# phone-first: the mail after the call confirms what was heard and what happens next


def test_phone_first_confirms_what_was_heard() -> None:
    body = draft("phone-first", "confirm-mail").body
    assert "■伺ったこと\n・お届けした電気ケトルの電源が入らず" in body
    assert "■ご要望\n同じ製品の新品と交換してほしい" in body
    assert "聞き違いがございましたら" in body
    assert re.search(JA_DATE + r"\d+時までに、私（佐藤）から\nお電話でお返事いたします", body)
    assert "メールでお返事" in draft("phone-first", "confirm-mail", answer_channel="email").body
    en = draft("phone-first", "confirm-mail", "en").body
    assert "If I have misheard anything" in en and "What you would like: a new kettle" in en


# closing: what was offered, the door left open, not cold


def test_closing_states_the_offers_and_leaves_the_door_open() -> None:
    body = draft("closing", "closing-mail").body
    assert "・ご注文の代金8,800円のご返金" in body and "・同じ製品の新品とのお取り替え" in body
    assert re.search(JA_DATE + r"まではいつでもお受けいたします", body)
    assert "どうぞご遠慮なくご連絡ください" in body
    assert "ありがとうございました" in body and "申し訳ございません" in body
    for cold in ("これ以上", "いたしかねます", "終了とさせて", "最終"):
        assert cold not in body
    en = draft("closing", "closing-mail", "en").body
    assert "remains open to you until" in en and "please do get in touch" in en
    for cold in ("now closed", "final", "no further"):
        assert cold not in en.lower()
