"""What the sync needs to know about a tab, independent of any app: its title, the columns it
owns (found by header name, with aliases) and how cell values are read and written.

    >>> spec = TabSpec("projects", "Projects", (ColumnSpec("id", "ID"), ColumnSpec("stage", "Stage")))
    >>> spec.column("stage").header
    'Stage'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gspread.utils import a1_to_rowcol, rowcol_to_a1


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

    def rank(self, header_cell: str) -> int | None:
        """How closely a header cell names this column: 0 for the header itself, 1 + i for
        the i-th alias, None for neither (a sheet holding both the header and an alias as
        headers means the header's column).

            >>> ColumnSpec("due", "Due", ("截止",)).rank(" 截止 "), ColumnSpec("due", "Due").rank("x")
            (1, None)
        """
        wanted = normalize_header(header_cell)
        for i, name in enumerate((self.header, *self.aliases)):
            if wanted == normalize_header(name):
                return i
        return None


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
    """0-based column index to A1 letters (gspread's own A1 helper, the one the Sheets API
    calls go through; openpyxl's ``get_column_letter(index + 1)`` agrees).

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    return rowcol_to_a1(1, index + 1)[:-1]


def column_index(letters: str) -> int:
    """A1 letters to a 0-based column index: the inverse of :func:`column_letter`.

    >>> column_index("AB")
    27
    """
    return a1_to_rowcol(f"{letters}1")[1] - 1


def quote_title(title: str) -> str:
    """A sheet title as it must appear in an A1 range: ``quote_title("It's") == "'It''s'"``."""
    return "'" + title.replace("'", "''") + "'"


def address(title: str, row: int, col: int) -> str:
    """A cell as people and the API name it (row 1-based, col 0-based).

    >>> address("Projects", 14, 5), address("客户 list", 2, 0)
    ('Projects!F14', "'客户 list'!A2")
    """
    shown = title if title.replace("_", "").isalnum() and title.isascii() else quote_title(title)
    return f"{shown}!{rowcol_to_a1(row, col + 1)}"
