"""Where a template's text comes from: the first folder that has it, never outside the
content folders in use, whatever symlinks lie inside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimkit.errors import ContentError
from claimkit.render.lookup import TemplateFiles, TemplateMissing


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    team, builtin = tmp_path / "team" / "en", tmp_path / "builtin" / "en"
    for folder, who in ((team, "team"), (builtin, "built-in")):
        (folder / "apology").mkdir(parents=True)
        (folder / "apology" / "mail.j2").write_text(f"{who} mail\n")
    (builtin / "_signature.j2").write_text("built-in signature\n")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    return team, builtin


def files_of(folders: tuple[Path, Path]) -> TemplateFiles:
    """The lookup of two content folders: a team's (tmp/team) and a built-in one."""
    team, builtin = folders
    return TemplateFiles([team, builtin], [builtin], [team.parent, builtin.parent])


def test_the_first_folder_that_has_a_name_wins(folders: tuple[Path, Path]) -> None:
    files = files_of(folders)
    assert files.read("apology/mail.j2") == ("team mail\n", str(folders[0] / "apology/mail.j2"))
    assert files.read("_signature.j2")[0] == "built-in signature\n"
    # Jinja's spellings of the same name
    assert files.read("./apology//mail.j2")[0] == "team mail\n"


def test_builtin_reaches_past_an_override(folders: tuple[Path, Path]) -> None:
    files = files_of(folders)
    assert files.read("builtin:apology/mail.j2")[0] == "built-in mail\n"
    for name in ("builtin:", "builtin:nothing.j2", "other:apology/mail.j2"):
        with pytest.raises(TemplateMissing):
            files.read(name)


@pytest.mark.parametrize(
    "name", ["../secret.txt", "../../secret.txt", "apology/../../../secret.txt", "apology"]
)
def test_names_that_leave_the_folder_or_are_folders_are_missing(
    folders: tuple[Path, Path], name: str
) -> None:
    with pytest.raises(TemplateMissing):
        files_of(folders).read(name)


def test_an_absolute_name_stays_inside_the_folder(folders: tuple[Path, Path]) -> None:
    secret = folders[0].parent.parent / "secret.txt"
    with pytest.raises(TemplateMissing):
        files_of(folders).read(str(secret))


def test_a_symlink_out_is_refused_and_one_inside_is_read(folders: tuple[Path, Path]) -> None:
    team, builtin = folders
    (team / "_out.j2").symlink_to(team.parent.parent / "secret.txt")
    (team / "_in.j2").symlink_to(team / "apology" / "mail.j2")
    (team / "_builtin.j2").symlink_to(builtin / "_signature.j2")  # into another content folder
    files = files_of(folders)
    with pytest.raises(ContentError, match="leads outside the content folder") as refused:
        files.read("_out.j2")
    assert "TOP SECRET" not in str(refused.value)
    assert files.read("_in.j2")[0] == "team mail\n"
    assert files.read("_builtin.j2")[0] == "built-in signature\n"


def test_a_symlinked_language_folder_does_not_widen_what_is_read(tmp_path: Path) -> None:
    # A team folder whose templates/en is a link to ../.. once let an include reach any
    # file of the user: the lookup checked against the language folder's own real path.
    team, builtin = tmp_path / "team", tmp_path / "builtin" / "en"
    (team / "templates").mkdir(parents=True)
    builtin.mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "id_rsa").write_text("KEY MATERIAL")
    (team / "templates" / "en").symlink_to(Path("..") / "..")
    files = TemplateFiles([team / "templates" / "en", builtin], [builtin], [team, builtin.parent])
    with pytest.raises(ContentError, match="leads outside"):
        files.read("secret/id_rsa")
    # the same folder reached through a content folder that is itself a symlink is fine
    (tmp_path / "alias").symlink_to(team)
    (team / "templates" / "en").unlink()
    (team / "templates" / "en").mkdir()
    (team / "templates" / "en" / "a.j2").write_text("a\n")
    alias = tmp_path / "alias"
    files = TemplateFiles([alias / "templates" / "en"], [], [alias])
    assert files.read("a.j2")[0] == "a\n"


def test_a_file_is_read_once_per_run_as_text(folders: tuple[Path, Path]) -> None:
    team, _ = folders
    (team / "_crlf.j2").write_bytes(b"\xef\xbb\xbfone\r\ntwo\r\n")
    files = files_of(folders)
    assert files.read("_crlf.j2")[0] == "one\ntwo\n"
    (team / "_crlf.j2").write_text("changed\n")
    assert files.read("_crlf.j2")[0] == "one\ntwo\n"  # what this run rendered and cached from
    (team / "_bad.j2").write_bytes(b"ok \xff")
    with pytest.raises(ContentError, match=r"_bad\.j2: not UTF-8 text"):
        files.read("_bad.j2")
