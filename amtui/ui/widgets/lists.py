"""Option lists that stay fast with thousands of records.

Textual's ``OptionList`` measures every option's visual when options are added, so 20,000
feedback rows cost seconds before the first frame. Here each option renders lazily (its
prompt is built the first time it scrolls into view) and every option has the same height,
so adding or replacing options is a few list operations and never a render.

    lst = FixedOptionList(option_height=4)
    lst.set_options([LazyOption("P-0001", record, render_card)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class LazyOption(Option):
    """An option for one record; ``render(record)`` makes its prompt when first shown."""

    # Option.__init__'s attributes as class defaults: 20,000 of these are made at once
    _prompt = None
    _visual = None
    disabled = False
    _divider = False

    def __init__(self, record_id: str, record: dict, render: Callable[[dict], object]):
        self._id = record_id
        self.record = record
        self._render = render

    @property
    def prompt(self):
        if self._prompt is None:
            self._prompt = self._render(self.record)
        return self._prompt

    def changed(self, record: dict) -> LazyOption:
        """The option to show a changed version of the record. A new object, because lists
        cache rendered options by identity."""
        return LazyOption(self.id, record, self._render)


class FixedOptionList(OptionList, inherit_bindings=False):
    """An ``OptionList`` whose options are all ``option_height`` lines high.

    Lines of a taller prompt are cut; shorter ones leave blank lines. Use with
    ``text-wrap: nowrap`` so a long line is cut with an ellipsis, not wrapped.

    Only the list's own keys: left and right stay free for the screen (board columns)
    instead of scrolling sideways, which a list cut with ellipses never needs."""

    BINDINGS = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("home", "first", "First", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
    ]

    def __init__(self, *, option_height: int = 1, id: str | None = None,
                 classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.option_height = option_height
        # room for every visible option twice (highlighted or not) in a tall terminal
        self._option_render_cache = LRUCache(4096)

    # Options all have one height, so line y is option y // height: nothing to measure or
    # store per option (measuring every visual is what makes a plain OptionList slow).
    @property
    def _lines(self) -> _Lines:
        return _Lines(len(self._options), self.option_height)

    @property
    def _heights(self) -> _Constant:
        return _Constant(len(self._options), self.option_height)

    @property
    def _index_to_line(self) -> _Constant:
        return _Constant(len(self._options), self.option_height, multiply=True)

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(self._options) * self.option_height)
        if virtual_size != self.virtual_size:
            # Without the layout pass that assigning virtual_size queues: this widget's
            # size does not change (a scrollbar appearing relayouts by itself), and a
            # layout pass repaints the whole screen, which costs more than the key did.
            self.set_reactive(Widget.virtual_size, virtual_size)
            self._scroll_update(virtual_size)
            self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._options) * self.option_height

    def _get_option_render(self, option, style):
        strips = super()._get_option_render(option, style)
        height = self.option_height
        if len(strips) == height:
            return strips
        if len(strips) > height:
            return strips[:height]
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        return strips + [Strip.blank(width, style.rich_style)] * (height - len(strips))

    def set_options(self, options) -> FixedOptionList:
        """``OptionList.set_options`` for a list of ``Option`` objects with unique IDs, in
        one pass (the general version checks each item; 20,000 rows add up)."""
        options = list(options)
        if not all(type(o) is LazyOption for o in options):
            return super().set_options(options)
        self._option_render_cache.clear()
        self.highlighted = None
        self._options = options
        self._option_to_index = {option: n for n, option in enumerate(options)}
        self._id_to_option = {option._id: option for option in options}
        self.scroll_y = 0
        if self.is_mounted:
            self.refresh()
            self._update_lines()
        return self

    # -- helpers used by the screens ---------------------------------------------------

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self._options]

    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def replace_all(self, options: Sequence[Option], keep: str | None = None,
                    fallback_index: int | None = None) -> None:
        """Swap in new options, keeping the highlight on record ``keep`` when it is still
        there (else near ``fallback_index``) and the scroll position where it was.

        Rendered options stay cached (by option identity), so only new ones render."""
        scroll_y = self.scroll_y
        cache = self._option_render_cache
        self._option_render_cache = LRUCache(1)  # set_options clears this one
        self.set_options(options)
        self._option_render_cache = cache
        index = None
        if keep is not None and keep in self._id_to_option:
            index = self._option_to_index[self._id_to_option[keep]]
        elif fallback_index is not None and options:
            index = min(fallback_index, len(options) - 1)
        if index is None and options:
            index = 0
        self.set_scroll(None, scroll_y)
        # assign after the scroll so the highlight is scrolled into view if needed
        self.highlighted = index

    def same_options(self, options: Sequence[Option]) -> bool:
        mine = self._options
        return len(mine) == len(options) and all(
            a is b for a, b in zip(mine, options, strict=True))

    def index_of(self, record_id: str) -> int | None:
        option = self._id_to_option.get(record_id)
        return None if option is None else self._option_to_index[option]


class _Lines:
    """The (option index, line in option) of every line of a list of equal-height options."""

    __slots__ = ("count", "height")

    def __init__(self, count: int, height: int):
        self.count, self.height = count, height

    def __len__(self) -> int:
        return self.count * self.height

    def __getitem__(self, y: int) -> tuple[int, int]:
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        return divmod(y, self.height)


class _Constant:
    """Per option: its height, or (``multiply``) its first line."""

    __slots__ = ("count", "height", "multiply")

    def __init__(self, count: int, height: int, multiply: bool = False):
        self.count, self.height, self.multiply = count, height, multiply

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self.count:
            raise KeyError(index)
        return index * self.height if self.multiply else self.height

    def get(self, index: int, default=None):
        try:
            return self[index]
        except KeyError:
            return default
