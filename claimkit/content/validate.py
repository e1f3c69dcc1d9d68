"""claimkit validate: every playbook and template a team ships, checked before anyone drafts.

A problem is reported with file:line and the checks go on, so one run lists
everything to fix: the schema of each playbook, each step's template in each
language (exists, parses, uses only declared variables), every template file
in the folder (parses), and finally a draft of every step with the example
values, which catches what only shows when a template runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import NamedTuple

from claimkit.content.catalog import COMMON_FILE, Catalog, load_yaml_file
from claimkit.content.playbook import (
    LANGS,
    RESERVED,
    Playbook,
    Step,
    parse_common,
    parse_playbook,
)
from claimkit.errors import ClaimkitError
from claimkit.paths import ContentRoot, confined
from claimkit.render.lookup import TemplateFiles, TemplateMissing
from claimkit.render.renderer import Renderer
from claimkit.values.resolve import Sources


class Problem(NamedTuple):
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Report(NamedTuple):
    problems: tuple[Problem, ...]
    playbooks: int
    templates: int


def _problem(e: ClaimkitError, fallback: str) -> Problem:
    return Problem(e.where or fallback, e.message)


def validate(roots: list[ContentRoot], target: ContentRoot, today: date) -> Report:
    """Check the content of ``target``, resolving templates through all ``roots``."""
    from claimkit.pipeline import Request, make_draft

    problems: list[Problem] = []
    catalog = Catalog(roots)
    renderer = Renderer(roots)
    common_path = target.playbooks / COMMON_FILE
    if common_path.is_file():
        try:
            confined(common_path, target.path)
            load_yaml_file(common_path, lambda d: parse_common(d, common_path))
        except ClaimkitError as e:
            problems.append(_problem(e, str(common_path)))
    try:
        common = catalog.common()
    except ClaimkitError:
        common = None
    checked = 0
    for path in _playbook_files(target):
        checked += 1
        try:
            confined(path, target.path)
            own = load_yaml_file(path, partial(parse_playbook, file=path, expected_id=path.stem))
        except ClaimkitError as e:
            problems.append(_problem(e, str(path)))
            continue
        playbook = common.around(own) if common else own
        problems += _address_problems(playbook)
        problems += _due_problems(playbook)
        problems += _template_problems(renderer, playbook)
        for lang in playbook.languages:
            for step in playbook.steps:
                if not step.template:
                    continue
                request = Request(playbook.id, lang, Sources(example=True), today, step.id)
                try:
                    make_draft(_Fixed(catalog, playbook), renderer, request)
                except ClaimkitError as e:
                    where = e.where or f"{path}:{step.line}"
                    problems.append(
                        Problem(
                            where,
                            f"drafting {playbook.id}/{step.id} ({lang}) "
                            f"with --example failed: {e.message}",
                        )
                    )
    templates = 0
    for lang_dir, file in _template_files(target):
        templates += 1
        problem = _compile_problem(renderer, lang_dir, file)
        if problem:
            problems.append(problem)
    unique = list(dict.fromkeys(problems))
    return Report(tuple(unique), checked, templates)


class _Fixed(Catalog):
    """A catalog that answers with one already-parsed playbook."""

    def __init__(self, base: Catalog, playbook: Playbook) -> None:
        super().__init__(base.roots)
        self._loaded[playbook.id] = playbook


def _playbook_files(root: ContentRoot) -> Iterator[Path]:
    if root.playbooks.is_dir():
        for path in sorted(root.playbooks.iterdir()):
            if path.suffix in (".yaml", ".yml") and not path.name.startswith(("_", ".")):
                yield path


def _template_files(root: ContentRoot) -> Iterator[tuple[Path, Path]]:
    if not root.templates.is_dir():
        return
    for lang_dir in sorted(p for p in root.templates.iterdir() if p.is_dir()):
        for file in sorted(lang_dir.rglob("*.j2")):
            yield lang_dir, file


def _compile_problem(renderer: Renderer, lang_dir: Path, file: Path) -> Problem | None:
    """A template file of the folder, parsed on its own as a draft would read it."""
    import jinja2

    from claimkit.render import sandbox

    if lang_dir.name not in LANGS:
        return Problem(str(lang_dir), f"templates are kept per language: {', '.join(LANGS)}")
    name = file.relative_to(lang_dir).as_posix()
    # Read as a draft reads it (text, size, confinement), only this folder's file first.
    own = renderer.files(lang_dir.name)
    files = TemplateFiles([lang_dir, *own.folders], own.builtin, own.confined_to)
    try:
        sandbox.parse(sandbox.environment(files, {}), name)
    except (TemplateMissing, jinja2.TemplateNotFound):  # not a regular file
        return Problem(str(file), "not a file inside a templates folder; a draft cannot read it")
    except ClaimkitError as e:
        return _problem(e, str(file))
    return None


def _address_problems(playbook: Playbook) -> list[Problem]:
    """A step's To must be a variable of type email: one address, checked as typed; a
    variable asked only ``when`` another has a value must name one of the playbook."""
    problems = [
        Problem(
            f"{playbook.source}:{v.line}",
            f"variable '{v.name}': when: '{v.when}' is not a variable of the playbook",
        )
        for v in playbook.variables
        if v.when is not None and playbook.variable(v.when) is None
    ]
    for step in playbook.steps:
        if step.to is None:
            continue
        var = playbook.variable(step.to)
        if var is None:
            problems.append(
                Problem(
                    f"{playbook.source}:{step.line}",
                    f"step '{step.id}': to: '{step.to}' is not a variable of the playbook",
                )
            )
        elif var.type != "email":
            problems.append(
                Problem(
                    f"{playbook.source}:{var.line}",
                    f"variable '{var.name}' is the To of step '{step.id}', so its type must "
                    f"be email, not {var.type}",
                )
            )
    return problems


def _due_problems(playbook: Playbook) -> list[Problem]:
    """What a step's due: and limits: name must exist: a date or datetime variable, another
    step (a chain of with: that ends), a step with a message to draft at a limit."""
    from claimkit.cases.due import references

    problems = []
    steps = {s.id: s for s in playbook.steps}
    for step in playbook.steps:
        where = f"{playbook.source}:{step.line}"
        if step.due is not None:
            where = step.due.where or where
            variable, other = references(step.due)
            var = playbook.variable(variable) if variable else None
            if variable and var is None:
                problems.append(
                    Problem(where, f"step '{step.id}': due: '{variable}' is not a variable")
                )
            elif var is not None and var.type not in ("date", "datetime"):
                problems.append(
                    Problem(
                        where,
                        f"step '{step.id}': due: '{variable}' must be a date or datetime "
                        f"variable, not {var.type}",
                    )
                )
            if other is not None and (other not in steps or other == step.id):
                problems.append(
                    Problem(where, f"step '{step.id}': due: with: '{other}' is not another step")
                )
            elif other is not None and _loops(steps, step.id):
                problems.append(
                    Problem(where, f"step '{step.id}': due: with: goes round in a loop")
                )
        then = step.limits.then if step.limits else None
        if then is not None and (then not in steps or not steps[then].template):
            problems.append(
                Problem(
                    f"{playbook.source}:{step.limits.line if step.limits else step.line}",
                    f"step '{step.id}': limits: then: '{then}' is not a step with a template",
                )
            )
    return problems


def _loops(steps: dict[str, Step], start: str) -> bool:
    seen: set[str] = set()
    current: str | None = start
    while current in steps:
        if current in seen:
            return True
        seen.add(current)
        due = steps[current].due
        current = due.together_with if due else None
    return False


def _template_problems(renderer: Renderer, playbook: Playbook) -> list[Problem]:
    """Each step's template in each language: found, parses, uses declared names only
    (the names as the renderer's own scan finds them)."""
    declared = {v.name for v in playbook.variables} | RESERVED | {"today"}
    problems: list[Problem] = []
    for lang in playbook.languages:
        for step in playbook.steps:
            if not step.template:
                continue
            try:
                scan = renderer.scan(step.template, lang)
            except ClaimkitError as e:
                if "not found" in e.message and e.where is None:
                    problems.append(
                        Problem(
                            f"{playbook.source}:{step.line}",
                            f"step '{step.id}': template '{step.template}' "
                            f"not found in templates/{lang}/",
                        )
                    )
                else:
                    problems.append(_problem(e, step.template))
                continue
            for other in scan.included:
                try:
                    there = renderer.exists(other, lang)
                except ClaimkitError as e:  # a file that is not text, or leads outside
                    problems.append(_problem(e, other))
                    continue
                if not there:
                    problems.append(
                        Problem(
                            f"{playbook.source}:{step.line}",
                            f"step '{step.id}': template '{other}' (included) "
                            f"not found in templates/{lang}/",
                        )
                    )
            internal = {v.name for v in playbook.variables if v.audience == "internal"}
            for var, (filename, line) in sorted(scan.names.items()):
                if var in internal and step.audience != "internal":
                    problems.append(
                        Problem(
                            f"{filename}:{line}" if line else filename,
                            f"'{var}' is an internal note (audience: internal) and step "
                            f"'{step.id}' writes to the {step.audience}; keep it out of this "
                            "message",
                        )
                    )
                if var not in declared:
                    problems.append(
                        Problem(
                            f"{filename}:{line}" if line else filename,
                            f"'{var}' is not a variable of playbook '{playbook.id}' "
                            f"({playbook.source}); declare it under variables:",
                        )
                    )
    return problems
