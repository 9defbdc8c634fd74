"""How records look on screen: project cards, feedback rows, stars, money, dates.

Everything here takes records exactly as stored (text, possibly a value a person typed that
could not be read) and never raises: a bad value is shown as typed, in the warning colour.
Widths are in terminal cells, so CJK text and emoji stay aligned.

    >>> fit("客户经理", 6)
    '客户… '
    >>> money_short("1242000"), stars("4")
    ('1.24M', '★★★★☆')
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content

from amtui.domain import i18n, schema
from amtui.domain.facts import is_closed_stage, is_handled, is_overdue
from amtui.domain.facts import response_hours as hours_between
from amtui.domain.i18n import _
from amtui.domain.parse import read_date, read_when
from amtui.domain.text import fit

# The inbox still imports the reader under its old name here.

HEALTH_LOOK = {
    "on track": ("●", "$success"),
    "at risk": ("▲", "$warning"),
    "blocked": ("■", "$error"),
}
PRIORITY_LOOK = {"high": "$error", "medium": "$warning", "low": "$text-muted"}
CARD_HEIGHT = 5  # four lines of card and a blank line between cards



def fitting_chars(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` cells (a wide character
    that would straddle the edge does not)."""
    cells = 0
    for n, char in enumerate(text):
        cells += get_character_cell_size(char)
        if cells > width:
            return n
    return len(text)


def cut_point(text: str, width: int) -> int:
    """Where to cut ``text`` so it fits ``width`` cells with a ``…`` after it: after the last
    whole word when that keeps at least half the width, else after the last whole
    character (CJK text has no spaces between words)."""
    end = fitting_chars(text, width - 1)
    if 0 < end < len(text) and 2 in (get_character_cell_size(text[end - 1]),
                                     get_character_cell_size(text[end])):
        return end  # inside CJK text, where every character is a word
    space = text.rfind(" ", 0, end + 1)
    if space > 0 and cell_len(text[:space]) >= (width - 1) // 2:
        return space
    return end


def fit_content(line: Content, width: int) -> Content:
    """One line of styled text in exactly ``width`` cells: padded, or cut with ``…``.

    >>> fit_content(Content("Harborview Hotels · Li Wei"), 23).plain
    'Harborview Hotels · Li…'
    >>> fit_content(Content("上海明达汽车"), 6).plain
    '上海… '
    """
    if width <= 0:
        return Content("")
    length = line.cell_length
    if length <= width:
        return line.pad_right(width - length)
    cut = cut_point(line.plain, width)
    head = line[:cut].rstrip(" ·")
    # the ellipsis in the style of the text it replaces
    at = max(cut - 1, 0)
    style = next((span.style for span in reversed(line.spans) if span.start <= at < span.end),
                 "")
    result = head + Content.styled("…", style)
    return result.pad_right(max(width - result.cell_length, 0))


def wrap_cells(text: str, width: int, lines: int) -> list[str]:
    """``text`` wrapped in at most ``lines`` lines of ``width`` cells, at spaces where it can
    (else between characters); the last line ends with ``…`` when text is left over.

    >>> wrap_cells("The new cut looks great, thanks to the whole team", 20, 2)
    ['The new cut looks', 'great, thanks to…']
    """
    words = " ".join(str(text).split())
    result: list[str] = []
    while words and len(result) < lines and width > 1:
        if cell_len(words) <= width:
            result.append(words)
            words = ""
            break
        if len(result) == lines - 1:
            result.append(words[:cut_point(words, width)].rstrip() + "…")
            words = ""
            break
        end = fitting_chars(words, width)
        space = words.rfind(" ", 0, end + 1)
        cut = space if space > 0 else end
        result.append(words[:cut].rstrip())
        words = words[cut:].lstrip()
    return result


def to_number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def money_short(text: str | float | None) -> str:
    """A compact amount: ``1.24M``, ``950k``, ``800``; ``?`` when unreadable. In Chinese
    ``124.2万``, ``1.5亿`` (``8,000`` and below as in English)."""
    value = text if isinstance(text, float | int) else to_number(text or "")
    if value is None:
        return "?" if text else ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if i18n.is_chinese() and value >= 10_000:  # 万 and 亿, as Chinese counts money
        return i18n.money_text(-value if sign else value, "wan", currency="")
    if value >= 1_000_000:
        shown = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    elif value >= 10_000:
        shown = f"{value / 1000:.0f}k"
    elif value >= 1000:
        shown = f"{value / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        shown = f"{value:.0f}"
    return sign + shown


def stars(rating: str) -> str:
    """``★★★★☆`` for ``"4"``, ``"-----"`` when blank, the raw text when unreadable."""
    if not rating:
        return "  –  "
    if rating.isdigit() and 1 <= int(rating) <= 5:
        n = int(rating)
        return "★" * n + "☆" * (5 - n)
    return fit(rating, 5)


def short_date(day: date, today: date) -> str:
    """``23 Feb`` this year, ``23 Feb '27`` another year (``2月23日``, ``2027年2月23日`` in
    Chinese)."""
    return i18n.day_text(day, today)


def needs_attention(record: dict, today: date) -> bool:
    """Overdue, at risk or blocked: what the board's "only overdue / at risk" shows."""
    health = record.get("health", "").casefold()
    return is_overdue(record, today) or health in ("at risk", "blocked")


