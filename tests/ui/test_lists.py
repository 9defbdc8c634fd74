"""The virtual record list under the board columns and the inbox, and how they fit narrow
terminals: cut lines end with "…" (never half a wide character, never half a word when a
word boundary is near), 80×24 shows one stage at a time and a wrapped feedback preview."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual import events
from textual.content import Content

from amtui.ui.screens.board import BoardScreen, Column
from amtui.ui.screens.inbox import InboxScreen
from amtui.ui.widgets.cards import CARD_HEIGHT, card, due_part, fit_content, wrap_cells
from amtui.ui.widgets.lists import BAR, RecordList
from tests.ui.conftest import SIZE, screen_text

TODAY = date(2026, 11, 26)


def shown_lines(cards) -> list[str]:
    """The list's visible lines as text (what the terminal shows inside it), without the
    scrollbar the list draws in its last column."""
    lines = ["".join(segment.text for segment in cards.render_line(y))
             for y in range(cards.scrollable_content_region.height)]
    return [line[:-BAR] for line in lines] if cards.bar_shown() else lines


def visible_cards(cards) -> list[tuple[dict, list[str]]]:
    """(record, its lines on screen) for every card fully on screen."""
    lines = shown_lines(cards)
    top = cards.scroll_offset.y
    height = CARD_HEIGHT if isinstance(cards.parent, Column) else cards.row_height
    result = []
    for index, record in enumerate(o.record for o in cards.options):
        start = index * height - top
        if start >= 0 and start + height <= len(lines):
            result.append((record, lines[start:start + height]))
    return result


def assert_cut_well(shown: str, full: str, width: int) -> None:
    """``shown`` is ``full``, or the start of it up to a word or character and "…"."""
    shown = shown.rstrip()
    assert cell_len(shown) <= width
    if shown == full:
        return
    assert shown.endswith("…"), f"cut without an ellipsis: {shown!r} (of {full!r})"
    kept = shown[:-1]
    assert full.startswith(kept), f"{shown!r} is not the start of {full!r}"


def test_fit_content_cuts_at_words_and_never_halves_a_wide_character():
    assert fit_content(Content("Harborview Hotels · Li Wei"), 23).plain == (
        "Harborview Hotels · Li…")
    for width in range(2, 14):
        shown = fit_content(Content("上海明达汽车 Social Media"), width).plain
        assert cell_len(shown) == width  # padded, never one cell short or over
        assert_cut_well(shown, "上海明达汽车 Social Media", width)
    assert wrap_cells("客户经理客户经理客户经理", 8, 2) == ["客户经理", "客户经…"]


async def test_a_column_that_gains_a_scrollbar_still_cuts_with_an_ellipsis(app):
    """Issue 13 #8: after card moves the column overflows and scrolls; its cards are cut to
    the width left beside the scrollbar with "…", not clipped."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board: BoardScreen = app.screen
        target = next(c for c in board.query(Column) if c.stage == "Client Review")
        assert not target.cards.max_scroll_y
        while not target.cards.max_scroll_y:
            record = next(r for r in app.store.records("projects")
                          if r["stage"] == "In Progress")
            board.show_record(record["id"])
            await pilot.pause()
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert app.store.get("projects", record["id"])["stage"] == "Client Review"
        await pilot.pause()
        cards = target.cards
        assert cards.bar_shown()
        # one cell of padding, one of scrollbar
        width = cards.scrollable_content_region.width - 1 - BAR
        shown = visible_cards(cards)
        assert shown
        cut = 0
        for record, lines in shown:
            full = [line.plain for line in card(record, TODAY).split("\n")]
            for line, text in zip(lines, full, strict=False):
                assert_cut_well(line[1:], text, width)
                cut += line.rstrip().endswith("…")
        assert cut  # the narrow column did have to cut some lines


