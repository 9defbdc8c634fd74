"""Google field masks: the ``fields`` query parameter and FieldMask strings in requests.

    >>> tree = parse_mask("spreadsheetId,sheets(properties(title))")
    >>> apply_mask({"spreadsheetId": "x", "sheets": [{"properties": {"title": "A", "index": 0}}]},
    ...            tree)
    {'spreadsheetId': 'x', 'sheets': [{'properties': {'title': 'A'}}]}
    >>> mask_paths(parse_mask("gridProperties/rowCount,userEnteredFormat(textFormat,padding)"))
    [['gridProperties', 'rowCount'], ['userEnteredFormat', 'textFormat'], \
['userEnteredFormat', 'padding']]

Paths use ``.`` or ``/`` between names and ``a(b,c)`` for sub-selections;
``*`` selects everything (the parsed tree is then None).
"""

from __future__ import annotations

import re
from typing import Any

from .model import ApiError


def parse_mask(text: str) -> dict | None:
    """``sheets(properties(title)),spreadsheetId`` -> nested dict; None means all."""
    pos = 0

    def parse_list() -> dict:
        nonlocal pos
        tree: dict = {}
        while pos < len(text):
            match = re.compile(r"\s*([\w*@]+(?:[./][\w*@]+)*)\s*").match(text, pos)
            if not match:
                raise ApiError(400, f"Invalid field selection {text}")
            path = re.split(r"[./]", match.group(1))
            pos = match.end()
            sub = None
            if text[pos:pos + 1] == "(":
                pos += 1
                sub = parse_list()
                if text[pos:pos + 1] != ")":
                    raise ApiError(400, f"Invalid field selection {text}")
                pos += 1
            _insert(tree, path, sub)
            if text[pos:pos + 1] == ",":
                pos += 1
                continue
            break
        return tree

    tree = parse_list()
    if pos != len(text):
        raise ApiError(400, f"Invalid field selection {text}")
    return None if "*" in tree else tree


def _insert(tree: dict, path: list[str], sub: dict | None) -> None:
    node = tree
    for key in path[:-1]:
        if key in node and node[key] is None:
            return
        node = node.setdefault(key, {})
    last = path[-1]
    if sub is None or node.get(last, {}) is None:
        node[last] = None
    else:
        existing = node.setdefault(last, {})
        for key, value in sub.items():
            _insert(existing, [key], value)


def apply_mask(obj: Any, tree: dict | None) -> Any:
    """Keep only the fields of ``obj`` selected by a parsed mask."""
    if tree is None or "*" in tree:
        return obj
    if isinstance(obj, list):
        return [apply_mask(item, tree) for item in obj]
    if isinstance(obj, dict):
        return {k: apply_mask(v, tree[k]) for k, v in obj.items() if k in tree}
    return obj


def mask_paths(tree: dict | None, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Flatten a parsed mask into paths; everything selected is ``[["*"]]``."""
    if tree is None:
        return [list(prefix)] if prefix else [["*"]]
    out: list[list[str]] = []
    for key, sub in tree.items():
        out.extend(mask_paths(sub, (*prefix, key)))
    return out


def mask_selects(tree: dict | None, path: list[str]) -> bool:
    """True when the mask selects ``path`` (or all of one of its parents)."""
    node = tree
    for key in path:
        if node is None:
            return True
        if key not in node:
            return False
        node = node[key]
    return True
