"""A template compiled to a function writes what Jinja writes, and fails where Jinja fails."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2 import meta

from claimkit.content.catalog import Catalog
from claimkit.paths import ContentRoot, builtin_root
from claimkit.pipeline import Request, make_draft
from claimkit.render import compiler as compiled
from claimkit.render import renderer as render
from claimkit.render import sandbox
from claimkit.render.renderer import Renderer
from claimkit.values import dates
from claimkit.values.resolve import Sources
from tests.conftest import builtin_requests, jinja_only, write_playbook

TODAY = date(2026, 11, 23)
ENV = Renderer([builtin_root()]).environment("ja")  # the sandbox, its settings and filters
FILTERS = {"date": render._filter_date, "time": render._filter_time}


def jinja(text: str, names: dict[str, Any]) -> tuple[str, Any]:
    module = ENV.from_string(text).make_module(names)
    return str(module), getattr(module, "subject", None)


def fast(text: str) -> render.Render | None:
    found = compiled.source(ENV.parse(text), FILTERS, ENV.globals)
    return None if found is None else render.load_compiled(compiled.to_code(found), FILTERS)


# --- every built-in message -------------------------------------------------------------------


def test_every_builtin_message_compiles_and_renders_as_jinja_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = Catalog([builtin_root()])
    plain, batch = jinja_only(Renderer(catalog.roots)), Renderer(catalog.roots)
    # Only the compiled function may render: Jinja is not there to fall back on.
    monkeypatch.setattr(batch, "_render_jinja", None)
    compared = 0
    for request in builtin_requests(catalog, TODAY, ({}, _EMPTY)):
        expected = make_draft(catalog, plain, request).draft
        assert make_draft(catalog, batch, request).draft == expected
        compared += 1
    assert compared >= 60


# The optional values empty, as a case may leave them: the other side of each `if`.
_EMPTY = dict.fromkeys(
    ["customer_company", "department", "signature", "agent_phone", "agent_email", "business_hours"],
    "",
)


# --- any template in what the compiler knows ----------------------------------------------------

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
TEMPLATES = st.lists(BODIES | SUBJECT | _ifs(SUBJECT | BODIES), max_size=4).map("".join)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the strategy's repr
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
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
    " {{ a and c }} {{ b or c }}",
    {"a": 1, "b": 1, "c": 0},
    True,
)
@example("{{ a in (a, a) }}", {"a": "x", "b": "", "c": ""}, False)  # Jinja's error: "a" is absent
def test_a_compiled_template_writes_what_jinja_writes(
    text: str, names: dict[str, Any], all_there: bool
) -> None:
    if not all_there:
        del names["a"]
    render_fast = fast(text)
    assert render_fast is not None, text
    try:
        expected: tuple[str, Any] | Exception = jinja(text, dict(names))
    except Exception as e:  # an undefined name, a comparison of a date with a string...
        expected = e
    # (a subject set in an `if` counts as read: outside it, it would be the context's)
    reads = meta.find_undeclared_variables(ENV.parse(text)) - {"subject"}
    if isinstance(expected, Exception) or not reads <= set(names):
        # An error, or a name it needs but has not: the caller renders with Jinja
        with pytest.raises(Exception):  # noqa: B017
            render_fast(names)
    else:
        assert render_fast(names) == expected


# --- what it leaves to Jinja ------------------------------------------------------------------


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
def test_what_the_compiler_does_not_know_is_left_to_jinja(text: str) -> None:
    assert compiled.source(ENV.parse(text), FILTERS, ENV.globals) is None


def test_a_subject_set_inside_an_inlined_include_is_left_to_jinja(tmp_path: Path) -> None:
    # An include's {% set %} stays in the include: only Jinja's scoping gets that right.
    team = tmp_path / "team"
    (team / "templates" / "en").mkdir(parents=True)
    (team / "templates" / "en" / "part.j2").write_text("{% set subject %}no{% endset %}x\n")
    (team / "templates" / "en" / "mail.j2").write_text('{% include "part.j2" %}\n')
    renderer = Renderer([ContentRoot(team, "team")], inline_includes=True)
    env = renderer.environment("en")
    tree = sandbox.inline(env, "mail.j2", ("mail.j2",), [])
    assert tree is not None
    assert compiled.source(tree, FILTERS, env.globals) is None
    assert renderer.fast("mail.j2", "en") is None
    assert renderer._inlined_template("mail.j2", "en") is not None  # Jinja's inlined way


def test_template_text_never_becomes_code() -> None:
    text = '""" + __import__("os").system("false") + """{{ a }}\'\'\'{#x#}\\'
    render_fast = fast(text)
    assert render_fast is not None
    assert render_fast({"a": 1}) == jinja(text, {"a": 1})


def test_a_name_only_a_branch_not_taken_reads_is_left_to_jinja(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The function needs every name it reads; Jinja does not, and writes the draft.
    text = "{% if false %}{{ no_such_name }}{% endif %}{{ customer_name }}\n"
    write_playbook(team, "parts", templates={"en": text, "ja": text})
    catalog = Catalog([ContentRoot(team, "team"), builtin_root()])
    plain = jinja_only(Renderer(catalog.roots))
    batch = Renderer(catalog.roots, inline_includes=True)
    request = Request("parts", "en", Sources(example=True), TODAY)
    expected = make_draft(catalog, plain, request).draft
    jinja_renders: list[object] = []
    inlined = sandbox.render_inlined

    def counted(*args: Any) -> Any:
        jinja_renders.append(args)
        return inlined(*args)

    monkeypatch.setattr(sandbox, "render_inlined", counted)
    assert batch.fast("parts/mail.j2", "en") is not None
    assert make_draft(catalog, batch, request).draft == expected
    assert len(jinja_renders) == 1


def test_a_long_template_compiles_in_pieces() -> None:
    # One f-string with every field would take Python time that grows with their square.
    text = "".join(f"{i}{{{{ a }}}}{{% if b %}}-{{{{ a|date }}}}{{% endif %}}" for i in range(500))
    found = compiled.source(ENV.parse(text), FILTERS, ENV.globals)
    assert found is not None and "''.join((" in found
    render_fast = fast(text)
    assert render_fast is not None
    for b in (True, False):
        assert render_fast({"a": "x", "b": b}) == jinja(text, {"a": "x", "b": b})
