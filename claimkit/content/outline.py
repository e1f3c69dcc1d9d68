"""A playbook as a person reads it: the steps as a checklist, the variables, the notes.

Lines come with a style name so the CLI can print them plain into a pipe or
styled on a terminal from the same source.
"""

from __future__ import annotations

from typing import Any

from claimkit.content.catalog import Catalog
from claimkit.content.playbook import Limits, Playbook

Line = tuple[str, str]  # (style, text); style "" is plain

_WORDS = {
    "ja": {
        "steps": "手順",
        "variables": "変数",
        "notes": "注意点",
        "deadline": "期限",
        "limit": "上限",
        "draft": "文面",
        "required": "必須",
        "optional": "任意",
        "example": "例",
        "default": "既定",
        "channel": {
            "email": "メール",
            "phone": "電話",
            "visit": "訪問",
            "remote": "リモート",
            "review": "レビューへの返信",
            "record": "記録",
            "meeting": "打ち合わせ",
        },
        "audience": {"customer": "お客様宛", "internal": "社内", "public": "公開"},
        "by_hand": "文面なし（手順のみ）",
        "types": {
            "text": "文字",
            "multiline": "複数行",
            "number": "数値",
            "email": "メールアドレス",
            "date": "日付",
            "datetime": "日時",
            "bool": "はい／いいえ",
            "choice": "選択",
        },
        "today": "今日",
        "yes": "はい",
        "no": "いいえ",
        "columns": ("ID", "場面", "手順", "出典"),
        "origins": {"built-in": "標準", "team": "チーム", "user": "個人"},
        "internal_var": "社内用",
    },
    "en": {
        "steps": "Steps",
        "variables": "Variables",
        "notes": "Notes",
        "deadline": "Deadline",
        "limit": "Limit",
        "draft": "Draft",
        "required": "required",
        "optional": "optional",
        "example": "e.g.",
        "default": "default",
        "channel": {
            "email": "email",
            "phone": "phone",
            "visit": "visit",
            "remote": "remote check",
            "review": "review reply",
            "record": "record",
            "meeting": "meeting",
        },
        "audience": {"customer": "to the customer", "internal": "internal", "public": "public"},
        "by_hand": "no message (a step to do)",
        "types": {t: t for t in ("text", "multiline", "number", "email", "date", "datetime")}
        | {"bool": "yes/no", "choice": "choice"},
        "today": "today",
        "yes": "yes",
        "no": "no",
        "columns": ("id", "title", "steps", "from"),
        "origins": {"built-in": "built-in", "team": "team", "user": "user"},
        "internal_var": "internal",
    },
}


def checklist(playbook: Playbook, lang: str) -> list[Line]:
    w: dict[str, Any] = _WORDS[lang]
    lines: list[Line] = [
        ("title", f"{playbook.id} — {playbook.title.get(lang)}"),
        ("", playbook.summary.get(lang)),
        ("", ""),
        ("heading", w["steps"]),
    ]
    for n, step in enumerate(playbook.steps, 1):
        kind = f"{w['channel'][step.channel]}, {w['audience'][step.audience]}"
        lines.append(("step", f"[ ] {n}. {step.title.get(lang)}  ({step.id}; {kind})"))
        lines.append(("", f"      {step.do.get(lang)}"))
        if step.deadline:
            lines.append(("deadline", f"      {w['deadline']}: {step.deadline.get(lang)}"))
        if step.limit:
            lines.append(("deadline", f"      {w['limit']}: {step.limit.get(lang)}"))
        if step.template:
            lines.append(
                ("dim", f"      {w['draft']}: claimkit draft {playbook.id} --step {step.id}")
            )
        else:
            lines.append(("dim", f"      {w['by_hand']}"))
    lines += [("", ""), ("heading", w["variables"])]
    for var in playbook.variables:
        need = w["required"] if var.required else w["optional"]
        extra = ""
        if var.default is not None:
            extra = f"; {w['default']}: {_shown(var.localized(var.default, lang), lang)}"
        elif var.example is not None:
            extra = f"; {w['example']} {_shown(var.localized(var.example, lang), lang)}"
        if var.choices:
            extra += f"; {' | '.join(c.value for c in var.choices)}"
        kind = w["types"][var.type]
        lines.append(("var", f"  {var.name}  {var.prompt.get(lang)} ({kind}, {need}{extra})"))
    if playbook.notes:
        lines += [("", ""), ("heading", w["notes"])]
        lines += [("note", f"  - {note.get(lang)}") for note in playbook.notes]
    return lines


