"""The `surname` and `given_name` filters templates use to address a person by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli, write_playbook

NAMES = [
    ("山田 太郎", "山田", "太郎"),
    ("山田\u3000太郎", "山田", "太郎"),  # a full-width space, as Japanese input methods type it
    ("髙橋 一郎", "髙橋", "一郎"),
    ("Alex Morgan", "Morgan", "Alex"),
    ("Mary Ann Smith", "Smith", "Mary Ann"),
    ("Alex M.", "M.", "Alex"),
    ("Kenji Watanabe", "Watanabe", "Kenji"),
    ("たろう", "たろう", "たろう"),  # one word: returned whole
    ("Madonna", "Madonna", "Madonna"),
    ("山田太郎", "山田太郎", "山田太郎"),  # no space: there is no telling where to split
]


@pytest.mark.parametrize(("name", "surname", "given"), NAMES)
def test_surname_and_given_name(team: Path, name: str, surname: str, given: str) -> None:
    template = "[{{ customer_name|surname }}][{{ customer_name|given_name }}]\n"
    write_playbook(team, "names", templates={"ja": template, "en": template})
    for lang in ("ja", "en"):
        args = ["--lang", lang, "--example", "--no-input", "--set", f"customer_name={name}"]
        run = cli(["draft", "names", "--playbooks", str(team), "--no-check", *args])
        assert run.code == 0, run.stderr
        assert run.stdout == f"[{surname}][{given}]\n"
