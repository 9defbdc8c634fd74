"""The catalogs: every text in the source has a zh-CN translation with the same
placeholders, the committed .mo is the compiled .po, and no English UI text bypasses the
catalog (a ``Binding`` description, a ``notify``, a ``Static``/``Label``/``Button`` text, a
CLI ``print`` or help text)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

from amtui import locale
from amtui.domain import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "amtui"

# words that are the same in both languages: names, formats, keys
NOT_ENGLISH = {
    "amtui", "csv", "json", "html", "xlsx", "md", "toml", "id", "ids", "url", "ctrl", "esc",
    "tab", "enter", "shift", "pgup", "pgdn", "sqlite", "utf", "kpi", "kpis", "csat", "http",
    "https", "smtp", "api", "ok", "wecom", "feishu", "dingtalk", "slack", "google", "mailto",
    "www", "com", "cn", "en", "zh", "xdg", "appdata", "lang", "py", "pip", "venv", "ascii",
}
WORD = re.compile(r"[A-Za-z]{2,}")
# (function or method name, positional indexes, keyword names) that show text to a person
UI_CALLS = {
    "Binding": ((2,), ("description", "tooltip")),
    "notify": ((0,), ("message", "title")),
    "Static": ((0,), ()),
    "Label": ((0,), ()),
    "Button": ((0,), ()),
    "Checkbox": ((0,), ()),
    "RadioButton": ((0,), ()),
    "Input": ((), ("placeholder",)),
    "Select": ((), ("prompt",)),
}
CLI_CALLS = {
    "print": ((0, 1, 2, 3), ()),
    "fail": ((0,), ()),
    "UsageError": ((0,), ()),
    "add_argument": ((), ("help",)),
    "add_parser": ((), ("help", "description")),
    "ArgumentParser": ((), ("description", "epilog")),
}


def english(node: ast.AST | None) -> str | None:
    """The English words of a literal text node (None when it has none or is translated)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = [w for w in WORD.findall(node.value) if w.casefold() not in NOT_ENGLISH]
        return node.value if words else None
    if isinstance(node, ast.JoinedStr):
        return next((english(v) for v in node.values if english(v)), None)
    if isinstance(node, ast.BinOp):
        return english(node.left) or english(node.right)
    if isinstance(node, ast.IfExp):
        return english(node.body) or english(node.orelse)
    return None


def call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def untranslated(path: Path, text: str) -> list[str]:
    """``file:line: text`` for every literal English text shown to a person."""
    parts = path.parts
    rel = Path(*parts[len(parts) - 1 - parts[::-1].index("amtui"):])
    calls = dict(UI_CALLS)
    if "cli" in rel.parts:
        calls |= CLI_CALLS
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call) or call_name(node) not in calls:
            continue
        positions, keywords = calls[call_name(node)]
        shown = [node.args[i] for i in positions if i < len(node.args)]
        shown += [k.value for k in node.keywords if k.arg in keywords]
        for value in shown:
            words = english(value)
            if words:
                found.append(f"{rel}:{value.lineno}: {words!r}")
    return found


def source_files():
    return sorted(p for p in SOURCE.rglob("*.py") if "locale" not in p.parts)


def test_no_english_ui_text_bypasses_the_catalog():
    found = [f for path in source_files() for f in untranslated(path, path.read_text())]
    assert not found, "wrap these in _() or N_():\n" + "\n".join(found)


@pytest.mark.parametrize("planted", [
    'Binding("n", "new", "New project", id="board.new")',
    'self.notify(f"Saved {n} records")',
    'self.notify(_("ok"), title="Sync failed")',
    'Static("Nothing here yet")',
    'Label("Due " + day)',
    'Input(placeholder="Search projects")',
])
def test_the_check_finds_planted_english(tmp_path, planted):
    path = tmp_path / "amtui" / "ui" / "planted.py"
    path.parent.mkdir(parents=True)
    assert untranslated(path, planted + "\n") != []


def test_the_check_accepts_translated_text_and_cli_only_rules(tmp_path):
    translated = ('Binding("n", "new", N_("New project"), id="board.new")\n'
                  'self.notify(_("Saved {n} records").format(n=3), title=_("Sync"))\n'
                  'Static(f"{count} · {when}")\nprint("nothing to say")\n')
    path = tmp_path / "amtui" / "ui" / "fine.py"
    path.parent.mkdir(parents=True)
    assert untranslated(path, translated) == []
    cli = tmp_path / "amtui" / "cli" / "main.py"
    cli.parent.mkdir(parents=True)
    assert untranslated(cli, 'print("nothing to say")\n') != []


def test_every_text_has_a_zh_cn_translation_with_the_same_placeholders():
    found = locale.problems("zh_CN")
    assert not found, f"{len(found)} texts; run python -m amtui.locale update:\n" + \
        "\n".join(found[:60])


def test_the_committed_mo_is_the_compiled_po():
    catalog = locale.read("zh_CN")
    with open(locale.po_path("zh_CN").with_suffix(".mo"), "rb") as f:
        compiled = gettext.GNUTranslations(f)
    def shown(m):
        return compiled.pgettext(m.context, m.id) if m.context else compiled.gettext(m.id)

    stale = [m.id for m in catalog if m.id and isinstance(m.id, str)
             and shown(m) != (m.string or m.id)]
    assert not stale, "run python -m amtui.locale update; stale: " + repr(stale[:10])


def test_placeholders_are_compared_by_name():
    assert locale.placeholders("{n:,} 个, 截止 {due}") == {"n", "due"}
    assert locale.placeholders("{{literal}}") == {"literal"}  # brace escapes count as text


def test_the_language_follows_the_setting_then_the_environment():
    assert i18n.resolve("auto", {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}) == "zh-CN"
    assert i18n.resolve("auto", {}) == "en"
    assert i18n.use("zh-CN") == "zh-CN" and i18n._("Board") == "看板"
    assert i18n.use("en") == "en" and i18n._("Board") == "Board"


def test_a_thread_speaking_english_leaves_the_others_chinese():
    """The sync keeps problems in English on its thread while the UI thread draws Chinese."""
    import threading

    i18n.use("zh-CN")
    seen = {}
    inside = threading.Event()
    leave = threading.Event()

    def sync_thread():
        with i18n.speaking("en"):
            seen["sync"] = (i18n._("Board"), i18n.current())
            inside.set()
            leave.wait(5)
        seen["after"] = i18n._("Board")

    worker = threading.Thread(target=sync_thread)
    worker.start()
    assert inside.wait(5)
    seen["ui"] = (i18n._("Board"), i18n.current())
    leave.set()
    worker.join(5)
    assert seen == {"sync": ("Board", "en"), "ui": ("看板", "zh-CN"), "after": "看板"}