def due_part(record: dict, today: date) -> tuple[str, str]:
    """The card's date text and its style."""
    stage = record.get("stage", "")
    if stage == schema.DELIVERED:
        done = record.get("delivered", "")
        day = read_date(done)
        if day is not None:
            return _("Delivered {day}").format(day=short_date(day, today)), "$success"
        return ((_("Delivered ? {value}").format(value=done) if done else _("Delivered ?")),
                "$warning")
    raw = record.get("due", "")
    if not raw:
        return _("No due date"), "$text-muted"
    due = read_date(raw)
    if due is None:
        return _("Due {value}?").format(value=raw), "$warning"
    text = _("Due {day}").format(day=short_date(due, today))
    if is_closed_stage(stage):
        return text, "$text-muted"
    if due < today:
        return _("{n}d overdue").format(n=(today - due).days), "bold $error"
    if (due - today).days <= 7:
        return text, "$warning"
    return text, ""


def card(record: dict, today: date) -> Content:
    """A project card: four lines, cut to the column width by the list's CSS."""
    name = record.get("project") or _("(no name)")
    client = record.get("client") or _("no client")
    manager = record.get("manager") or _("no manager")
    due_text, due_style = due_part(record, today)
    progress = record.get("progress", "")
    progress_text = f"{progress}%" if to_number(progress) is not None else (progress or "")
    health = record.get("health", "")
    mark, health_style = HEALTH_LOOK.get(health.casefold(), ("○", "$text-muted"))
    priority = record.get("priority", "")
    parts = [
        (name, "bold"), "\n",
        (f"{client} · {manager}", "$text-muted"), "\n",
        (due_text, due_style),
    ]
    if progress_text:
        parts += [(" · ", "$text-muted"), (progress_text, "")]
    parts += ["\n", (f"{mark} {schema.shown(health) if health else _('no health')}", health_style)]
    if priority:
        parts += [(" · ", "$text-muted"),
                  (schema.shown(priority), PRIORITY_LOOK.get(priority.casefold(), "$warning"))]
    parts += ["\n"]
    return Content.assemble(*parts)


def response_hours(record: dict, today: date) -> tuple[int | None, bool]:
    """Hours from Received to Responded (answered) or to today (still open); and whether
    the clock still runs. Exact hours when both have a time of day, else whole days."""
    received = read_when(record.get("received", ""))
    if received is None:
        return None, False
    responded = read_when(record.get("responded", ""))
    if responded is not None:
        hours = hours_between(received, responded)
        return (round(hours) if hours is not None else 0), False
    if is_handled(record.get("status", "")):
        return None, False
    return round(hours_between(received, today) or 0), True


def clock_text(hours: int | None) -> str:
    if hours is None:
        return ""
    return f"{hours}h" if hours < 100 else f"{hours // 24}d"


def clock_style(hours: int | None, running: bool, target: float) -> str:
    """Past the target: warning; past twice the target and still unanswered: error."""
    if hours is None:
        return "$text-muted"
    if hours > target:
        return "bold $error" if running and hours > 2 * target else "$warning"
    return "" if running else "$text-muted"


STATUS_STYLE = {
    "new": "bold $accent", "acknowledged": "$secondary", "in progress": "$primary",
    "resolved": "$success", "closed": "$text-muted",
}


def feedback_row(record: dict, today: date, target: float) -> Content:
    """One line of the inbox: status, clock, stars, source, client, project, manager,
    category and the start of the text."""
    hours, running = response_hours(record, today)
    status = record.get("status", "")
    source = record.get("source", "")
    rating = record.get("rating", "")
    rating_style = "$warning" if rating and not rating.isdigit() else (
        "$error" if rating in ("1", "2") else "$success" if rating in ("4", "5") else "")
    return Content.assemble(
        (fit(record.get("received", ""), 10), "$text-muted"), " ",
        (fit(schema.shown(status) or "?", 12), STATUS_STYLE.get(status.casefold(), "$warning")),
        " ",
        (f"{clock_text(hours):>5}", clock_style(hours, running, target)), " ",
        (stars(rating), rating_style), " ",
        (fit(schema.shown(source), 8), "$text-muted" if source == "Internal" else ""), " ",
        (fit(record.get("client", ""), 14), ""), " ",
        (fit(record.get("project", ""), 20), "$text-muted"), " ",
        (fit(record.get("manager", ""), 12), ""), " ",
        (fit(schema.shown(record.get("category", "")), 9), "bold" if record.get("category") == "Complaint"
         else ""), " ",
        # the start of the text: the row is cut at the screen's edge anyway
        (" ".join(record.get("text", "")[:300].split())[:160], ""),
    )


def feedback_preview(record: dict, today: date, target: float, width: int) -> Content:
    """The inbox row for a narrow terminal: status, clock, stars, client and manager on
    the first line, the feedback wrapped over the next two (the wide row's text column
    would get no room at all)."""
    hours, running = response_hours(record, today)
    status = record.get("status", "")
    rating = record.get("rating", "")
    text = wrap_cells(record.get("text", "") or _("(no text)"), max(width - 2, 1), 2)
    return Content.assemble(
        (fit(record.get("received", ""), 10), "$text-muted"), " ",
        (fit(schema.shown(status) or "?", 12), STATUS_STYLE.get(status.casefold(), "$warning")),
        " ",
        (f"{clock_text(hours):>5}", clock_style(hours, running, target)), " ",
        (stars(rating), "$warning" if rating and not rating.isdigit() else ""), " ",
        (record.get("client", "") or _("no client"), "bold"), " · ",
        (record.get("manager", "") or _("unassigned"), "$text-muted"), "\n",
        *[part for line in text for part in (("  " + line, ""), "\n")],
    )
