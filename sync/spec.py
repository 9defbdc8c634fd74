"""What the sync needs to know about a tab, independent of any app: its title, the columns it
owns (found by header name, with aliases) and how cell values are read and written.

    >>> spec = TabSpec("projects", "Projects", (ColumnSpec("id", "ID"), ColumnSpec("stage", "Stage")))
    >>> spec.column("stage").header
    'Stage'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    aliases: tuple[str, ...] = ()

    def matches(self, header_cell: str) -> bool:
        wanted = normalize_header(header_cell)
        return wanted == normalize_header(self.header) or wanted in {
            normalize_header(a) for a in self.aliases
        }


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    columns: tuple[ColumnSpec, ...]
    id_key: str = "id"
    title_aliases: tuple[str, ...] = ()
    # Prefix and width for IDs amtui gives to rows people added without one.
    id_prefix: str = "X"
    id_width: int = 4

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


@dataclass
class Codec:
    """Reads a sheet cell into the text amtui stores, and back.

    ``read(tab_key, field_key, cell) -> (text, reason_or_None)``: a reason means the value
    could not be read; ``text`` is then the value exactly as typed.
    ``write(tab_key, field_key, text) -> cell``: what goes into the sheet (RAW input).
    """

    read: Callable[[str, str, object], tuple[str, str | None]] = field(
        default=lambda tab, key, cell: (cell_text(cell), None)
    )
    write: Callable[[str, str, str], object] = field(default=lambda tab, key, text: text)


def normalize_header(text: object) -> str:
    return " ".join(str(text).replace("\u3000", " ").split()).casefold()


def cell_text(cell: object) -> str:
    """A cell value as people read it: ``7.0`` → ``"7"``, ``None`` → ``""``."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def column_letter(index: int) -> str:
    """0-based column index to A1 letters: ``column_letter(0) == "A"``, ``27 → "AB"``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_title(title: str) -> str:
    """A sheet title as it must appear in an A1 range: ``quote_title("It's") == "'It''s'"``."""
    return "'" + title.replace("'", "''") + "'"


def address(title: str, row: int, col: int) -> str:
    """``address("Projects", 14, 5) == "Projects!F14"`` (row 1-based, col 0-based)."""
    shown = title if title.replace("_", "").isalnum() and title.isascii() else quote_title(title)
    return f"{shown}!{column_letter(col)}{row}"
