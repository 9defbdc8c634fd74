"""A list of records that stays fast with thousands of them: a virtual list on Textual's
public line API (``ScrollView.render_line`` and ``virtual_size``), as toolong's log view.

Every row has the same height, so row ``n`` starts at line ``n * row_height``: nothing is
measured or built per record when the list is filled, and only the rows on screen are
rendered (then cached per record version, width, highlight and focus).

    cards = RecordList(lambda record, width: card(record, today), row_height=5)
    cards.replace_all(records)        # a list of record dicts, each with an "id"

Keys: up/down, home/end, pageup/pagedown, enter (``Selected``); a click highlights and
selects; the wheel scrolls. Moving the highlight posts ``Highlighted``.

The scrollbar is drawn by the list, in its last column, with Textual's ``ScrollBarRender``
and the ``scrollbar-*`` colours: Textual's own scrollbar widget is repainted, in a frame of
its own ~30 ms later, after every layout of the screen (a form or the palette closing, a
mode shown). ``overflow-y: scroll`` keeps its track always there, ``auto`` only while the
rows overflow; clicking the track or dragging the thumb scrolls, as on Textual's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.visual import Visual

from amtui.domain.i18n import N_
from amtui.ui.widgets.cards import fit_content

RenderRow = Callable[[dict, int], Content]  # (record, width in cells) -> its lines
BAR = 1  # cells of the scrollbar the list draws itself


class Row(NamedTuple):
    """A row as the screens and tests see it: the record's ID and the record."""

    id: str
    record: dict


