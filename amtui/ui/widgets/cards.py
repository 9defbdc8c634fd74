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

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from amtui.domain import schema
from amtui.domain.facts import is_closed_stage, is_handled, is_overdue
from amtui.domain.facts import response_hours as hours_between
from amtui.domain.parse import read_date, read_when

# The inbox still imports the reader under its old name here.
parse_day = read_date

HEALTH_LOOK = {
    "on track": ("●", "$success"),
    "at risk": ("▲", "$warning"),
    "blocked": ("■", "$error"),
}
PRIORITY_LOOK = {"high": "$error", "medium": "$warning", "low": "$text-muted"}
CARD_HEIGHT = 5  # four lines of card and a blank line between cards


def fit(text: str, width: int) -> str:
    """``text`` on one line, cut with ``…`` or padded with spaces to exactly ``width`` cells."""
    text = " ".join(str(text).split())
    if width <= 0:
        return ""
    if cell_len(text) > width:
        cut = set_cell_size(text, width - 1).rstrip()
        while cell_len(cut) > width - 1:  # a wide character at the edge
            cut = cut[:-1]
        text = cut + "…"
    return set_cell_size(text, width)


def to_number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def money_short(text: str | float | None) -> str:
    """A compact amount: ``1.24M``, ``950k``, ``800``; ``?`` when unreadable."""
    value = text if isinstance(text, float | int) else to_number(text or "")
    if value is None:
        return "?" if text else ""
    sign = "-" if value < 0 else ""
    value = abs(value)
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
    """``23 Feb`` this year, ``23 Feb '27`` another year."""
    text = f"{day.day:02d} {day.strftime('%b')}"
    return text if day.year == today.year else text + f" '{day.year % 100:02d}"


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
            return f"Delivered {short_date(day, today)}", "$success"
        return ("Delivered ?" + (f" {done}" if done else ""), "$warning")
    raw = record.get("due", "")
    if not raw:
        return "No due date", "$text-muted"
    due = read_date(raw)
    if due is None:
        return f"Due {raw}?", "$warning"
    text = f"Due {short_date(due, today)}"
    if is_closed_stage(stage):
        return text, "$text-muted"
    if due < today:
        return f"{(today - due).days}d overdue", "bold $error"
    if (due - today).days <= 7:
        return text, "$warning"
    return text, ""


def card(record: dict, today: date) -> Content:
    """A project card: four lines, cut to the column width by the list's CSS."""
    name = record.get("project") or "(no name)"
    client = record.get("client") or "no client"
    manager = record.get("manager") or "no manager"
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
    parts += ["\n", (f"{mark} {health or 'no health'}", health_style)]
    if priority:
        parts += [(" · ", "$text-muted"),
                  (priority, PRIORITY_LOOK.get(priority.casefold(), "$warning"))]
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
        (fit(status or "?", 12), STATUS_STYLE.get(status.casefold(), "$warning")), " ",
        (f"{clock_text(hours):>5}", clock_style(hours, running, target)), " ",
        (stars(rating), rating_style), " ",
        (fit(source, 8), "$text-muted" if source == "Internal" else ""), " ",
        (fit(record.get("client", ""), 14), ""), " ",
        (fit(record.get("project", ""), 20), "$text-muted"), " ",
        (fit(record.get("manager", ""), 12), ""), " ",
        (fit(record.get("category", ""), 9), "bold" if record.get("category") == "Complaint"
         else ""), " ",
        # the start of the text: the row is cut at the screen's edge anyway
        (" ".join(record.get("text", "")[:300].split())[:160], ""),
    )
