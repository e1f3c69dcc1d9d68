"""What a draft takes from the complaint it answers, and which steps answer it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli, write_playbook
from tests.mailbytes import mail, word
from tests.test_reply_playbook import THREAD_STEP


@pytest.fixture(autouse=True)
def tokyo(config_dir: Path) -> None:
    """The complaints' dates are read in the profile's time zone."""
    (config_dir / "profile.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")


def complaint(
    tmp_path: Path, sender: str | None = None, text: str = "電源が入りません。\n"
) -> Path:
    sender = sender or f"{word('山田 太郎'.encode(), 'UTF-8')} <yamada@example.jp>"
    path = tmp_path / "complaint.eml"
    path.write_bytes(
        mail(
            f"""
From: {sender}
Subject: {word("電源が入らない".encode(), "UTF-8")}
Date: Fri, 4 Dec 2026 09:12:00 +0900
Message-ID: <c-1@example.jp>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
""",
            text.encode(),
        )
    )
    return path


def as_json(*args: str, input: str | None = None) -> dict[str, object]:
    run = cli(["draft", *args, "--no-input", "--format", "json", "--no-check"], input=input)
    assert run.code == 0, run.stderr
    data: dict[str, object] = json.loads(run.stdout)
    return data


def test_values_read_from_the_mail_sit_below_the_data_file_and_set(tmp_path: Path) -> None:
    mail_file = str(complaint(tmp_path))
    read = as_json("apology", "--reply-to", mail_file, "--example")
    variables = read["variables"]
    assert isinstance(variables, dict)
    assert (variables["customer_name"], variables["customer_email"]) == (
        "山田 太郎",
        "yamada@example.jp",
    )
    assert read["to"] == "yamada@example.jp" and read["subject"] == "Re: 電源が入らない"
    assert (read["in_reply_to"], read["references"]) == ("<c-1@example.jp>", ["<c-1@example.jp>"])
    data = tmp_path / "case.yaml"
    data.write_text("customer_name: 山田 花子\n", encoding="utf-8")
    args = ["apology", "--reply-to", mail_file, "--example", "--data", str(data), "--lang", "ja"]
    over = as_json(*args, "--set", "customer_email=hanako@example.jp")
    assert over["to"] == "hanako@example.jp"
    address_block = str(over["body"]).split("\n\n")[0]
    assert address_block.endswith("山田 花子 様")  # the quote's attribution keeps the sender's


def test_a_mail_without_a_display_name_leaves_the_name_to_ask(tmp_path: Path) -> None:
    mail_file = str(complaint(tmp_path, sender="yamada@example.jp"))
    run = cli(["draft", "apology", "--reply-to", mail_file, "--no-input"])
    assert run.code == 2 and "customer_name" in run.stderr
    assert "customer_email" not in run.stderr  # that one the mail gave


def test_a_bad_value_read_from_the_mail_names_the_mail(tmp_path: Path) -> None:
    mail_file = complaint(tmp_path, sender="Yamada <yamada..taro@example.jp>")
    run = cli(["draft", "apology", "--reply-to", str(mail_file), "--no-input", "--example"])
    assert run.code == 2
    assert f"{mail_file}: customer_email: is not an email address" in run.stderr


def test_the_customer_s_words_are_a_variable_templates_can_use(team: Path, tmp_path: Path) -> None:
    template = "{% set subject %}S{% endset %}{{ customer_name }}\n\n「{{ customer_words }}」\n"
    write_playbook(team, "restate", templates={"ja": template, "en": template})
    mail_file = str(complaint(tmp_path, text="電源が\x1b[31m入りません。\n\n至急お願いします。\n"))
    args = [
        "restate",
        "--playbooks",
        str(team),
        "--reply-to",
        mail_file,
        "--example",
        "--lang",
        "ja",
    ]
    body = str(as_json(*args, "--no-quote")["body"])
    # control characters are the customer's: dropped, never refused
    assert body == "山田 太郎\n\n「電源が[31m入りません。\n\n至急お願いします。」\n"
    without = as_json("restate", "--playbooks", str(team), "--example", "--lang", "ja")
    assert without["body"] == "山田 太郎\n\n「」\n"  # optional, never asked


def test_a_report_to_the_manager_starts_its_own_thread(tmp_path: Path) -> None:
    mail_file = str(complaint(tmp_path))
    report = as_json("apology", "--step", "report", "--reply-to", mail_file, "--example")
    assert "in_reply_to" not in report and "references" not in report
    assert not str(report["subject"]).startswith("Re:")  # the template's own subject
    assert ">" not in str(report["body"]) and report["to"] != "yamada@example.jp"
    assert "山田 太郎" in str(report["body"])  # the values read still fill it
    variables = report["variables"]
    assert isinstance(variables, dict)
    assert variables["received_at"] == "2026-12-04 09:12"  # in the profile's time zone


def test_reply_flags_that_do_not_go_together(tmp_path: Path) -> None:
    mail_file = str(complaint(tmp_path))
    cases = [
        (["apology", "--no-quote"], "--no-quote goes with --reply-to"),
        (["apology", "--reply-to", "-", "--data", "-"], "both read stdin"),
        (
            ["apology", "--reply-to", mail_file, "--batch", "-"],
            "a batch's cases name theirs (reply_to)",
        ),
    ]
    for args, message in cases:
        run = cli(["draft", *args, "--example", "--no-input"])
        assert run.code == 2 and message in run.stderr, run.stderr


def test_a_customer_mail_that_says_thread_new_is_not_threaded(team: Path, tmp_path: Path) -> None:
    body = THREAD_STEP.format(id="t", channel="email", audience="customer", thread="new")
    write_playbook(team, "t", body)
    args = ["t", "--playbooks", str(team), "--reply-to", str(complaint(tmp_path)), "--example"]
    data = as_json(*args)
    assert data["subject"] == "S A-1" and "in_reply_to" not in data
    assert data["to"] == "yamada@example.jp"  # still to the customer who wrote
    write_playbook(team, "m")  # a mail to the customer with no thread key: it answers
    default = as_json("m", *args[1:])
    assert (
        default["subject"] == "Re: 電源が入らない" and default["in_reply_to"] == "<c-1@example.jp>"
    )
