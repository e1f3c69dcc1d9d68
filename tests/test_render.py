"""A template runs as its program or in Jinja's sandbox: the same text, the same errors."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2 import meta

from claimkit import cache
from claimkit.content.catalog import Catalog
from claimkit.output.draft import Draft
from claimkit.paths import ContentRoot, builtin_root
from claimkit.pipeline import Request, make_draft
from claimkit.render import compiler, program, sandbox
from claimkit.render.filters import FILTERS
from claimkit.render.renderer import Renderer, Template
from claimkit.values import dates
from claimkit.values.resolve import Sources
from tests.conftest import cli, sh, write_playbook

TODAY = date(2026, 11, 23)
ENV = Renderer([builtin_root()]).environment("ja")  # the sandbox, its settings and filters


class JinjaOnly(Renderer):
    """A renderer whose every template runs in Jinja: what a program is compared with."""

    def template(self, name: str, lang: str) -> Template:
        return super().template(name, lang)._replace(program=None)


def jinja(text: str, names: dict[str, Any]) -> tuple[str, Any]:
    module = ENV.from_string(text).make_module(names)
    return str(module), getattr(module, "subject", None)


def run_program(text: str) -> program.Render | None:
    """``text`` as a program, parsed as the renderer parses it; None if Jinja must run it."""
    made = compiler.program("t", lambda name: ENV.parse(text), FILTERS, ENV.globals)
    return None if made is None else program.build(made, FILTERS)


def drafts(roots: list[ContentRoot], request: Request) -> tuple[Draft, Draft]:
    """The draft as its program writes it (Jinja not allowed to step in), and as Jinja does."""
    catalog = Catalog(roots)
    renderer = Renderer(catalog.roots)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox, "run", None)
        ours = make_draft(catalog, renderer, request).draft
    return ours, make_draft(catalog, JinjaOnly(catalog.roots), request).draft


# --- any template in the program grammar --------------------------------------------------------

NAMES = ["a", "b", "c"]
# No "{": next to a tag it would make another tag (Jinja's syntax error, not a template).
TEXT = st.text(alphabet="ab }\\'\"\n\t\u3000あ#%-", max_size=8)
VALUES = st.one_of(
    st.sampled_from(["", "x", "x ", " y\n", "{a}", "\\", "あ\u3000", "1", "None"]),
    st.integers(-1, 2),
    st.none(),
    st.booleans(),
    st.sampled_from(
        [
            dates.for_letter(date(2026, 11, 25), "ja", TODAY),
            dates.for_letter(datetime(2026, 11, 25, 15, 0), "en", TODAY),
        ]
    ),
)
CONSTS = st.sampled_from(
    ['"x"', "''", '"a\\"b"', '"{a}"', "1", "0", "none", "true", "false", "1.5"]
)


def _exprs() -> st.SearchStrategy[str]:
    leaf = st.sampled_from(NAMES) | CONSTS
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds("(not {})".format, inner),
            st.builds("({} and {})".format, inner, inner),
            st.builds("({} or {})".format, inner, inner),
            st.builds(
                "({} {} {})".format,
                inner,
                st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]),
                inner,
            ),
            st.builds("({} < {} <= {})".format, inner, inner, inner),
            st.builds("({} in ({}, {}))".format, inner, inner, inner),
            st.builds("({} if {} else {})".format, inner, inner, inner),
            st.builds("{}|date".format, st.sampled_from(NAMES)),
            st.builds("{}|time".format, st.sampled_from(NAMES)),
        ),
        max_leaves=4,
    )


EXPRS = _exprs()
PRINT = st.builds("{{{{ {} }}}}".format, EXPRS)


def _ifs(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds("{{% if {} %}}{}{{% endif %}}".format, EXPRS, inner) | st.builds(
        "{{% if {} %}}{}{{% elif {} %}}{}{{% else %}}{}{{% endif %}}\n".format,
        EXPRS,
        inner,
        EXPRS,
        inner,
        inner,
    )


BODIES = st.recursive(
    TEXT | PRINT, lambda inner: st.lists(TEXT | PRINT | _ifs(inner), max_size=4).map("".join)
)
SUBJECT = st.builds("{{% set subject %}}{}{{% endset %}}".format, BODIES)
# A subject is set at most once, at the top: a program's grammar (tested below otherwise).
TEMPLATES = st.builds(
    lambda bodies, subject, at: "".join([*bodies[:at], subject, *bodies[at:]]),
    st.lists(BODIES, max_size=3),
    st.just("") | SUBJECT,
    st.integers(0, 3),
)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the strategy's repr
@settings(suppress_health_check=list(HealthCheck))
@given(TEMPLATES, st.fixed_dictionaries({n: VALUES for n in NAMES}), st.booleans())
@example(
    "{% if a %}\n  {{ b }}\t\n{% endif %}\n{% set subject %} {{ a }} {% endset %}",
    {"a": "x", "b": 1, "c": None},
    True,
)
@example(
    "{{ a|date }} {{ a|time }}{{ b|date }}",
    {"a": dates.for_letter(datetime(2026, 1, 2, 9), "ja", TODAY), "b": "", "c": ""},
    True,
)
@example('{{ "}" }}{{ a }}', {"a": "{b}", "b": "", "c": ""}, True)
@example(
    "{{ a == b }} {{ a != b }} {{ a < b }} {{ a <= b }} {{ a > b }} {{ a >= b }} {{ c < a }}"
    " {{ c <= a }} {{ c > a }} {{ c >= a }} {{ a in (b,) }} {{ a not in (c,) }} {{ not a }}"
    " {{ a and c }} {{ b or c }} {{ a < b < c }}",
    {"a": 1, "b": 1, "c": 0},
    True,
)
@example("{% if false %}{{ a }}{% endif %}x", {"a": "x", "b": "", "c": ""}, False)
@example("{{ a in (a, a) }}", {"a": "x", "b": "", "c": ""}, False)  # Jinja's error: "a" is absent
def test_a_program_writes_what_jinja_writes_or_fails_where_it_fails(
    text: str, names: dict[str, Any], all_there: bool
) -> None:
    if not all_there:
        del names["a"]
    render = run_program(text)
    assert render is not None, text
    try:
        expected: tuple[str, Any] | Exception = jinja(text, dict(names))
    except Exception as e:  # an undefined name, a comparison of a date with a string...
        expected = e
    if isinstance(expected, Exception):
        with pytest.raises(Exception):  # noqa: B017 -- the renderer then asks Jinja
            render(names)
        return
    try:
        got = render(names)
    except KeyError:
        # A name it reads is not there (Jinja may not need it: an undefined value in a
        # tuple, say): the renderer hands the render to Jinja. A draft has every name.
        assert not meta.find_undeclared_variables(ENV.parse(text)) <= set(names)
        return
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "{% for x in a %}{{ x }}{% endfor %}",
        "{{ a.b }}",
        "{{ a['b'] }}",
        "{{ a() }}",
        "{{ a|upper }}",
        "{{ a|date('x') }}",
        "{{ a + b }}",
        "{{ a is defined }}",
        "{% set x = 1 %}{{ x }}",
        "{% set x %}y{% endset %}",
        "{% set subject %}a{% endset %}{{ subject }}",
        "{% set subject | upper %}a{% endset %}",
        "{% if a %}{% set subject %}a{% endset %}{% endif %}",
        "{% set subject %}a{% endset %}{% set subject %}b{% endset %}",
        "{{ range }}",
        "{{ [a] }}",
        "{{ a if b }}",
        "{% macro m() %}x{% endmacro %}",
        '{% include "x.j2" %}',
        "{% block b %}x{% endblock %}",
        "{% filter upper %}x{% endfilter %}",
        "{% with x = 1 %}{{ x }}{% endwith %}",
    ],
)
def test_what_the_program_grammar_does_not_have_is_left_to_jinja(text: str) -> None:
    assert run_program(text) is None


def test_template_text_is_data_never_code() -> None:
    text = '""" + __import__("os").system("false") + """{{ a }}\'\'\'{#x#}\\'
    render = run_program(text)
    assert render is not None
    assert render({"a": 1}) == jinja(text, {"a": 1})
    # what the cache keeps is lists of strings; whatever a damaged entry holds is refused
    for bad in ([[["exec", "x"]], None], [["x", ["out", ["name", 1]]], None], "x", [[], [], []]):
        with pytest.raises(program.BadProgram):
            program.build(bad, FILTERS)


# --- the one fallback ------------------------------------------------------------------------

PARTS = {
    "_leaf.j2": "  leaf {{ order_ref }}\n",
    "_nested.j2": "[{% include '_leaf.j2' %}]",
    "_indented.j2": "    {% if customer_name %}indented{% endif %}\n",
    "_loop.j2": "{{ item }}\n",
}
SIMPLE = (
    "{% set subject %}S {{ order_ref }}{% endset %}"
    "A {{ customer_name }}\n"
    "{%- include '_nested.j2' -%}\n"
    "{% if order_ref %}{% include '_indented.j2' %}{% elif x %}{% else %}{% endif %}\n"
    "  {% include '_leaf.j2' %}\n"
    "end\n"
)


def team_with_parts(team: Path, main: str = SIMPLE) -> list[ContentRoot]:
    write_playbook(team, "parts", templates={"en": main, "ja": main})
    for name, text in PARTS.items():
        (team / "templates" / "en" / name).write_text(text, encoding="utf-8")
    return [ContentRoot(team, "team"), builtin_root()]


def test_includes_and_whitespace_render_as_jinja_renders_them(team: Path) -> None:
    roots = team_with_parts(team)
    request = Request("parts", "en", Sources(example=True), TODAY)
    assert Renderer(roots).template("parts/mail.j2", "en").program is not None
    ours, theirs = drafts(roots, request)
    assert ours == theirs and "leaf A-1" in ours.body and ours.subject == "S A-1"


def test_a_template_with_a_loop_runs_in_jinja(team: Path) -> None:
    main = "{% for item in ['x', 'y'] %}{% include '_loop.j2' %}{% endfor %}{{ order_ref }}\n"
    roots = team_with_parts(team, main)
    assert Renderer(roots).template("parts/mail.j2", "en").program is None
    run = cli(["draft", "parts", "--lang", "en", "--example", "--no-input", "-P", str(team)])
    assert run.code == 0 and run.stdout == "x\ny\nA-1\n"


def test_a_name_only_an_untaken_branch_reads_needs_no_fallback(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "{% if false %}{{ no_such_name }}{% endif %}{{ customer_name }}\n"
    roots = team_with_parts(team, text)
    request = Request("parts", "en", Sources(example=True), TODAY)
    ours, theirs = drafts(roots, request)  # Jinja is not there to step in for ours
    assert ours == theirs


@pytest.mark.parametrize(
    ("part", "needle"),
    [("{{ no_such_name }}\n", "_bad.j2:1"), ("{{ ''.__class__ }}\n", "Python internals")],
)
def test_a_failing_program_hands_the_render_to_jinja_which_says_where(
    team: Path, part: str, needle: str
) -> None:
    team_with_parts(team, "line one\n{% include '_bad.j2' %}\n")
    (team / "templates" / "en" / "_bad.j2").write_text(part, encoding="utf-8")
    for args in (["--no-input"], ["--batch", "-", "-j", "1"]):
        run = cli(["draft", "parts", "--lang", "en", "--example", "-P", str(team), *args], "{}\n")
        assert run.code == 2 and run.stdout == ""
        assert needle in run.stderr and len(run.stderr.splitlines()) == 1


def test_a_loop_of_includes_is_an_error_not_a_hang(team: Path) -> None:
    team_with_parts(team, "{% include '_a.j2' %}\n")
    (team / "templates" / "en" / "_a.j2").write_text("{% include '_a.j2' %}", encoding="utf-8")
    run = cli(["draft", "parts", "--lang", "en", "--example", "--no-input", "-P", str(team)])
    assert run.code == 2 and "Traceback" not in run.stderr


def test_an_include_that_may_be_missing_drafts_and_is_seen_once_it_exists(team: Path) -> None:
    main = "Hi {{ customer_name }}\n{% include '_maybe.j2' ignore missing %}\nend\n"
    write_playbook(team, "opt", templates={"en": main})
    args = ["draft", "opt", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    run = cli(args)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["Hi Alex Morgan", "end"]
    # what a template reads is cached: the new file's names are still found
    (team / "templates" / "en" / "_maybe.j2").write_text("maybe {{ order_ref }}\n", "utf-8")
    cache.reset()
    again = sh(args)
    assert again.code == 0, again.stderr
    assert "maybe A-1" in again.stdout


def test_an_include_that_is_missing_is_named(team: Path) -> None:
    write_playbook(team, "opt", templates={"en": "Hi\n{% include '_gone.j2' %}\n"})
    run = cli(["draft", "opt", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)])
    assert run.code == 2
    assert "'_gone.j2' not found" in run.stderr and "Traceback" not in run.stderr


# --- the cache: programs as data, kept while nothing they were made from changes ------------------


def count_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates made (parsed by Jinja) from now on: none when the cache answers."""
    made: list[str] = []
    real = Renderer._made

    def counted(self: Renderer, name: str, lang: str, text: str) -> Any:
        made.append(name)
        return real(self, name, lang, text)

    monkeypatch.setattr(Renderer, "_made", counted)
    return made


