"""How amtui compares what people typed: the one text normaliser.

Names, choices, stages and statuses are all compared through :func:`fold`, so "In-progress",
"in progress" and "ＩＮ　PROGRESS" are the same choice and "li  wei" is Li Wei. :func:`clip` and
:func:`fit` are the one way a text is cut to terminal cells (a Chinese character takes two).
This module imports nothing of amtui: everything else may use it.

    >>> fold("  IN-progress ") == fold("In Progress") == "in progress"
    True
    >>> fold("  Li\u3000WEI "), fold(None)
    ('li wei', '')
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rich.cells import cell_len, set_cell_size

# Sheets repeat the same few hundred statuses, stages and names tens of thousands of times
# (the KPIs and the standup fold them per row): remember what each text folds to.
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 65536


def fold(text: Any) -> str:
    """The comparison key of a text: width (NFKC), case, ``-``/``_`` and spacing ignored.

    ``None`` and blank give ``""``; other values are compared as their ``str``.

    >>> fold("On_Track"), fold(" Ａ ")
    ('on track', 'a')
    """
    if not text:
        return ""
    if text.__class__ is str:
        found = _FOLDED.get(text)
        if found is not None:
            return found
        raw = text
    else:
        raw = str(text)
    if raw.isascii():  # the common case, several times faster than NFKC
        folded = raw.lower()
    else:
        folded = unicodedata.normalize("NFKC", raw).casefold()
    if "-" in folded or "_" in folded:
        folded = folded.replace("-", " ").replace("_", " ")
    folded = " ".join(folded.split())
    if raw is text:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        _FOLDED[text] = folded
    return folded


def clip(text: Any, width: int) -> str:
    """``text`` on one line in at most ``width`` cells, ending in "…" when cut (never
    through a double-width character).

    >>> clip("Harborview Hotels", 10), clip("上海明达汽车有限公司", 10), clip("ab上海", 4)
    ('Harborvie…', '上海明达…', 'ab…')
    >>> clip("  two   spaced  ", 20)
    'two spaced'
    """
    flat = " ".join(str(text if text is not None else "").split())
    if cell_len(flat) <= width:
        return flat
    if width <= 0:
        return ""
    cut = flat[: width - 1]
    while cut and cell_len(cut) > width - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def fit(text: Any, width: int) -> str:
    """``text`` in exactly ``width`` cells: :func:`clip`, then padded with spaces.

    >>> fit("上海明达", 6) + "|", fit("Harborview Hotels", 12) + "|"
    ('上海… |', 'Harborview… |')
    """
    return set_cell_size(clip(text, width), max(width, 0))
