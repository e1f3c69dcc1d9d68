"""Issue 16: a report to the manager (and the top) carries the time received, severity and
urgency, the impact on the customer's business, and says 【至急】 when urgency is high."""

from __future__ import annotations

import pytest

from tests.content import draft

REPORTS = ["apology", "escalation", "our-fault"]
TIME = {"received_at": "2026-11-24 9:40"}


@pytest.mark.parametrize("scenario", REPORTS)
def test_ja_report_carries_time_severity_urgency_and_impact(scenario: str) -> None:
    body = draft(
        scenario, "report", **TIME, impact="月末の請求書が出せず、経理の12人が待っている"
    ).body
    assert "■受付\n2026年11月24日（火）9時40分" in body
    assert "■重要度と緊急度\n重要度：" in body and "\n緊急度：" in body
    assert "■お客様への影響\n月末の請求書が出せず、経理の12人が待っている" in body


@pytest.mark.parametrize("scenario", REPORTS)
def test_en_report_carries_time_severity_urgency_and_impact(scenario: str) -> None:
    body = draft(scenario, "report", "en", **TIME, impact="they cannot close the month").body
    assert "Received: 9:40 a.m. on Tuesday, November 24" in body
    assert "\nSeverity: " in body and "\nUrgency: " in body
    assert "Impact on the customer: they cannot close the month" in body


@pytest.mark.parametrize("scenario", REPORTS)
@pytest.mark.parametrize(
    ("urgency", "ja", "en"),
    [
        ("high", "【至急】", "[Urgent] "),
        ("medium", "【報告】", "[Report] "),
        ("low", "【報告】", "[Report] "),
    ],
)
def test_the_subject_says_urgent_when_urgency_is_high(
    scenario: str, urgency: str, ja: str, en: str
) -> None:
    assert draft(scenario, "report", urgency=urgency).subject.startswith(ja)
    assert draft(scenario, "report", "en", urgency=urgency).subject.startswith(en)


@pytest.mark.parametrize(
    ("level", "ja_severity", "ja_urgency"),
    [
        ("high", "重要度：高", "緊急度：高"),
        ("medium", "重要度：中", "緊急度：中"),
        ("low", "重要度：低", "緊急度：低"),
    ],
)
def test_each_level_reads_as_a_level(level: str, ja_severity: str, ja_urgency: str) -> None:
    body = draft("escalation", "report", severity=level, urgency=level).body
    assert ja_severity in body and ja_urgency in body
    en = draft("escalation", "report", "en", severity=level, urgency=level).body
    assert f"Severity: {level}." in en and f"Urgency: {level}." in en


def test_the_first_report_goes_to_the_top_too() -> None:
    ja = draft("apology", "report").body
    assert ja.startswith("鈴木課長\n（CC：高橋社長）\n")
    en = draft("apology", "report", "en").body
    assert en.startswith("Morgan Chen,\n(cc: Taylor Brooks)\n")
    assert draft("apology", "report", report_cc="").body.startswith("鈴木課長\n\n")


def test_the_follow_up_counts_from_the_day_received() -> None:
    body = draft("escalation", "follow-up", **TIME).body
    assert "2026年11月24日（火）に受付" in body
