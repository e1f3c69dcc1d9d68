"""Batches render from templates with their includes compiled in: the same text, the same errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from jinja2.utils import missing

from claimkit import cache
from claimkit.content.catalog import Catalog
from claimkit.errors import ClaimkitError
from claimkit.paths import ContentRoot, builtin_root
from claimkit.pipeline import Request, make_draft
from claimkit.render import sandbox
from claimkit.render.renderer import Renderer
from claimkit.values.resolve import Sources
from tests.conftest import builtin_requests, jinja_only, sh, write_playbook

TODAY = date(2026, 11, 23)


def both(roots: list[ContentRoot]) -> tuple[Catalog, Renderer, Renderer]:
    catalog = Catalog(roots)
    # Jinja's own way, and Jinja's with includes compiled in (compiled functions are
    # compared with Jinja in tests/test_compiled.py)
    plain = jinja_only(Renderer(catalog.roots))
    return catalog, plain, jinja_only(Renderer(catalog.roots, inline_includes=True))


def count_inlining(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files inline parses from now on (none: the cache answered)."""
    inlined = sandbox.inline
    calls: list[str] = []

    def counted(env: object, name: str, *rest: object) -> object:
        calls.append(name)
        return inlined(env, name, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(sandbox, "inline", counted)
    return calls


def test_every_builtin_message_is_the_same_inlined(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, plain, inlined = both([builtin_root()])
    compared = 0
    for request in builtin_requests(catalog, TODAY):
        expected = make_draft(catalog, plain, request).draft
        # the comparison is of the inlined template, not of a quiet fallback
        with monkeypatch.context() as patch:
            patch.setattr(sandbox, "run", None)
            assert make_draft(catalog, inlined, request).draft == expected
        compared += 1
    assert compared >= 30


def test_a_render_context_has_what_jinjas_own_has() -> None:
    # _Context sets Context's attributes itself (a render without blocks); a Jinja that
    # adds one must be followed, or every inlined render would fail over to the slow one.
    renderer = Renderer([builtin_root()], inline_includes=True)
    template = renderer.template("apology/first-reply.j2", "en")
    own = template.new_context({"a": 1}, shared=True)
    names = sandbox.Names(a=1)
    ours = sandbox._Context(template.environment, names, template.name, {}, template.globals)
    assert set(vars(ours)) == set(vars(own)) | {"resolve_or_missing"}
    assert ours.globals_keys == own.globals_keys == set(template.globals)  # {% import %} reads it
    differ = {"vars", "eval_ctx", "resolve_or_missing"}  # vars is the parent, by design
    assert {k: v for k, v in vars(ours).items() if k not in differ} == {
        k: v for k, v in vars(own).items() if k not in differ
    }
    assert ours.vars is ours.parent
    assert vars(ours.eval_ctx) == vars(own.eval_ctx)
    assert ours.resolve_or_missing("a") == 1 and ours.resolve_or_missing("b") is missing


PARTS = {
    # assignments, macros and imports stay inside the included file, as with an include
    "_scoped.j2": "{% set customer_name = 'changed' %}{% macro m() %}M{% endmacro %}{{ m() }}\n",
    "_nested.j2": "[{% include '_leaf.j2' %}]",
    "_leaf.j2": "  leaf {{ order_ref }}\n",
    "_loop.j2": "{{ item }}\n",  # inside a loop: left an include
    "_indented.j2": "    {% if customer_name %}indented{% endif %}\n",
    "_plain.j2": "plain\n",
}
MAIN = (
    "{% set subject %}S {{ order_ref }}{% endset %}"
    "A {% include '_scoped.j2' %}{{ customer_name }}\n"
    "{%- include '_nested.j2' -%}\n"
    "{% for item in ['x', 'y'] %}{% include '_loop.j2' %}{% endfor %}\n"
    "{% if order_ref %}{% include '_indented.j2' %}{% elif x %}{% else %}{% endif %}\n"
    "  {% include '_leaf.j2' %}\n"
    "{% include '_plain.j2' without context %}"
    "{% include ['_leaf.j2'] %}"
    "end\n"
)


def team_with_parts(team: Path, main: str = MAIN) -> Path:
    write_playbook(team, "parts", templates={"en": main, "ja": main})
    for name, text in PARTS.items():
        (team / "templates" / "en" / name).write_text(text, encoding="utf-8")
    return team


def test_includes_with_scopes_loops_and_whitespace_render_the_same(team: Path) -> None:
    catalog, plain, inlined = both([ContentRoot(team_with_parts(team), "team"), builtin_root()])
    request = Request("parts", "en", Sources(example=True), TODAY)
    expected = make_draft(catalog, plain, request).draft
    assert make_draft(catalog, inlined, request).draft == expected
    assert inlined._inlined_template("parts/mail.j2", "en") is not None
    assert "A M\n" in expected.body and "x\ny\n" in expected.body  # the cases did run
    assert expected.subject is not None and expected.subject.startswith("S ")


def same_error_both_ways(team: Path) -> str:
    """The team's "parts" draft fails the same way inlined as not; the message."""
    catalog, plain, inlined = both([ContentRoot(team, "team"), builtin_root()])
    request = Request("parts", "en", Sources(example=True), TODAY)
    with pytest.raises(ClaimkitError) as expected:
        make_draft(catalog, plain, request)
    with pytest.raises(ClaimkitError) as got:
        make_draft(catalog, inlined, request)
    assert str(got.value) == str(expected.value)
    return str(got.value)


@pytest.mark.parametrize(
    ("part", "needle"),
    [
        ("{{ no_such_name }}\n", "_bad.j2:1"),  # the included file's line, not the main one's
        ("{{ ''.__class__ }}\n", "Python internals"),
    ],
)
def test_an_error_in_an_included_file_reads_as_without_inlining(
    team: Path, part: str, needle: str
) -> None:
    team_with_parts(team, "line one\n{% include '_bad.j2' %}\n")
    (team / "templates" / "en" / "_bad.j2").write_text(part, encoding="utf-8")
    assert needle in same_error_both_ways(team)


def test_a_value_set_over_a_variable_reads_the_same_inlined(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An inlined render keeps its {% set %} values in the dictionary of names it reads.
    main = (
        "{% set customer_name = 'set ' ~ customer_name %}{% include '_who.j2' %}"
        "{{ customer_name }}|{% set order_ref = 'again' %}{{ order_ref }}\n"
    )
    team_with_parts(team, main)
    (team / "templates" / "en" / "_who.j2").write_text("{{ customer_name }}|", encoding="utf-8")
    catalog, plain, inlined = both([ContentRoot(team, "team"), builtin_root()])
    request = Request("parts", "en", Sources(example=True), TODAY)
    expected = make_draft(catalog, plain, request).draft
    assert expected.body.count("set ") == 2 and expected.body.endswith("|again\n")
    monkeypatch.setattr(sandbox, "run", None)  # no quiet fallback to the plain render
    assert make_draft(catalog, inlined, request).draft == expected


def test_a_failed_inlined_render_is_rendered_again_from_the_values_as_given(team: Path) -> None:
    # A name set at the top after an include that reads it: the inlined copy reads the
    # name before it is set and fails; the plain render it falls back to must not see
    # what the inlined one set.
    team_with_parts(team, "{% include '_leaf.j2' %}{% set order_ref = 'again' %}{{ order_ref }}\n")
    catalog, plain, inlined = both([ContentRoot(team, "team"), builtin_root()])
    request = Request("parts", "en", Sources(example=True), TODAY)
    expected = make_draft(catalog, plain, request).draft
    assert make_draft(catalog, inlined, request).draft == expected
    assert expected.body == "  leaf A-1\nagain\n"
    team_with_parts(
        team,
        "{% if order_ref is string %}{% set order_ref = 0 %}{{ 10 // order_ref }}"
        "{% else %}{{ no_such_name }}{% endif %}\n",
    )
    assert "ZeroDivisionError" in same_error_both_ways(team)


def test_a_loop_of_includes_is_not_inlined_forever(team: Path) -> None:
    team_with_parts(team, "{% include '_a.j2' %}\n")
    (team / "templates" / "en" / "_a.j2").write_text("{% include '_a.j2' %}", encoding="utf-8")
    assert same_error_both_ways(team)


def test_a_batch_reports_an_included_files_error_with_its_line(team: Path) -> None:
    team_with_parts(team, "ok\n{% include '_bad.j2' %}\n")
    (team / "templates" / "en" / "_bad.j2").write_text("\n{{ nope }}\n", encoding="utf-8")
    case = json.dumps({"customer_name": "Alex", "order_ref": "A-1"}) + "\n"
    run = sh(
        ["draft", "parts", "--lang", "en", "--batch", "-", "--playbooks", str(team)], input=case
    )
    assert run.code == 2
    assert run.stdout == ""
    assert "_bad.j2:2" in run.stderr and "'nope' is undefined" in run.stderr


def test_the_inlined_template_is_kept_until_a_file_it_reads_changes(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    team_with_parts(team)
    roots = [ContentRoot(team, "team"), builtin_root()]
    request = Request("parts", "en", Sources(example=True), TODAY)
    catalog, _, first = both(roots)
    expected = make_draft(catalog, first, request).draft
    calls = count_inlining(monkeypatch)
    catalog, _, again = both(roots)
    assert make_draft(catalog, again, request).draft == expected
    assert calls == []  # from the cache: nothing parsed
    assert again._inlined_template("parts/mail.j2", "en") is not None
    # a file the template includes two levels down changes: parsed again, and it shows
    (team / "templates" / "en" / "_leaf.j2").write_text("  LEAF {{ order_ref }}\n", "utf-8")
    catalog, plain, edited = both(roots)
    draft = make_draft(catalog, edited, request).draft
    assert calls and "LEAF" in draft.body
    assert draft == make_draft(catalog, plain, request).draft


def test_an_include_that_may_be_missing_drafts_and_is_seen_once_it_exists(team: Path) -> None:
    main = "Hi {{ customer_name }}\n{% include '_maybe.j2' ignore missing %}\nend\n"
    write_playbook(team, "opt", templates={"en": main})
    args = ["draft", "opt", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    run = sh(args)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["Hi Alex Morgan", "end"]
    # the variables a template reads are cached: the new file's are still found
    (team / "templates" / "en" / "_maybe.j2").write_text("maybe {{ order_ref }}\n", "utf-8")
    again = sh(args)
    assert again.code == 0, again.stderr
    assert "maybe A-1" in again.stdout


def test_an_include_that_is_missing_is_still_named(team: Path) -> None:
    write_playbook(team, "opt", templates={"en": "Hi\n{% include '_gone.j2' %}\n"})
    run = sh(["draft", "opt", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)])
    assert run.code == 2
    assert "'_gone.j2' not found" in run.stderr and "Traceback" not in run.stderr


def test_an_inlined_template_cached_by_other_code_is_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An edited claimkit keeps its version number: what the old code cached is not used.
    request = Request("apology", "ja", Sources(example=True), TODAY)
    catalog, _, first = both([builtin_root()])
    expected = make_draft(catalog, first, request).draft
    calls = count_inlining(monkeypatch)
    catalog, _, again = both([builtin_root()])
    assert make_draft(catalog, again, request).draft == expected
    assert calls == []  # the same code: from the cache
    monkeypatch.setattr(cache, "made_by", lambda *modules: "other code")
    catalog, _, edited = both([builtin_root()])
    assert make_draft(catalog, edited, request).draft == expected
    assert calls == ["apology/first-reply.j2", "_salutation.j2", "_signature.j2"]
    assert edited._inlined_template("apology/first-reply.j2", "ja") is not None


def test_made_by_marks_the_code_of_the_modules() -> None:
    made_by = cache.made_by.__wrapped__  # not the remembered answer: computed each time
    both_marks = made_by("claimkit.render.renderer", "claimkit.render.compiler")
    assert both_marks == made_by("claimkit.render.renderer", "claimkit.render.compiler")
    assert both_marks != made_by("claimkit.render.renderer")
    # a file that cannot be read never matches anything, itself included
    assert made_by("claimkit.no_such_module") != made_by("claimkit.no_such_module")


def test_made_by_finds_a_module_it_does_not_import() -> None:
    # A draft from the cache marks Jinja and claimkit's compiler without importing them.
    probe = (
        "import sys; from claimkit import cache; "
        "mark = cache.made_by('claimkit.render.renderer', 'claimkit.render.sandbox', 'jinja2'); "
        "assert 'jinja2' not in sys.modules and 'claimkit.render.sandbox' not in sys.modules; "
        "import claimkit.render.sandbox, jinja2; "
        "assert mark == cache.made_by.__wrapped__('claimkit.render.renderer', 'claimkit.render.sandbox', 'jinja2')"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