async def test_the_list_keys_mouse_and_messages(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board: BoardScreen = app.screen
        column = next(c for c in board.query(Column) if c.stage == "In Progress")
        cards = column.cards
        board.show_record(cards.records[0]["id"])
        await pilot.pause()
        await pilot.press("end")
        assert cards.highlighted == cards.option_count - 1
        assert cards.scroll_offset.y == cards.max_scroll_y  # scrolled to it
        await pilot.press("home")
        assert (cards.highlighted, cards.scroll_offset.y) == (0, 0)
        await pilot.press("pagedown")
        assert cards.highlighted == cards.rows_per_page
        await pilot.press("pageup", "down", "down", "up")
        assert cards.highlighted == 1
        # the wheel scrolls, the highlight stays
        cards.post_message(events.MouseScrollDown(cards, 2, 2, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert cards.scroll_offset.y > 0 and cards.highlighted == 1
        # moving the highlight says so (the inbox's detail pane listens), enter selects
        moved: list[RecordList.Highlighted] = []
        original = cards.post_message

        def spy(message):
            if isinstance(message, RecordList.Highlighted):
                moved.append(message)
            return original(message)

        cards.post_message = spy
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [type(m).__name__ for m in moved] == ["Highlighted", "Selected"]
        assert moved[-1].record_id == cards.records[2]["id"] == app.screen.record_id


async def test_80x24_board_shows_one_stage_at_a_time_with_whole_words(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board: BoardScreen = app.screen
        assert board.has_class("-one-column")
        shown = [c for c in board.query(Column) if c.display and c.styles.display != "none"
                 and c.region.width]
        assert len(shown) == 1
        first = shown[0]
        assert first.region.width >= 70 and f"◀ {first.stage} ▶" in screen_text(app)
        await pilot.press("right")
        await pilot.pause()
        now = [c for c in board.query(Column) if c.region.width]
        assert len(now) == 1 and now[0] is not first
        assert board.current()[0] is now[0] and f"◀ {now[0].stage} ▶" in screen_text(app)
        await pilot.press("left")
        await pilot.pause()
        assert board.current()[0] is first
        # every card on screen: the whole name (or whole words and "…") and the due date
        for column in [first, now[0]]:
            board.focus_column(column)
            await pilot.pause()
            cards = column.cards
            for record, lines in visible_cards(cards):
                name, due = lines[0][1:].rstrip(), lines[2][1:].rstrip()
                full = record["project"]
                assert name == full or (name.endswith("…") and full[len(name) - 1] == " ")
                assert due.startswith(due_part(record, TODAY)[0])


async def test_80x24_inbox_wraps_the_feedback_under_each_item(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        inbox: InboxScreen = app.screen
        assert isinstance(inbox, InboxScreen) and inbox.has_class("-narrow")
        listing = inbox.listing
        assert listing.row_height == 3 and listing.rows_per_page >= 3
        text = screen_text(app)
        for record in listing.records[:3]:
            words = " ".join(record["text"].split())
            preview = wrap_cells(words, 76, 2)
            assert preview[0] in text
        await pilot.press("j")
        assert listing.highlighted == 1


def line_background(cards, y: int):
    return cards.render_line(y)._segments[0].style.bgcolor


async def test_a_card_changed_in_the_sheet_is_highlighted_for_a_moment(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        column = next(c for c in app.screen.query(Column) if c.cards.option_count >= 2)
        cards = column.cards
        cards.highlighted = 0
        await pilot.pause()
        second = cards.options[1].record
        plain = line_background(cards, CARD_HEIGHT)
        app.mark_fresh({("projects", second["id"])})  # what a sync does for pulled records
        await pilot.pause()
        fresh = cards.get_visual_style("record-list--row", "record-list--row-fresh")
        assert line_background(cards, CARD_HEIGHT) == fresh.rich_style.bgcolor != plain
        app.fresh.clear()  # the moment is over
        app.fresh_version += 1
        await pilot.pause()
        assert line_background(cards, CARD_HEIGHT) == plain


async def test_an_edited_record_is_drawn_once_then_from_the_cache():
    """A new version of a record is drawn once for its whole row, not once per line on
    every repaint (Textual's LRUCache keeps a key's first value unless it is discarded)."""
    from textual.app import App

    drawn: list[str] = []

    def render_row(record: dict, width: int) -> Content:
        drawn.append(record["name"])
        return Content(f"{record['name']}\nsecond line")

    class ListApp(App):
        def compose(self):
            yield RecordList(render_row, row_height=2)

    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        records = app.query_one(RecordList)
        records.replace_all([{"id": "P-1", "name": "Alpha"}, {"id": "P-2", "name": "Beta"}])
        await pilot.pause()

        def row_text(index: int) -> list[str]:
            return [records.render_line(index * 2 + line).text.strip() for line in range(2)]

        drawn.clear()
        assert row_text(0) == ["Alpha", "second line"]
        assert drawn == []  # drawn when the list was painted, then cached
        records.replace_all([{"id": "P-1", "name": "Alpha 2"}, records.records[1]],
                            keep="P-1")
        assert row_text(0) == ["Alpha 2", "second line"]
        assert row_text(0) == ["Alpha 2", "second line"]
        assert drawn == ["Alpha 2"]
        assert row_text(1)[0] == "Beta" and drawn == ["Alpha 2"]


async def test_the_cursor_follows_the_focus_between_columns(app):
    """The highlighted card is drawn as the cursor only in the column with the focus; the
    list picks that look when it draws the row (no :focus restyle), so it must follow."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board: BoardScreen = app.screen
        first, second = [c for c in board.query(Column)
                         if not c.collapsed and c.cards.option_count][:2]
        board.focus_column(first)
        await pilot.pause()
        cursor = first.cards.get_visual_style(
            "record-list--row", "record-list--row-highlighted", "record-list--row-cursor")
        blurred = first.cards.get_visual_style(
            "record-list--row", "record-list--row-highlighted")
        assert cursor.rich_style.bgcolor != blurred.rich_style.bgcolor

        def top_row(column: Column):
            column.cards.highlighted = 0
            return line_background(column.cards, 0)

        assert top_row(first) == cursor.rich_style.bgcolor
        assert top_row(second) == blurred.rich_style.bgcolor
        board.focus_column(second)
        await pilot.pause()
        assert top_row(first) == blurred.rich_style.bgcolor
        assert top_row(second) == cursor.rich_style.bgcolor


def bar_thumb(cards) -> list[int]:
    """The lines where the scrollbar the list draws in its last column shows its thumb."""
    lines = []
    for y in range(cards.size.height):
        cell = list(cards.render_line(y))[-1]
        if cell.style.reverse or cell.text.strip():
            lines.append(y)
    return lines


async def test_the_list_draws_its_scrollbar_and_the_mouse_works_it(app):
    # the list draws its own scrollbar (Textual's scrollbar widget repaints in a frame of
    # its own after every layout of the screen, ~30 ms after the rest)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board: BoardScreen = app.screen
        columns = list(board.query(Column))
        long = max(columns, key=lambda c: c.cards.option_count).cards
        short = min(columns, key=lambda c: c.cards.option_count).cards
        assert long.max_scroll_y > 0 and not short.max_scroll_y
        height = long.size.height
        # a track in every column (the cards keep their width), a thumb where it scrolls
        assert short.bar_shown() and bar_thumb(short) == []
        thumb = bar_thumb(long)
        assert thumb and thumb[0] == 0 and len(thumb) < height
        back = list(long.render_line(height - 1))[-1].style.bgcolor
        assert back == long.styles.scrollbar_background.rich_color  # the theme's colours

        board.focus_column(next(c for c in columns if c.cards is long))
        await pilot.pause()
        highlighted = long.highlighted
        x = long.size.width - 1
        # a click on the track below the thumb pages down, and selects no card
        await pilot.click(long, offset=(x, height - 1))
        await pilot.pause()
        assert long.scroll_y == min(height, long.max_scroll_y)
        assert long.highlighted == highlighted
        assert bar_thumb(long)[0] > 0
        # the thumb dragged to the bottom scrolls to the end, and lights while held
        await pilot.click(long, offset=(x, 0))  # back to the top (track above the thumb)
        await pilot.pause()
        assert long.scroll_y == 0
        idle = list(long.render_line(0))[-1].style
        await pilot.mouse_down(long, offset=(x, 0))
        await pilot.pause()
        assert list(long.render_line(0))[-1].style != idle  # scrollbar-color-active
        await pilot.hover(long, offset=(x, height - 1))
        await pilot.pause()
        assert long.scroll_y == long.max_scroll_y
        await pilot.mouse_up(long, offset=(x, height - 1))
        await pilot.pause()
        assert bar_thumb(long)[-1] == height - 1
        # rows are drawn beside it, one cell narrower
        assert all(cell_len(line) == long.size.width - BAR for line in shown_lines(long))


async def test_the_inbox_list_shows_a_scrollbar_only_while_its_rows_overflow(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        inbox: InboxScreen = app.screen
        rows = inbox.query_one("#feedback-list", RecordList)
        assert rows.max_scroll_y > 0 and rows.bar_shown() and bar_thumb(rows)
        few = rows.records[:3]
        rows.replace_all(few)
        await pilot.pause()
        assert not rows.bar_shown()
        assert all(cell_len(line) == rows.size.width for line in shown_lines(rows))


async def test_the_lists_scrollbar_takes_a_new_themes_colours(app):
    # its colours are kept between lines drawn: a theme change must still reach them
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cards = max(app.screen.query(Column), key=lambda c: c.cards.option_count).cards
        last = cards.size.height - 1
        before = list(cards.render_line(last))[-1].style.bgcolor
        app.theme = "textual-light"
        await pilot.pause()
        after = list(cards.render_line(last))[-1].style.bgcolor
        assert after != before
        assert after == cards.styles.scrollbar_background.rich_color
