"""How amtui compares what people typed: the one text normaliser.

Names, choices, stages and statuses are all compared through :func:`fold`, so "In-progress",
"in progress" and "ＩＮ　PROGRESS" are the same choice and "li  wei" is Li Wei. This module
imports nothing of amtui: everything else may use it.

    >>> fold("  IN-progress ") == fold("In Progress") == "in progress"
    True
    >>> fold("  Li\u3000WEI "), fold(None)
    ('li wei', '')
"""

from __future__ import annotations

import unicodedata
from typing import Any

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
