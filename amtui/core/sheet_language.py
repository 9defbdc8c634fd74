"""A sheet in another language: the config sections that name its tabs, headers and dropdown
words, so the sync reads it through the usual machinery (``[tabs]``, ``[headers.*]``,
``[stages.names]``, ``[choices.*.names]``).

``amtui init-sheet --language zh-CN`` adds them to the workspace's config (then creates the
Chinese tabs), and ``amtui demo --language zh-CN`` writes them into the demo's config. Stored
values stay canonical (``Delivered``, ``2026-12-03``, ``120000``): the words are read as
those values and written instead of them, so the sheet keeps speaking Chinese and the
board, KPIs and overdue rules work as they do on an English sheet.

    >>> text = config_text("zh-CN")
    >>> '[tabs]' in text and 'Projects = "项目"' in text and 'Due = "截止日期"' in text
    True
    >>> 'Delivered = "已交付"' in text
    True
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from amtui.core.config import load_config, toml_key, toml_value
from amtui.domain import schema
from amtui.domain.i18n import _


class SheetLanguageError(Exception):
    """The config already names the sheet otherwise; worded for the person who fixes it."""


def config_text(language: str) -> str:
    """The config sections of a sheet in ``language`` (empty for English, the default)."""
    if language == "en":
        return ""
    names = schema.sheet_names(language)
    lines = [
        "# The sheet's tabs, columns and dropdown words are Chinese (amtui init-sheet",
        "# --language zh-CN). amtui reads these names and writes the dropdowns' words; what",
        "# people type stays as typed.",
        "[tabs]",
    ]
    for key, tab in schema.TABS.items():
        lines.append(f"{toml_key(tab.title)} = {toml_value(names['tabs'][key])}")
    for key, tab in schema.TABS.items():
        lines += ["", f"[headers.{toml_key(tab.title)}]"]
        for f in tab.fields:
            lines.append(f"{toml_key(f.header)} = {toml_value(names['headers'][key][f.key])}")
    for (tab_key, field_key), words in names["values"].items():
        tab = schema.TABS[tab_key]
        pairs = ", ".join(f"{toml_key(v)} = {toml_value(w)}" for v, w in words.items())
        if (tab_key, field_key) == ("projects", "stage"):
            lines += ["", "[stages.names]"]
            lines += [f"{toml_key(v)} = {toml_value(w)}" for v, w in words.items()]
            continue
        header = tab.field(field_key).header
        lines += ["", f"[choices.{toml_key(tab.title)}.{toml_key(header)}]",
                  f"names = {{ {pairs} }}"]
    return "\n".join(lines) + "\n"


def names_the_sheet(config, language: str) -> bool:
    """True when ``config`` already names tabs and headers as a ``language`` sheet does."""
    names = schema.sheet_names(language)
    return all(config.title_of(k) == t for k, t in names["tabs"].items()) and all(
        config.header_of(k, f) == h for k, fields in names["headers"].items()
        for f, h in fields.items())


def use_sheet_language(config_path: Path, language: str) -> bool:
    """Add the sections of a ``language`` sheet to the config at ``config_path``; False when
    it already has them. Raises :class:`SheetLanguageError` when the config names tabs,
    headers or dropdown words otherwise (amtui never rewrites a person's own names)."""
    if language == "en":
        return False
    config_path = Path(config_path)
    config = load_config(config_path)
    if names_the_sheet(config, language):
        return False
    text = config_path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    taken = [f"[{s}]" for s in ("tabs", "headers") if raw.get(s)]
    if raw.get("stages", {}).get("names"):
        taken.append("[stages] names")
    if any("names" in spec for cols in raw.get("choices", {}).values()
           if isinstance(cols, dict) for spec in cols.values() if isinstance(spec, dict)):
        taken.append("[choices.*] names")
    if taken:
        raise SheetLanguageError(
            _("{path} already names the sheet's tabs or columns ({sections}); remove them to "
              "use the Chinese template, or keep your names and run init-sheet without "
              "--language").format(path=config_path, sections=", ".join(taken)))
    if not text.endswith("\n"):
        text += "\n"
    config_path.write_text(text + "\n" + config_text(language), encoding="utf-8")
    load_config(config_path)  # the result must load: fail here, not at the next start
    return True


def with_sheet_language(workspace, language: str):
    """``init-sheet --language``: the workspace with its config naming a ``language`` sheet
    (the same workspace when nothing had to change). Says what it added to the config."""
    if not use_sheet_language(workspace.config.path, language):
        return workspace
    from amtui.core.workspace import Workspace

    print(_("added the Chinese names of tabs, columns and dropdown words to {path}").format(
        path=workspace.config.path))
    return Workspace.open(workspace.config.path)