def test_a_program_is_kept_until_a_file_it_includes_changes(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roots = team_with_parts(team)
    request = Request("parts", "en", Sources(example=True), TODAY)
    catalog = Catalog(roots)
    expected = make_draft(catalog, Renderer(roots), request).draft
    made = count_made(monkeypatch)
    assert make_draft(catalog, Renderer(roots), request).draft == expected
    assert made == []  # from the cache: nothing parsed
    # a file the template includes two levels down changes: made again, and it shows
    (team / "templates" / "en" / "_leaf.j2").write_text("  LEAF {{ order_ref }}\n", "utf-8")
    draft = make_draft(Catalog(roots), Renderer(roots), request).draft
    assert made == ["parts/mail.j2"] and "LEAF" in draft.body


def test_an_entry_made_by_other_code_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # An edited claimkit keeps its version number: what the old code kept is not used.
    request = Request("apology", "ja", Sources(example=True), TODAY)
    catalog = Catalog([builtin_root()])
    expected = make_draft(catalog, Renderer(catalog.roots), request).draft
    made = count_made(monkeypatch)
    monkeypatch.setattr(cache, "made_by", lambda kind: "other code")
    assert make_draft(catalog, Renderer(catalog.roots), request).draft == expected
    assert made == ["apology/first-reply.j2"]


@pytest.mark.own_cache
def test_a_planted_or_damaged_entry_is_never_run(fresh_cache: Path) -> None:
    request = Request("apology", "en", Sources(example=True), TODAY)
    catalog = Catalog([builtin_root()])
    expected = make_draft(catalog, Renderer(catalog.roots), request).draft
    entries = [p for p in (fresh_cache / "template").rglob("*") if p.is_file()]
    assert entries
    code = compile("open('/tmp/pwned', 'w')", "x", "exec")
    for entry in entries:
        # code where a program belongs, then a value kept under another entry's key
        entry.write_bytes(marshal.dumps((entry.name, [code, [], []])))
        assert make_draft(catalog, Renderer(catalog.roots), request).draft == expected
        entry.write_bytes(marshal.dumps(("0" * 40, [[["x"], None], [], []])))
        assert make_draft(catalog, Renderer(catalog.roots), request).draft == expected


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    env = {"CLAIMKIT_CACHE_DIR": str(shared)}
    run = sh(["draft", "apology", "--lang", "en", "--example", "--no-input"], env=env)
    assert run.code == 0 and "Dear Ms. Morgan," in run.stdout
    assert f"the cache folder {shared} can be written by other users" in run.stderr
    assert list(shared.iterdir()) == []  # nothing read from it, nothing left in it


@pytest.mark.own_cache
@pytest.mark.skipif(os.geteuid() != 0, reason="planting another user's file needs root")
def test_an_entry_another_user_wrote_is_not_read(fresh_cache: Path) -> None:
    request = Request("apology", "en", Sources(example=True), TODAY)
    catalog = Catalog([builtin_root()])
    expected = make_draft(catalog, Renderer(catalog.roots), request).draft
    for entry in (p for p in (fresh_cache / "template").rglob("*") if p.is_file()):
        entry.write_bytes(marshal.dumps((entry.name, [[["x"], None], [], []])))
        os.chown(entry, 12345, 12345)
    made = []
    real = Renderer._made
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Renderer, "_made", lambda *a: made.append(a) or real(*a))
        assert make_draft(catalog, Renderer(catalog.roots), request).draft == expected
    assert made  # the entry was not trusted: made afresh


