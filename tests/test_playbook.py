"""The playbook schema: what a team lead writes, and the errors that point at the line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimkit.content.catalog import Catalog
from claimkit.content.playbook import parse_playbook
from claimkit.content.yamldoc import parse_yaml
from claimkit.errors import ContentError
from claimkit.paths import ContentRoot, builtin_root
from tests.conftest import MINIMAL_PLAYBOOK, cli, sh, write_playbook


def parse(text: str) -> object:
    return parse_playbook(parse_yaml(text, "pb.yaml"), Path("pb.yaml"))


def test_minimal_playbook_parses() -> None:
    pb = parse(MINIMAL_PLAYBOOK.format(id="late"))
    assert pb.id == "late"
    assert pb.languages == ("ja", "en")
    assert pb.step(None).id == "mail"
    assert pb.steps[0].audience == "customer"
    assert pb.variables[0].name == "order_ref"
    assert pb.title.get("ja") == "テスト"


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (("    channel: email", "    channel: fax"), "pb.yaml:8", "'channel' must be one of"),
        (
            ("    channel: email", "    channell: email"),
            "pb.yaml:8",
            "unknown key 'channell' (did you mean 'channel'?)",
        ),
        (("    do: {ja: 送る, en: Send it}\n", ""), "pb.yaml:5", "'do' is required"),
        (("    example: A-1\n", ""), "pb.yaml:11", "give an 'example'"),
        (
            ("  - name: order_ref", "  - name: Order Ref"),
            "pb.yaml:11",
            "'name' 'Order Ref' is not valid",
        ),
        (("  - name: order_ref", "  - name: lang"), "pb.yaml:11", "claimkit sets itself"),
        (("title: {ja: テスト, en: Test}", "title: {ja: テスト}"), "pb.yaml:2", "no text for en"),
        (
            ("title: {ja: テスト, en: Test}", "title: {ja: テスト, en: Test, fr: Essai}"),
            "pb.yaml:2",
            "unknown language 'fr'",
        ),
        (
            ("    template: late/mail.j2", "    template: ../../etc/passwd"),
            "pb.yaml:9",
            "not valid",
        ),
        (("id: late", "id: Late"), "pb.yaml:1", "'id' 'Late' is not valid"),
        (
            (
                "    prompt: {ja: 注文番号, en: Order}",
                "    prompt: {ja: 注文番号, en: Order}\n    type: choice",
            ),
            "pb.yaml:13",
            "needs 'choices'",
        ),
        (
            (
                "    prompt: {ja: 注文番号, en: Order}",
                "    prompt: {ja: 注文番号, en: Order}\n    required: maybe",
            ),
            "pb.yaml:13",
            "true or false",
        ),
    ],
)
def test_schema_errors_name_file_line_and_fix(
    change: tuple[str, str], where: str, message: str
) -> None:
    text = MINIMAL_PLAYBOOK.format(id="late").replace(*change)
    with pytest.raises(ContentError) as err:
        parse(text)
    assert err.value.where == where, str(err.value)
    assert message in err.value.message


def test_steps_and_variables_must_be_unique() -> None:
    text = MINIMAL_PLAYBOOK.format(id="late")
    doubled = text.replace(
        "variables:", "  - id: mail\n    title: x\n    do: y\n    channel: phone\nvariables:"
    )
    with pytest.raises(ContentError, match="step 'mail' appears twice"):
        parse(doubled)
    twice = text + "  - name: order_ref\n    prompt: x\n    example: y\n"
    with pytest.raises(ContentError, match="declared twice") as err:
        parse(twice)
    assert err.value.where == "pb.yaml:14"


def test_duplicate_yaml_keys_are_refused() -> None:
    text = MINIMAL_PLAYBOOK.format(id="late").replace("summary:", "title: again\nsummary:")
    with pytest.raises(ContentError, match="duplicate key 'title'") as err:
        parse(text)
    assert err.value.where == "pb.yaml:3:1"


def test_yaml_alias_bomb_and_recursion_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join(['*' + prev] * 10)}]\n"
    with pytest.raises(ContentError, match="expands to more than"):
        parse_yaml(bomb, "bomb.yaml")
    with pytest.raises(ContentError, match="refers to itself"):
        parse_yaml("a: &a [*a]\n", "loop.yaml")


def test_yaml_python_tags_are_not_loaded() -> None:
    with pytest.raises(ContentError, match="could not determine a constructor"):
        parse_yaml("x: !!python/object/apply:os.system [echo hacked]\n", "evil.yaml")


def test_merge_keys_work() -> None:
    data = parse_yaml("base: &b {x: 1, y: 2}\nz:\n  <<: *b\n  y: 3\n", "m.yaml")
    assert data["z"] == {"x": 1, "y": 3}


def test_id_must_match_file_name(team: Path) -> None:
    write_playbook(team, "late", MINIMAL_PLAYBOOK.format(id="early"))
    catalog = Catalog([ContentRoot(team, "team"), builtin_root()])
    with pytest.raises(ContentError, match=r"must match the file name \(late.yaml\)"):
        catalog.load("late")


def test_team_playbook_overrides_builtin_and_common_variables_merge(team: Path) -> None:
    write_playbook(team, "apology")
    (team / "playbooks" / "_common.yaml").write_text(
        "customer:\n  - name: customer_name\n    prompt: {ja: 宛名, en: Addressee}\n"
        "    example: {ja: 田中 一郎, en: Sam Doe}\n",
        encoding="utf-8",
    )
    catalog = Catalog([ContentRoot(team, "team"), builtin_root()])
    pb = catalog.load("apology")
    assert pb.source == team / "playbooks" / "apology.yaml"
    names = [v.name for v in pb.variables]
    # customer variables first, the playbook's own, then the sender's
    customer = ["customer_company", "customer_department", "customer_email"]
    customer += ["customer_honorific", "customer_name", "customer_title"]
    assert sorted(names[:6]) == customer
    assert names[6] == "order_ref"
    assert "agent_name" in names[7:]
    assert pb.variable("customer_name").prompt.get("en") == "Addressee"  # type: ignore[union-attr]
    assert "phone-handoff" in catalog.ids() or "apology" in catalog.ids()


def test_every_builtin_playbook_validates() -> None:
    run = cli(["validate"])
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "all good" in run.stderr


def test_validate_reports_every_problem_with_file_line(team: Path) -> None:
    write_playbook(
        team,
        "late",
        templates={
            "ja": "{{ customer_name }} {{ undeclared_thing }}\n",
            "en": "{% if %}\n",
        },
    )
    (team / "playbooks" / "broken.yaml").write_text("id: broken\nsteps: [\n", encoding="utf-8")
    run = cli(["validate", str(team)])
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert any(
        line.startswith(f"{team}/playbooks/broken.yaml:") and "malformed YAML" in line
        for line in lines
    )
    assert any(
        "ja/late/mail.j2:1: 'undeclared_thing' is not a variable of playbook 'late'" in line
        for line in lines
    )
    assert any("en/late/mail.j2:1: template syntax" in line for line in lines)
    assert "problems" in run.stderr


def test_validate_names_an_included_template_that_is_not_text(team: Path) -> None:
    write_playbook(team, "late", templates={"en": "Hi\n{% include '_part.j2' %}\n"})
    (team / "templates" / "en" / "_part.j2").write_bytes(b"\xff\xfe")
    run = cli(["validate", str(team)])
    assert run.code == 1
    assert f"{team}/templates/en/_part.j2: not UTF-8 text" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_validate_reads_templates_as_a_draft_does(team: Path, tmp_path: Path) -> None:
    write_playbook(team, "late")
    folder = team / "templates" / "en"
    (folder / "_big.j2").write_text("x" * (2 * 1024 * 1024))  # unused, and too large
    (tmp_path / "secret.txt").write_text("{% if %}")
    (folder / "_out.j2").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(folder / "_fifo.j2")  # read as a file, it would never end
    run = sh(["validate", str(team)], timeout=60)
    assert run.code == 1
    assert f"{folder}/_big.j2: larger than the 1 MiB" in run.stdout
    assert f"{folder}/_out.j2: template '_out.j2' leads outside the content folder" in run.stdout
    assert f"{folder}/_fifo.j2: not a file inside a templates folder" in run.stdout
    assert "template syntax" not in run.stdout  # the file outside was not read


def test_validate_keeps_an_internal_note_out_of_a_customer_message(team: Path) -> None:
    body = MINIMAL_PLAYBOOK.format(id="notes") + (
        "  - name: background\n"
        "    audience: internal\n"
        "    prompt: {ja: 経緯, en: Background}\n"
        "    example: 13時にお電話するとお約束した\n"
    )
    write_playbook(
        team, "notes", body, templates={"ja": "{{ background }}\n", "en": "{{ order_ref }}\n"}
    )
    run = cli(["validate", str(team)])
    assert run.code == 1
    assert "'background' is an internal note (audience: internal)" in run.stdout
    assert "mail.j2:1" in run.stdout and "writes to the customer" in run.stdout
