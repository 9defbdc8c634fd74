"""``?``: the keys of a screen in columns that never run together, in a pane that shows a
scrollbar when the keys do not all fit (issue 13 #7)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from amtui.ui.screens.help import HelpScreen, key_table
from tests.ui.conftest import screen_text


async def test_help_columns_and_scrollbar_at_160x45(app):
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        table = key_table(app.screen)
        rows = [row for _section, rows in table for row in rows]
        assert any(len(text) >= 36 for _k, text, bid in rows if bid)  # the long ones
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        lines = [line for static in help_screen.query(Static)
                 for line in str(static.render()).splitlines()]
        id_columns = set()
        for keys, text, binding_id in rows:
            line = next(ln for ln in lines if ln.lstrip().startswith(keys)
                        and text in ln)
            after = line[line.index(text) + len(text):]
            if binding_id:
                assert after.startswith("  ") and after.strip() == binding_id, line
                id_columns.add(line.index(binding_id))
        assert len(id_columns) == 1  # every binding id in one column

        scroll = help_screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # more keys than fit at 160x45...
        assert scroll.show_vertical_scrollbar and scroll.scrollbar_size_vertical >= 1
        assert scroll.vertical_scrollbar.region.height > 0  # ...and a scrollbar shows it
        last = rows[-1][1]
        assert last not in screen_text(app)
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert last in screen_text(app)  # no key is out of reach
