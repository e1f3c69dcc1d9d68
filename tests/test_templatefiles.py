"""Where a template's text comes from: the first folder that has it, never outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimkit.errors import ContentError
from claimkit.templatefiles import TemplateFiles, TemplateMissing


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
    team, builtin = folders
    return TemplateFiles([team, builtin], [builtin])


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


def test_a_symlink_out_is_missing_and_one_inside_is_read(folders: tuple[Path, Path]) -> None:
    team, _ = folders
    (team / "_out.j2").symlink_to(team.parent.parent / "secret.txt")
    (team / "_in.j2").symlink_to(team / "apology" / "mail.j2")
    files = files_of(folders)
    with pytest.raises(TemplateMissing):
        files.read("_out.j2")
    assert files.read("_in.j2")[0] == "team mail\n"


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