def wrapped(lines: list[Line], lang: str, width: int) -> list[Line]:
    """``lines`` fitted to a terminal ``width``: Japanese between phrases with 禁則 (no
    line starts with 、 or 。), continuation lines under the text, never a lone bullet."""
    from claimkit.mail.wrap import display_width, wrap

    out: list[Line] = []
    for style, text in lines:
        body = text.lstrip(" ")
        indent = len(text) - len(body)
        if style in ("note", "step") and body[:2] in ("- ", "[ "):
            mark = body[: body.index(" ", 2) + 1] if style == "step" else "- "
            indent += len(mark)
        room = width - indent
        if display_width(text) <= width or room < 20:
            out.append((style, text))
            continue
        first, *rest = wrap(text[indent:], lang, room).split("\n")
        out.append((style, text[:indent] + first))
        out += [(style, " " * indent + more) for more in rest]
    return out


def _shown(value: Any, lang: str) -> str:
    """A default or example as one short line: yes/no, not True/False; no line breaks."""
    w: dict[str, Any] = _WORDS[lang]
    if isinstance(value, bool):
        return str(w["yes"] if value else w["no"])
    if value == "today":
        return str(w["today"])
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


STYLES = {
    "title": "bold",
    "heading": "bold underline",
    "step": "bold cyan",
    "deadline": "yellow",
    "dim": "dim",
    "var": "",
    "note": "",
    "": "",
}


def words(lang: str) -> dict[str, Any]:
    """The words a checklist or a listing is written with, in ``lang``."""
    return _WORDS[lang]


def as_json(playbook: Playbook, lang: str) -> dict[str, Any]:
    """A playbook as ``claimkit show --format json`` prints it."""

    def t(x: Any) -> Any:
        return x.get(lang) if x is not None else None

    return {
        "id": playbook.id,
        "title": t(playbook.title),
        "summary": t(playbook.summary),
        "languages": list(playbook.languages),
        "steps": [
            {
                "id": s.id,
                "title": t(s.title),
                "do": t(s.do),
                "channel": s.channel,
                "audience": s.audience,
                "deadline": t(s.deadline),
                "limit": t(s.limit),
                "due": str(s.due) if s.due else None,  # as the case log reads it
                "limits": _limits(s.limits),
                "template": s.template,
            }
            for s in playbook.steps
        ],
        "variables": [
            {
                "name": v.name,
                "type": v.type,
                "prompt": t(v.prompt),
                "required": v.required,
                "default": _plain(v.localized(v.default, lang)),
                "example": _plain(v.localized(v.example, lang)),
                "choices": [c.value for c in v.choices],
            }
            for v in playbook.variables
        ],
        "notes": [t(n) for n in playbook.notes],
    }


def _plain(value: Any) -> Any:
    from claimkit.values.resolve import plain

    return plain(value)


def listing(catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    """The scenarios as ``claimkit list --format json`` prints them."""
    rows = []
    for pid, entry in catalog.entries().items():
        pb = catalog.load(pid)
        rows.append(
            {
                "id": pid,
                "title": pb.title.get(lang),
                "summary": pb.summary.get(lang),
                "steps": [s.id for s in pb.steps],
                "drafts": [s.id for s in pb.steps if s.template],
                "languages": list(pb.languages),
                "origin": entry.root.origin,
                "path": str(entry.path),
            }
        )
    return rows


def _limits(limits: Limits | None) -> dict[str, Any] | None:
    if limits is None:
        return None
    return {"exchanges": limits.exchanges, "minutes": limits.minutes, "then": limits.then}
