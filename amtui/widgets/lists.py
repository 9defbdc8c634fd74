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

from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class LazyOption(Option):
    """An option for one record; ``render(record)`` makes its prompt when first shown."""

    def __init__(self, record_id: str, record: dict, render: Callable[[dict], object]):
        super().__init__("", id=record_id)
        self._prompt = None
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


class FixedOptionList(OptionList):
    """An ``OptionList`` whose options are all ``option_height`` lines high.

    Lines of a taller prompt are cut; shorter ones leave blank lines. Use with
    ``text-wrap: nowrap`` so a long line is cut with an ellipsis, not wrapped."""

    def __init__(self, *, option_height: int = 1, id: str | None = None,
                 classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.option_height = option_height
        # room for every visible option twice (highlighted or not) in a tall terminal
        self._option_render_cache = LRUCache(4096)

    # Options all have one height: no need to measure each visual (that is the slow part).
    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        height = self.option_height
        count = len(self._options)
        if next_index < count:
            offsets = range(height)
            for index in range(next_index, count):
                cache.index_to_line[index] = len(lines)
                cache.heights[index] = height
                lines.extend([(index, n) for n in offsets])
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

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