class RecordList(ScrollView, can_focus=True, inherit_bindings=False):
    """Records as rows of ``row_height`` lines, drawn by ``render_row(record, width)``.

    Each line ``render_row`` returns is cut to the width with ``…`` (at a word boundary when
    one is near, never through a wide character); missing lines stay blank. Left and right
    stay free for the screen (board columns): a list cut with ellipses never scrolls
    sideways."""

    # rows hold no links: Textual's pass that styles them is ~8% of drawing a row
    auto_links = Reactive(False)

    BINDINGS = [
        Binding("down", "cursor_down", N_("Down"), show=False),
        Binding("up", "cursor_up", N_("Up"), show=False),
        Binding("end", "last", N_("Last"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("enter", "select", N_("Select"), show=False),
        Binding("pagedown", "page_down", N_("Page Down"), show=False),
        Binding("pageup", "page_up", N_("Page Up"), show=False),
    ]

    # the highlighted row is "-highlighted", plus "-cursor" while the list has the focus:
    # chosen when a row is drawn, not by a :focus rule (see watch_has_focus)
    COMPONENT_CLASSES = {"record-list--row", "record-list--row-fresh",
                         "record-list--row-highlighted", "record-list--row-cursor"}

    DEFAULT_CSS = """
    RecordList {
        height: 1fr;
        /* rows arrive cut to the width: Textual need not wrap them again (a third of
           drawing a card) */
        text-wrap: nowrap;
        text-overflow: clip;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 0;  /* the list draws its own (see the module) */
        background: $surface;
        & > .record-list--row-fresh {
            background: $success 25%;
        }
        & > .record-list--row-highlighted {
            background: $block-cursor-blurred-background;
        }
        & > .record-list--row-cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    # no repaint of the whole list: the watcher repaints the old and the new row
    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    class Highlighted(Message):
        """The highlight moved to row ``index`` (record ``record_id``)."""

        def __init__(self, record_list: RecordList, index: int, record_id: str):
            super().__init__()
            self.record_list = record_list
            self.index = index
            self.record_id = record_id

        @property
        def control(self) -> RecordList:
            return self.record_list

    class Selected(Highlighted):
        """Enter or a click on row ``index``."""

    def __init__(self, render_row: RenderRow, *, row_height: int = 1, id: str | None = None,
                 classes: str | None = None,
                 is_fresh: Callable[[str], bool] | None = None):
        super().__init__(id=id, classes=classes)
        self.render_row = render_row
        # records that just changed in the sheet are drawn highlighted for a moment
        self.is_fresh = is_fresh or (lambda _record_id: False)
        self.row_height = row_height
        self.records: list[dict] = []
        self.positions: dict[str, int] | None = None  # record ID -> row, built when asked
        # (record ID, row style, width) -> (record, strips); the record is kept to
        # tell a changed version of it (a new dict) from the one rendered
        self.strip_cache: LRUCache[tuple, tuple[dict, list[Strip]]] = LRUCache(2048)
        self.bar_cache: tuple[tuple, list[Segment]] | None = None  # (its key, a cell a line)
        # (hovered, held) -> (track, thumb, background): from the styles
        self.bar_colours: dict[tuple[bool, bool], tuple] = {}
        self.bar_hover = False
        self.bar_grab: tuple[int, float] | None = None  # (screen y, scroll_y) at the grab

    # -- content ------------------------------------------------------------------------

    def replace_all(self, records: Sequence[dict], keep: str | None = None,
                    fallback_index: int | None = None) -> None:
        """Show ``records``, keeping the highlight on record ``keep`` when it is still there
        (else near ``fallback_index``, else on the first row) and the scroll position."""
        old, old_highlight = self.records, self.highlighted
        self.records = list(records)
        self.positions = None
        index = self.index_of(keep) if keep is not None else None
        if index is None and fallback_index is not None and self.records:
            index = min(fallback_index, len(self.records) - 1)
        if index is None and self.records:
            index = 0
        self.update_virtual_size(repaint=False)
        # only the rows from the first that changed (a card moved out of or into a column
        # leaves the rows above it as they were), and the old highlight
        first = next((n for n, (a, b) in enumerate(zip(old, self.records, strict=False))
                      if a is not b), min(len(old), len(self.records)))
        height = self.row_height
        self.refresh_lines(first * height, (max(len(old), len(self.records)) - first) * height)
        if old_highlight is not None:
            self.refresh_lines(old_highlight * height, height)
        self.set_reactive(RecordList.highlighted, None)
        self.highlighted = index

    def set_row_height(self, row_height: int) -> None:
        if row_height != self.row_height:
            self.row_height = row_height
            self.strip_cache.clear()
            self.update_virtual_size()
            self.refresh()
            self.scroll_to_highlight()

    def same_records(self, records: Sequence[dict]) -> bool:
        mine = self.records
        return len(mine) == len(records) and all(
            a is b for a, b in zip(mine, records, strict=True))

    def update_virtual_size(self, repaint: bool = True) -> None:
        """The scrollable height: one row per record.

        Assigning ``virtual_size`` lays out the whole screen (a full repaint, more than a key
        press may cost); the list's size never depends on it (its scrollbar is drawn inside
        it), so the new height is set without a layout and only this list repaints: all of
        it unless ``repaint`` is false (the caller repaints the rows that changed; the
        scrollbar is repainted here)."""
        size = Size(0, len(self.records) * self.row_height)
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.virtual_size = size
            return
        had_bar = self.bar_shown()
        self.set_reactive(ScrollView.virtual_size, size)
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
            repaint = True
        if repaint or self.bar_shown() != had_bar:  # a bar come or gone: rows of a new width
            self.refresh()
        else:
            self.refresh_bar()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Textual restyles a widget whose focus changed (every rule again, and its
        scrollbar repainted in a frame of its own): ~2 ms, and a second frame, on each move
        between board columns. Nothing in a list's style depends on ``:focus``; only the
        highlighted row's look does, and that row is drawn again (Textual's focus handler
        repaints the list)."""
        if self.highlighted is not None:
            self.refresh_lines(self.highlighted * self.row_height, self.row_height)

    def on_mount(self) -> None:
        # the rows' colours come from the theme (the cache key has the row's own style, but
        # not every colour a row uses)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.strip_cache.clear())

    # -- what the screens ask -----------------------------------------------------------

    @property
    def option_count(self) -> int:
        return len(self.records)

    @property
    def options(self) -> list[Row]:
        return [Row(r["id"], r) for r in self.records]

    @property
    def option_ids(self) -> list[str]:
        return [r["id"] for r in self.records]

    @property
    def highlighted_option(self) -> Row | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.records):
            return None
        record = self.records[index]
        return Row(record["id"], record)

    def highlighted_id(self) -> str | None:
        row = self.highlighted_option
        return row.id if row is not None else None

    def index_of(self, record_id: str | None) -> int | None:
        if record_id is None:
            return None
        if self.positions is None:
            self.positions = {r["id"]: n for n, r in enumerate(self.records)}
        return self.positions.get(record_id)

    @property
    def rows_per_page(self) -> int:
        return max(self.scrollable_content_region.height // self.row_height, 1)

    # -- the highlight ------------------------------------------------------------------

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self.records:
            return None
        return min(max(index, 0), len(self.records) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_lines(index * self.row_height, self.row_height)
        if new is not None:
            self.scroll_to_highlight()
            self.post_message(self.Highlighted(self, new, self.records[new]["id"]))

    def scroll_to_highlight(self) -> None:
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, index * self.row_height, max(self.size.width, 1), self.row_height),
            animate=False, force=True, immediate=True)

    def move_to(self, index: int) -> None:
        if self.records:
            self.highlighted = index

    def action_cursor_down(self) -> None:
        self.move_to(0 if self.highlighted is None else self.highlighted + 1)

    def action_cursor_up(self) -> None:
        self.move_to(0 if self.highlighted is None else self.highlighted - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.records) - 1)

    def action_page_down(self) -> None:
        self.move_to((self.highlighted or 0) + self.rows_per_page)

    def action_page_up(self) -> None:
        self.move_to((self.highlighted or 0) - self.rows_per_page)

    def action_select(self) -> None:
        index = self.highlighted
        if index is not None:
            self.post_message(self.Selected(self, index, self.records[index]["id"]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.on_bar(event.x):
            return
        index = (offset.y + self.scroll_offset.y) // self.row_height
        if 0 <= index < len(self.records):
            self.highlighted = index
            self.action_select()

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        region = self.scrollable_content_region  # (~5 us, as much as the rest of a line)
        width, height = region.size
        bar = self.bar_shown(height)
        if bar:
            width -= BAR
        index, line = divmod(y + self.scroll_offset.y, self.row_height)
        if not 0 <= index < len(self.records):
            # below the last row: the background only
            background = self.get_visual_style("record-list--row").rich_style.bgcolor
            strip = Strip.blank(width, RichStyle(bgcolor=background))
        else:
            strip = self.row_strips(index, width)[line]
        if not bar:
            return strip
        cells = self.bar_cells(height)
        cell = cells[y] if y < len(cells) else Segment(" " * BAR)
        return Strip.join([strip, Strip([cell], BAR)])

    # -- the scrollbar ------------------------------------------------------------------

    def bar_shown(self, height: int | None = None) -> bool:
        """Whether the list draws its scrollbar (``height``: the list's, when known)."""
        overflow = self.styles.overflow_y
        return overflow == "scroll" or (overflow == "auto" and self.virtual_size.height > (
            self.size.height if height is None else height))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.bar_colours.clear()  # a theme, a class: the scrollbar's colours are styles
        self.bar_cache = None

    def bar_cells(self, height: int) -> list[Segment]:
        """The scrollbar's cell on each of ``height`` lines, as Textual's ``ScrollBar``
        draws it."""
        virtual = self.virtual_size.height
        state = (self.bar_hover, self.bar_grab is not None)
        key = (height, virtual, self.scroll_y, state)
        if self.bar_cache is None or self.bar_cache[0] != key:
            if state not in self.bar_colours:
                self.bar_colours[state] = self.colours_of_bar()
            back, thumb, under = self.bar_colours[state]
            bar = ScrollBarRender.render_bar(
                size=height, virtual_size=virtual,
                window_size=height if height < virtual else 0,
                position=int(self.scroll_y * 8) / 8, thickness=BAR, vertical=True,
                back_color=back, bar_color=thumb)
            # as Textual's ScrollBar widget shows them (over the list's background), without
            # their mouse actions: those are for that widget
            self.bar_cache = (key, [
                Segment(cell.text, RichStyle(color=cell.style.color,
                                             bgcolor=cell.style.bgcolor or under,
                                             reverse=cell.style.reverse))
                for cell in bar.segments if cell.text != "\n"])
        return self.bar_cache[1]

    def colours_of_bar(self) -> tuple:
        """(track, thumb, the list's background) as Rich colours, as Textual's ``ScrollBar``
        takes them from its list's styles (hovered, held, or neither)."""
        styles = self.styles
        if self.bar_grab is not None:
            back, thumb = styles.scrollbar_background_active, styles.scrollbar_color_active
        elif self.bar_hover:
            back, thumb = styles.scrollbar_background_hover, styles.scrollbar_color_hover
        else:
            back, thumb = styles.scrollbar_background, styles.scrollbar_color
        under, own = self.background_colors
        if back.a < 1:
            back = under + back
        return back.rich_color, (back + thumb).rich_color, own.rich_color

    def thumb(self) -> tuple[float, float]:
        """The thumb's first line and its length in lines, as ``ScrollBarRender`` places it
        (while the rows overflow)."""
        height = self.size.height
        length = max(1.0, height * height / max(self.virtual_size.height, 1))
        moved = self.scroll_y / self.max_scroll_y if self.max_scroll_y else 0.0
        return (height - length) * moved, length

    def on_bar(self, x: int) -> bool:
        return self.bar_shown() and x >= self.size.width - BAR

    def refresh_bar(self) -> None:
        if self.bar_shown():
            self.refresh(Region(self.size.width - BAR, 0, BAR, self.size.height))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if not self.on_bar(event.x):
            return
        event.stop()
        if not self.max_scroll_y:
            return
        top, length = self.thumb()
        if top <= event.y < top + length:  # on the thumb: drag it
            self.bar_grab = (event.screen_y, self.scroll_y)
            self.capture_mouse()
            self.refresh_bar()
        elif event.y < top:
            self.scroll_page_up(animate=False)
        else:
            self.scroll_page_down(animate=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.bar_grab is not None:
            start_y, start_scroll = self.bar_grab
            track = max(self.size.height - self.thumb()[1], 1.0)  # lines the thumb can move
            self.scroll_to(y=start_scroll + (event.screen_y - start_y) * self.max_scroll_y / track,
                           animate=False, immediate=True)
            return
        hover = self.on_bar(event.x)
        if hover != self.bar_hover:
            self.bar_hover = hover
            self.refresh_bar()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.bar_grab is not None:
            self.bar_grab = None
            self.release_mouse()
            self.refresh_bar()
            event.stop()

    def on_leave(self, _event: events.Leave) -> None:
        if self.bar_hover:
            self.bar_hover = False
            self.refresh_bar()

    def row_strips(self, index: int, width: int) -> list[Strip]:
        record = self.records[index]
        classes = ("record-list--row",)
        if self.is_fresh(record["id"]):
            classes += ("record-list--row-fresh",)
        if index == self.highlighted:
            classes += ("record-list--row-highlighted",)
            if self.has_focus:
                classes += ("record-list--row-cursor",)
        # the style says highlighted or not, focused or not (as OptionList's cache does)
        style = self.get_visual_style(*classes)
        key = (record["id"], style, width)
        cached = self.strip_cache.get(key)
        if cached is not None and cached[0] is record:
            return cached[1]
        padding = self.get_component_styles("record-list--row").padding
        inner = max(width - padding.left - padding.right, 0)
        lines = self.render_row(record, inner).split("\n")[:self.row_height]
        lines += [Content("")] * (self.row_height - len(lines))
        body = Content("\n").join(
            fit_content(line, inner).pad(padding.left, padding.right) for line in lines)
        strips = Visual.to_strips(self, body, width, self.row_height, style, pad=True)
        if cached is not None:
            # Textual's LRUCache keeps a key's first value: without this an edited record
            # was drawn again for each of its lines, on every repaint
            self.strip_cache.discard(key)
        self.strip_cache[key] = (record, strips)
        return strips
