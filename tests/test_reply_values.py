"""The mail layer of a draft's values: above the profile, below the data file and --set."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from claimkit.content.catalog import Catalog
from claimkit.errors import InputError
from claimkit.paths import builtin_root
from claimkit.values.resolve import Sources, resolve

TODAY = date(2026, 12, 4)


def values(**layers: object) -> dict[str, object]:
    playbook = Catalog([builtin_root()]).load("apology")
    only = {"customer_name", "customer_email", "received_at"}
    sources = Sources(example=True, mail_name="complaint.eml", **layers)  # type: ignore[arg-type]
    return resolve(playbook, "ja", sources, TODAY, only=only).values


MAIL = {
    "customer_name": "山田 太郎",
    "customer_email": "yamada@example.jp",
    "received_at": datetime(2026, 12, 3, 23, 50),
}


def test_the_mail_wins_over_the_profile_and_loses_to_data_and_set() -> None:
    profile = {"customer_name": "プロフィール", "customer_email": "p@example.jp"}
    assert values(profile=profile, mail=MAIL) == {
        "customer_name": "山田 太郎",
        "customer_email": "yamada@example.jp",
        "received_at": datetime(2026, 12, 3, 23, 50),  # the wall-clock time it was read in
    }
    found = values(
        mail=MAIL, data={"customer_name": "山田 花子"}, overrides={"received_at": "12/1 10:00"}
    )
    assert found["customer_name"] == "山田 花子" and found["received_at"] == datetime(
        2026, 12, 1, 10
    )
    # a None in the data file is a value not given: the mail's stays
    assert values(mail=MAIL, data={"customer_email": None})["customer_email"] == "yamada@example.jp"


def test_a_bad_value_from_the_mail_names_the_mail() -> None:
    with pytest.raises(InputError, match=r"^complaint\.eml: customer_email: is not an email"):
        values(mail={**MAIL, "customer_email": "yamada..taro@example.jp"})
