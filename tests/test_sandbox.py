"""Templates are untrusted: a team folder may come from anyone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli, write_playbook

ESCAPES = [
    "{{ customer_name.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__ }}",
    "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
    "{{ lipsum.__globals__['os'].system('echo pwned') }}",
    "{% set x = namespace() %}{{ x.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ customer_name.format.__globals__ }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_python_internals_are_refused(team: Path, source: str) -> None:
    write_playbook(team, "evil", templates={"en": f"{{{{ customer_name }}}}\n{source}\n"})
    run = cli(
        ["draft", "evil", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 2, run.stdout
    assert "pwned" not in run.stdout
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("claimkit: error: ")
    assert "evil/mail.j2:2" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_unsafe_access_message_says_what_happened(team: Path) -> None:
    write_playbook(team, "evil", templates={"en": "{{ customer_name.__class__ }}\n"})
    run = cli(
        ["draft", "evil", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert "refused: the template reached for Python internals" in run.stderr


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "../secret.txt"])
def test_includes_cannot_leave_the_templates_folder(team: Path, name: str) -> None:
    (team / "secret.txt").write_text("TOP SECRET")
    write_playbook(
        team, "peek", templates={"en": f'{{{{ customer_name }}}}\n{{% include "{name}" %}}\n'}
    )
    run = cli(
        ["draft", "peek", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 2
    assert "TOP SECRET" not in run.stdout and "root:" not in run.stdout
    assert "not found" in run.stderr


def test_symlinks_out_of_the_templates_folder_are_refused(team: Path) -> None:
    secret = team.parent / "secret.txt"
    secret.write_text("TOP SECRET")
    write_playbook(
        team, "peek", templates={"en": '{{ customer_name }}\n{% include "_leak.j2" %}\n'}
    )
    (team / "templates" / "en" / "_leak.j2").symlink_to(secret)
    run = cli(
        ["draft", "peek", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 2
    assert "TOP SECRET" not in run.stdout
    assert "leads outside the content folder" in run.stderr


def test_a_symlink_inside_the_folder_is_fine(team: Path) -> None:
    write_playbook(
        team, "late", templates={"en": '{{ customer_name }}\n{% include "_alias.j2" %}\n'}
    )
    real = team / "templates" / "en" / "_real.j2"
    real.write_text("shared words\n")
    (team / "templates" / "en" / "_alias.j2").symlink_to(real)
    run = cli(
        ["draft", "late", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 0, run.stderr
    assert "shared words" in run.stdout


def test_team_template_can_extend_the_builtin_one(team: Path) -> None:
    write_playbook(team, "late")
    override = team / "templates" / "en" / "_signature.j2"
    override.write_text("-- \nThe Late Team\n")
    run = cli(
        ["draft", "apology", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 0
    assert run.stdout.endswith("Kind regards,\n\n-- \nThe Late Team\n")
    builtin = team / "templates" / "en" / "apology"
    builtin.mkdir()
    (builtin / "first-reply.j2").write_text(
        '{% extends "builtin:apology/first-reply.j2" %}\n', encoding="utf-8"
    )
    run = cli(
        ["draft", "apology", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 0, run.stderr
    assert "I am very sorry for the inconvenience" in run.stdout


def test_a_playbook_cannot_run_a_command(team: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    evil = f"id: evil\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
    (team / "playbooks" / "evil.yaml").write_text(evil)
    run = cli(["draft", "evil", "--example", "--no-input", "--playbooks", str(team)])
    assert run.code == 2
    assert not marker.exists()
    assert "evil.yaml:2" in run.stderr
