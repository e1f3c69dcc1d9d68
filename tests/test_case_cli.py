"""claimkit case: a complaint followed from the mail to the close, through main(), on both engines.

The commands run in-process (tests.conftest.cli); the log is a fresh SQLite file
or a fresh PostgreSQL schema (tests/case_logs.py). Times are given with --at and
--as-of, and the profile fixes the time zone, so due times do not depend on today.
"""

from __future__ import annotations

import csv
import io
import json
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from case_logs import pg_url, sqlite_path, target

from tests.conftest import cli

COMPLAINT_ID = "<case-1@mail.example.net>"


@pytest.fixture
def profile(config_dir: Path) -> Path:
    path = config_dir / "profile.yaml"
    path.write_text(
        "timezone: Asia/Tokyo\nagent_name: 佐藤 花子\ncompany_name: 株式会社サンプル商事\n"
        "agent_email: support@sample-shoji.example.jp\nlang: ja\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def complaint(tmp_path: Path) -> Path:
    m = EmailMessage()
    m["From"] = "高橋 美和 <miwa.takahashi@example.net>"
    m["To"] = "support@sample-shoji.example.jp"
    m["Subject"] = "電気ケトルの電源が入りません"
    m["Date"] = "Fri, 04 Dec 2026 09:12:00 +0900"
    m["Message-ID"] = COMPLAINT_ID
    m.set_content("注文した電気ケトルの電源が入らず、朝の支度に使えませんでした。\n")
    path = tmp_path / "complaint.eml"
    path.write_bytes(bytes(m))
    return path


def case(target: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    run = cli(["case", *args, "--database", target], input=input)
    return run.code, run.stdout, run.stderr


def opened(target: str, complaint: Path, *more: str) -> str:
    code, out, err = case(target, "open", "apology", "--reply-to", str(complaint), *more)
    assert code == 0 and err == "", err
    assert out.endswith("\n") and out.count("\n") == 1  # the id alone
    return out.strip()


def test_a_complaint_mail_from_the_first_reply_to_the_close(
    target: str, complaint: Path, profile: Path
) -> None:
    case_id = opened(target, complaint, "--set", "callback_at=2026-12-07 15:00", "--example")

    code, out, err = case(target, "next", case_id, "--format", "eml")
    assert code == 0, err
    mail = message_from_bytes(out.encode(), policy=policy.default)
    assert mail["In-Reply-To"] == COMPLAINT_ID and mail["References"] == COMPLAINT_ID
    assert mail["Subject"] == "Re: 電気ケトルの電源が入りません"
    assert mail["To"].addresses[0].addr_spec == "miwa.takahashi@example.net"
    assert "12月7日（月）15時までに" in mail.get_content()
    sent_id = mail["Message-ID"]

    code, out, err = case(target, "done", case_id, "--at", "2026-12-04T09:40:00+09:00")
    assert (code, out) == (0, "")
    assert f"{case_id}: 次は report" in err

    # The report to the manager: the complaint's values, no thread with the customer's mail.
    code, out, _ = case(target, "next", case_id, "--format", "json")
    report = json.loads(out)
    assert (report["step"], report["case"], report["in_reply_to"]) == ("report", case_id, None)
    assert report["variables"]["customer_name"] == "高橋 美和"
    assert report["variables"]["received_at"] == "2026-12-04 09:12"

    # A second mail to the customer answers the first reply, in the same thread.
    code, out, _ = case(target, "next", case_id, "--step", "first-reply", "--format", "json")
    again = json.loads(out)
    assert again["in_reply_to"] == sent_id and again["references"] == [COMPLAINT_ID, sent_id]

    # The report was due with the first reply (1 working hour after 09:12): overdue at 10:30.
    code, out, _ = case(target, "list", "--overdue", "--as-of", "2026-12-04 10:30", "-f", "json")
    (row,) = json.loads(out)
    assert (row["id"], row["due_step"], row["next_due"], row["overdue"]) == (
        case_id,
        "report",
        "2026-12-04T01:12:00Z",
        True,
    )
    assert case(target, "list", "--overdue", "--as-of", "2026-12-04T10:00+09:00")[1] == ""

    case(target, "done", case_id, "report", "--at", "2026-12-04 10:05")
    code, out, _ = case(target, "show", case_id, "--format", "json")
    shown = json.loads(out)
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds[:5] == ["opened", "message", "step_done", "first_reply", "step_done"]
    assert shown["events"][2]["message_id"] == sent_id  # the drafted mail, recorded as sent
    call = next(s for s in shown["steps"] if s["id"] == "call")
    assert (call["due_at"], call["promise"]) == ("2026-12-07T06:00:00Z", True)

    assert (
        case(target, "close", case_id, "--note", "交換で解決", "--at", "2026-12-08 11:00")[0] == 0
    )
    code, out, err = case(target, "log", case_id, "もう一件")
    assert code == 2 and err == f"claimkit: error: case {case_id} is closed; nothing was recorded\n"
    (exported,) = [json.loads(line) for line in case(target, "export")[1].splitlines()]
    assert (exported["id"], exported["status"]) == (case_id, "closed")
    code, _, err = case(target, "purge", "--closed-before", "2026-12-09")
    assert code == 0 and "1件を削除しました" in err
    assert case(target, "export")[1] == ""


def test_the_first_reply_quotes_the_complaint_as_claimkit_draft_does(
    sqlite_path: str, complaint: Path, profile: Path
) -> None:
    values = ["--set", "callback_at=2026-12-07 15:00", "--example"]
    case_id = opened(sqlite_path, complaint, *values)
    code, out, err = case(sqlite_path, "next", case_id)
    assert code == 0, err
    quoted = (
        "2026年12月4日(金) 9:12 高橋 美和 様:\n"
        "> 注文した電気ケトルの電源が入らず、朝の支度に使えませんでした。\n"
    )
    assert out.endswith("\n" + quoted)
    drafted = cli(["draft", "apology", "--reply-to", str(complaint), "--no-input", *values])
    assert (drafted.code, drafted.stdout) == (0, out)

    assert quoted not in case(sqlite_path, "next", case_id, "--no-quote")[1]
    assert "> " not in case(sqlite_path, "next", case_id, "--step", "report")[1]
    # what the customer wrote is one of the case's values, for a template that restates it
    shown = json.loads(case(sqlite_path, "show", case_id, "--format", "json")[1])
    assert shown["values"]["customer_words"] == (
        "注文した電気ケトルの電源が入らず、朝の支度に使えませんでした。"
    )


def test_set_values_are_stored_and_a_promised_time_moves_the_due_time(
    sqlite_path: str, complaint: Path, profile: Path
) -> None:
    case_id = opened(sqlite_path, complaint, "--example")
    case(sqlite_path, "done", case_id, "--at", "9:40")
    case(sqlite_path, "done", case_id, "--at", "9:45")
    code, out, err = case(
        sqlite_path,
        "next",
        case_id,
        "--step",
        "first-reply",
        "--set",
        "callback_at=2026/12/8 11:00",
    )
    assert code == 0, err
    assert "12月8日（火）11時までに" in out
    code, out, _ = case(sqlite_path, "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["next_step"], r["next_due"]) for r in rows] == [
        (case_id, "call", "2026-12-08T11:00:00+09:00")
    ]
    # stored: the next draft has it without --set
    assert "12月8日（火）11時までに" in case(sqlite_path, "next", case_id, "-s", "first-reply")[1]


def test_a_threat_case_counts_round_trips_and_drafts_the_record_at_the_limit(
    target: str, profile: Path
) -> None:
    code, out, _ = case(target, "open", "threat", "--example")
    case_id = out.strip()
    for n in (1, 2):
        code, out, err = case(
            target, "log", case_id, f"お任せします（{n}回目）", "--kind", "exchange"
        )
        assert (code, out) == (0, "") and "warning" not in err
    code, out, err = case(target, "log", case_id, "お任せします（3回目）", "--kind", "exchange")
    assert code == 0
    assert "warning: 決めた答えが上限の3往復に達しました（3往復）" in err
    assert "決めた答え（止めも勧めもせず、ご判断はお任せする）を3回伝えました" in out  # the record
    code, out, err = case(target, "log", case_id, "4回目", "--kind", "exchange", "-f", "json")
    logged = json.loads(out)  # past the limit: said again, the record not drafted again
    assert logged["limits_reached"] == [
        {"what": "exchanges", "so_far": 4, "limit": 3, "crossed": False}
    ]
    assert (logged["exchanges"], logged["drafted"]) == (4, None)
    code, out, err = case(
        target, "log", case_id, "長い通話", "--kind", "call", "--minutes", "25", "-f", "json"
    )
    assert "通話が上限の20分に達しました（25分）" in err and "約25分" in json.loads(out)["drafted"]
    code, out, err = case(target, "log", case_id, "メモ")
    assert (out, "warning" in err) == ("", False)  # a note adds to neither count


def test_the_next_step_done_by_hand_is_said_not_drafted(
    sqlite_path: str, complaint: Path, profile: Path
) -> None:
    case_id = opened(sqlite_path, complaint, "--example")
    case(sqlite_path, "done", case_id)
    case(sqlite_path, "done", case_id)
    code, out, err = case(sqlite_path, "next", case_id)
    assert (code, out) == (2, "")
    assert f"the next step of case {case_id}, 'call' (Call right away), is done by hand" in err
    code, out, err = case(sqlite_path, "next", case_id, "--step", "call")
    assert code == 2 and "step 'call' of 'apology' is done by hand" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["next", "K7M4-Q9PX"], "no case 'K7M4-Q9PX'; see 'claimkit case list'"),
        (["show", "k7m4q9px"], "no case 'K7M4-Q9PX'; see 'claimkit case list'"),
        (["next", "NO-SUCH-CASE"], "'NO-SUCH-CASE' is not a case id"),
        (["done", "K7M4-Q9PX", "--at", "someday"], "--at 'someday': not a time"),
        (["list", "--as-of", "25:99"], "--as-of '25:99': hour must be in 0..23"),
        (["open", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
        (["purge"], "give the date: claimkit case purge --closed-before"),
        (["call", "K7M4-Q9PX"], "needs a terminal"),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(
    sqlite_path: str, profile: Path, args: list[str], message: str
) -> None:
    code, out, err = case(sqlite_path, *args)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1, err


def test_call_without_a_terminal_names_case_log(sqlite_path: str, profile: Path) -> None:
    case_id = case(sqlite_path, "open", "threat", "--example")[1].strip()
    code, _, err = case(sqlite_path, "call", case_id)
    assert code == 2 and f'claimkit case log {case_id} "..." --kind call' in err


def test_a_database_url_never_shows_its_password(profile: Path) -> None:
    url = "postgresql://agent:s3cret@127.0.0.1:9/support"
    run = cli(["case", "list", "--database", url])
    assert run.code == 2 and "s3cret" not in run.stderr and "agent:***@" in run.stderr
    assert run.stderr.count("\n") == 1


def test_lists_for_people_and_for_scripts(sqlite_path: str, profile: Path) -> None:
    mine = case(sqlite_path, "open", "threat", "--example")[1].strip()
    theirs = case(sqlite_path, "open", "apology", "--example")[1].strip()
    case(sqlite_path, "close", theirs)
    out = case(sqlite_path, "list", "--open")[1]
    assert [line.split("\t")[:3] for line in out.splitlines()] == [[mine, "threat", "対応中"]]
    out = case(sqlite_path, "list", "--scenario", "apology", "--lang", "en")[1]
    assert out.split("\t")[:3] == [theirs, "apology", "closed"]
    assert len(json.loads(case(sqlite_path, "list", "--mine", "--format", "json")[1])) == 2
    lines = case(sqlite_path, "show", mine)[1].splitlines()
    assert lines[0].startswith(f"{mine}  threat  「消費生活センターに言う」")
    assert any(line.startswith(" → call-script") for line in lines)
    assert "手順" in lines and "経過" in lines


def test_paths_names_the_case_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert f"cases\t{tmp_path / 'claimkit' / 'cases.db'}\n" in cli(["paths"]).stdout
    monkeypatch.setenv("CLAIMKIT_DATABASE_URL", "postgresql://a:pw@db/team")
    assert "cases\tpostgresql://a:***@db/team\n" in cli(["paths"]).stdout


def test_every_case_command_has_help_with_examples() -> None:
    from claimkit.cli.case_options import COMMANDS

    for command in COMMANDS:
        run = cli(["case", command.name, "--help"])
        assert run.code == 0 and "Examples:" in run.stdout, command.name
        assert f"  claimkit case {command.name} " in run.stdout, command.name


def test_a_case_draft_is_wrapped_and_checked_as_claimkit_draft_makes_it(
    sqlite_path: str, profile: Path
) -> None:
    long_point = (
        "注文した電気ケトルが届いてすぐに電源が入らなくなり、"
        "説明書のとおりに何度試しても直らなかった"
    )
    values = ["--example", "--set", f"customer_point={long_point}", "--set", "order_ref=A-1024"]
    case_id = case(sqlite_path, "open", "apology", *values)[1].strip()
    code, out, err = case(sqlite_path, "next", case_id, "--format", "json")
    assert code == 0, err
    made = json.loads(out)
    drafted = json.loads(
        cli(["draft", "apology", "--no-input", "--format", "json", *values]).stdout
    )
    # the same long line, broken at the same phrase as a plain draft breaks it
    assert made["body"] != made["body_unwrapped"]
    assert long_point in made["body_unwrapped"] and long_point not in made["body"]
    (broken,) = [line for line in made["body"].splitlines() if line.startswith(long_point[:10])]
    assert broken in drafted["body"].splitlines()
    assert all(len(line) <= 35 for line in made["body"].splitlines())
