"""Issue 16: public review replies at most about 200 characters (ja, non-space) or 50 words
(en), and first replies under about 150 words (en), with the example values and long ones."""

from __future__ import annotations

import pytest

from tests.content import draft, letter, long_values, non_space, words

CHANNELS = ["phone", "email", "form"]
LONG_CONTACT = {
    "phone": {
        "contact_point": "0120-123-456（代表）",
        "business_hours": "平日 9時〜18時（祝日を除く）",
    },
    "email": {"contact_point": "customer-support@sample-shoji.example.jp"},
    "form": {"contact_point": "https://www.sample-shoji.example.jp/support/contact"},
}
LONG_CONTACT_EN = {
    "phone": {
        "contact_point": "+1 555 0100 ext. 42",
        "business_hours": "weekdays, 9 a.m. to 6 p.m.",
    },
    "email": {"contact_point": "customer-support@sample-trading.example.com"},
    "form": {"contact_point": "https://www.sample-trading.example.com/support/contact"},
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("long", [False, True], ids=["example", "long"])
def test_ja_public_review_reply_is_at_most_200_characters(channel: str, long: bool) -> None:
    values = {"contact_channel": channel}
    if long:
        values |= long_values("review-reply", "public-reply", "ja") | LONG_CONTACT[channel]
    body = draft("review-reply", "public-reply", **values).body
    assert non_space(body) <= 200, (non_space(body), body)
    assert "いただけますか" in body and "いただけますでしょうか" not in body


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("long", [False, True], ids=["example", "long"])
def test_en_public_review_reply_is_at_most_50_words(channel: str, long: bool) -> None:
    values = {"contact_channel": channel}
    if long:
        values |= long_values("review-reply", "public-reply", "en") | LONG_CONTACT_EN[channel]
    body = draft("review-reply", "public-reply", "en", **values).body
    assert words(body) <= 50, (words(body), body)


def test_the_public_reply_keeps_the_complaint_itself_private() -> None:
    # the whole complaint and the order number go only into the private reply
    for lang in ("ja", "en"):
        public = draft("review-reply", "public-reply", lang).body
        private = draft("review-reply", "private-reply", lang).body
        point = "朝の支度に使えなかった" if lang == "ja" else "before work"
        assert point not in public and point in private
        assert "A-1024" not in public


FIRST_REPLIES = [
    ("apology", "first-reply"),
    ("product-defect", "first-reply"),
    ("our-fault", "first-reply"),
    ("threat", "written-reply"),
    ("phone-handoff", "propose-call"),
    ("phone-first", "confirm-mail"),
]


@pytest.mark.parametrize(("scenario", "step"), FIRST_REPLIES)
@pytest.mark.parametrize("long", [False, True], ids=["example", "long"])
def test_en_first_replies_are_under_150_words(scenario: str, step: str, long: bool) -> None:
    values = long_values(scenario, step, "en") if long else {}
    drafted = draft(scenario, step, "en", **values)
    assert words(letter(drafted.body)) <= 150, (words(letter(drafted.body)), drafted.body)
    assert drafted.stderr == "", drafted.stderr  # and still clean under the check
