"""amtui's translation catalogs, kept with Babel.

``zh_CN/LC_MESSAGES/amtui.po`` is what translators edit; ``amtui.mo`` next to it is its
compiled form, committed so that ``pip install -e .`` needs no build step (a test fails
when the two differ). To add or change a text::

    python -m amtui.locale update    # extract every _() / N_() / ngettext() from amtui/,
                                     # merge into each .po, compile the .mo files
    python -m amtui.locale check     # list texts without a translation (exit 1 if any)

    >>> sorted(placeholders("{n} days late, due {due}"))
    ['due', 'n']
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent
POT = HERE / "amtui.pot"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` / ``{n:,}`` placeholders of a text, by name."""
    return {m.group(1).split(":")[0].split("!")[0] for m in _PLACEHOLDER.finditer(text)}


def po_path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / "amtui.po"


def extract():
    """Every translatable text in amtui's source, as a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="amtui", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            SOURCE, method_map=[("**/tests/**", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"amtui/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def read(language: str):
    from babel.messages.pofile import read_po

    with open(po_path(language), "rb") as f:
        return read_po(f, locale=language)


def write(language: str, catalog) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False,
                 include_previous=False)
    with open(path.with_suffix(".mo"), "wb") as f:
        write_mo(f, catalog)


def update() -> dict[str, int]:
    """Extract, merge into every language's .po, compile. Returns the number of texts per
    language still without a translation."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = extract()
    with open(POT, "wb") as f:
        write_po(f, template, width=100, omit_header=True)
    left = {}
    for language in LANGUAGES:
        try:
            catalog = read(language)
        except FileNotFoundError:
            catalog = Catalog(locale=language, project="amtui", fuzzy=False)
        # no fuzzy matching: a guessed translation of a changed text is worse than none
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        write(language, catalog)
        left[language] = len(problems(language, catalog))
    return left


def _filled(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return all(strings) and "fuzzy" not in message.flags


def problems(language: str, catalog=None) -> list[str]:
    """What is wrong with a language's catalog against the source: texts missing or without
    translation, fuzzy entries, placeholders that differ."""
    catalog = catalog if catalog is not None else read(language)
    found = []
    for message in extract():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        translated = catalog.get(message.id, context=message.context)
        if translated is None or not _filled(translated):
            found.append(f"{where}: no {language} translation for {ids[0]!r}")
            continue
        strings = translated.string if isinstance(translated.string, tuple | list) \
            else (translated.string,)
        for text in strings:
            if placeholders(text) != placeholders(ids[-1]):
                found.append(f"{where}: placeholders differ: {ids[-1]!r} -> {text!r}")
    return found