def test_made_by_marks_the_code_that_makes_a_kind_and_imports_none_of_it() -> None:
    # A draft from the cache marks Jinja and the compiler without importing them.
    probe = (
        "import sys; from claimkit import cache; "
        "mark = cache.made_by('template'); "
        "assert 'jinja2' not in sys.modules and 'claimkit.render.compiler' not in sys.modules; "
        "import claimkit.render.compiler, jinja2; "
        "assert mark == cache.made_by.__wrapped__('template'); "
        "assert mark != cache.made_by.__wrapped__('yaml'); "
        "cache.MAKERS['x'] = ('claimkit.no_such_module',); "
        "assert cache.made_by.__wrapped__('x') != cache.made_by.__wrapped__('x')"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_batch_reports_an_included_files_error_with_its_line(team: Path) -> None:
    team_with_parts(team, "ok\n{% include '_bad.j2' %}\n")
    (team / "templates" / "en" / "_bad.j2").write_text("\n{{ nope }}\n", encoding="utf-8")
    case = json.dumps({"customer_name": "Alex", "order_ref": "A-1"}) + "\n"
    run = cli(["draft", "parts", "--lang", "en", "--batch", "-", "-P", str(team)], input=case)
    assert run.code == 2
    assert run.stdout == ""
    assert "_bad.j2:2" in run.stderr and "'nope' is undefined" in run.stderr


def test_a_control_character_a_template_puts_in_the_subject_stops_the_draft(team: Path) -> None:
    write_playbook(team, "ctl", templates={"en": "{% set subject %}a\x01b{% endset %}x\n"})
    run = cli(["draft", "ctl", "--lang", "en", "--example", "--no-input", "-P", str(team)])
    assert run.code == 2 and "control character (U+0001)" in run.stderr
