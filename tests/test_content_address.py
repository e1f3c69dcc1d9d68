"""Issue 16: B2B address blocks (company, department, title and name) in the order each
language expects, and the one-line form internal messages use."""

from __future__ import annotations

import pytest

from tests.content import all_messages, draft

PERSONAL = {"customer_company": "", "customer_department": "", "customer_title": ""}
MAILS = [
    (sc, st) for sc, st, channel, aud in all_messages() if channel == "email" and aud == "customer"
]


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_ja_company_department_then_title_and_name(scenario: str, step: str) -> None:
    body = draft(scenario, step).body
    assert body.startswith("株式会社ミナト物産\n総務部\n部長　山田 太郎 様\n\n"), body


@pytest.mark.parametrize(("scenario", "step"), MAILS)
def test_en_name_title_department_company_then_dear(scenario: str, step: str) -> None:
    body = draft(scenario, step, "en").body
    block = (
        "Ms. Alex Morgan\nOffice Manager\nFacilities\nHarbor Supplies Inc.\n\nDear Ms. Morgan,\n"
    )
    assert body.startswith(block), body


@pytest.mark.parametrize(
    ("values", "ja", "en"),
    [
        (PERSONAL, "山田 太郎 様\n\n", "Dear Ms. Morgan,\n\n"),
        (
            {"customer_department": "", "customer_title": ""},
            "株式会社ミナト物産\n山田 太郎 様\n\n",
            "Ms. Alex Morgan\nHarbor Supplies Inc.\n\nDear Ms. Morgan,\n\n",
        ),
        (
            {"customer_department": ""},
            "株式会社ミナト物産\n部長　山田 太郎 様\n\n",
            "Ms. Alex Morgan\nOffice Manager\nHarbor Supplies Inc.\n\nDear Ms. Morgan,\n\n",
        ),
        (
            {"customer_title": ""},
            "株式会社ミナト物産\n総務部\n山田 太郎 様\n\n",
            "Ms. Alex Morgan\nFacilities\nHarbor Supplies Inc.\n\nDear Ms. Morgan,\n\n",
        ),
        (
            {"customer_honorific": "none"},
            "株式会社ミナト物産\n総務部\n部長　山田 太郎 様\n\n",
            "Alex Morgan\nOffice Manager\nFacilities\nHarbor Supplies Inc.\n\n"
            "Dear Alex Morgan,\n\n",
        ),
    ],
    ids=["personal", "company only", "no department", "no title", "no English title"],
)
def test_the_block_leaves_out_what_is_not_given(values: dict[str, str], ja: str, en: str) -> None:
    assert draft("apology", "first-reply", **values).body.startswith(ja)
    assert draft("apology", "first-reply", "en", **values).body.startswith(en)


def test_a_full_width_space_between_family_and_given_name() -> None:
    body = draft("thank-you-after-fix", "thank-agent", customer_name="山田\u3000太郎").body
    assert "山田様のおかげで" in body


@pytest.mark.parametrize(
    ("scenario", "step"),
    [
        ("apology", "report"),
        ("escalation", "report"),
        ("our-fault", "report"),
        ("threat", "record"),
        ("threat", "call-script"),
        ("phone-handoff", "call-script"),
        ("product-defect", "fact-check"),
        ("manager-call", "call-script"),
        ("decision", "call-script"),
    ],
)
def test_internal_messages_name_the_customer_on_one_line(scenario: str, step: str) -> None:
    assert "株式会社ミナト物産　総務部　部長　山田 太郎 様\n" in draft(scenario, step).body
    en = draft(scenario, step, "en").body
    assert "Alex Morgan, Office Manager, Facilities, Harbor Supplies Inc.\n" in en
