"""The interface language in the app: starting in Chinese, the palette's switch to English
and back (live, with a screen pushed on top and through the palette itself), remembered in
the store for the next start; Textual's own palette commands in the UI's language; and the
shell's texts (status bar, key bar, help, cards) laid out by cells."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual.content import Content

from amtui.domain import i18n
from amtui.ui.commands import screen_commands
from amtui.ui.screens.board import BoardScreen
from amtui.ui.screens.help import key_lines, key_table
from amtui.ui.screens.synclog import SyncLogScreen
from amtui.ui.widgets.cards import due_part, fit, fit_content, wrap_cells
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.status import ModeTabs, SyncStatus, age_text, clip
from tests.ui.conftest import SIZE, make_app, screen_text, until


def bar_texts(app) -> str:
    screen = app.screen
    return " | ".join(str(w.render()) for w in (*screen.query(ModeTabs),
                                                 *screen.query(SyncStatus),
                                                 *screen.query(KeyBar)))


async def test_the_app_starts_in_chinese_switches_to_english_and_back(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert i18n.current() == "zh-CN"
        text = screen_text(app)
        assert "1 看板" in text and "2 收件箱" in text  # the mode tabs
        assert "尚未同步" in text and "0 个冲突" in text  # the status bar
        assert "? 按键" in text and "q 退出" in text  # the key bar
        assert "Board" not in bar_texts(app)

        await app.run_action("switch_language")
        await pilot.pause()
        assert i18n.current() == "en"
        text = screen_text(app)
        assert "1 Board" in text and "not synced yet" in text and "0 conflicts" in text
        assert "? Keys  q Quit" in text
        assert isinstance(app.screen, BoardScreen) and app.current_mode == "board"
        assert app.store.get_meta("language") == "en"

        # back to Chinese with a sync screen pushed on top, from another mode
        await pilot.press("2")
        await pilot.pause()
        await app.run_action("sync_log")
        await pilot.pause()
        assert isinstance(app.screen, SyncLogScreen)
        await app.run_action("switch_language")
        await pilot.pause()
        assert i18n.current() == "zh-CN" and app.current_mode == "inbox"
        assert "2 收件箱" in screen_text(app)
        # every mode still opens, in Chinese
        for key, tab in (("1", "1 看板"), ("3", "3 绩效"), ("2", "2 收件箱")):
            await pilot.press(key)
            await pilot.pause()
            assert tab in screen_text(app)
        assert app.errors == []
    assert app.store.get_meta("language") == "zh-CN"
    app.store.close()

    # a new app on the same workspace opens in the remembered language
    i18n.use("en")
    again = make_app(demo_config)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert i18n.current() == "zh-CN" and "1 看板" in screen_text(again)
    again.store.close()


async def test_the_palette_switches_the_language(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {name for name, *_rest in screen_commands(app.screen)}
        assert "Language: switch to English" in names or "语言：切换为 English" in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"English")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: i18n.current() == "en" and "1 Board" in screen_text(app),
                    what="the English board")
        assert isinstance(app.screen, BoardScreen)
        # and back through the palette: the command names the other language in its words
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"简体中文")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: i18n.current() == "zh-CN" and "1 看板" in screen_text(app),
                    what="the Chinese board")
        assert isinstance(app.screen, BoardScreen) and len(app.screen_stack) == 1
        # keys still work after the rebuild
        await pilot.press("2")
        await pilot.pause()
        assert "2 收件箱" in screen_text(app)
        assert app.errors == []
    app.store.close()


async def test_textuals_own_commands_speak_the_ui_language(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert {"主题", "退出", "按键", "截图"} <= set(titles)
        assert titles["退出"] == "立即退出程序"
        i18n.use("en")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Theme", "Quit", "Keys", "Screenshot"} <= titles
    app.store.close()


async def test_help_and_key_bar_in_chinese_line_up(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = key_table(app.screen)
        assert [section for section, _rows in table] == ["本界面", "全局"]
        lines = [line for content in key_lines(table) for line in content.plain.split("\n")
                 if line.startswith("  ")]
        # the binding ids start in one column (cells), whatever the descriptions' script
        starts = {cell_len(line[:line.rindex("  ") + 2]) for line in lines
                  if line.rstrip().endswith(("close", "quit", "help", "sync"))}
        assert len(starts) == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert "按键 —— " in screen_text(app)
    app.store.close()


def test_the_status_bar_texts_in_both_languages():
    from datetime import datetime

    now = datetime(2026, 12, 3, 12, 0)
    assert age_text("2026-12-03T11:55:00", now) == "synced 5 min ago"
    i18n.use("zh-CN")
    assert age_text("2026-12-03T11:55:00", now) == "5分钟前已同步"
    assert age_text(None, now) == "尚未同步"


def test_cards_in_chinese():
    i18n.use("zh-CN")
    today = date(2026, 12, 1)
    text, _style = due_part({"stage": "In Progress", "due": "2026-12-03"}, today)
    assert text == "12月3日截止"
    text, _style = due_part({"stage": "In Progress", "due": "2026-11-28"}, today)
    assert text == "逾期3天"
    i18n.use("en")
    assert due_part({"stage": "In Progress", "due": "2026-12-03"}, today)[0] == "Due 03 Dec"


def test_truncation_never_cuts_a_wide_character_in_half():
    for width in range(1, 12):
        for text in ("上海明达汽车有限公司", "ab上海明达", "a上b海c明"):
            cut = fit(text, width)
            assert cell_len(cut) == width, (text, width, cut)
            # every character kept is whole: what is left of the text is a prefix of it
            kept = cut.rstrip(" ").removesuffix("…")
            assert text.startswith(kept), (text, width, cut)
            clipped = clip(text, width)
            assert cell_len(clipped) <= width
            assert text.startswith(clipped.removesuffix("…"))
            content = fit_content(Content(text), width)
            assert content.cell_length == width
            assert text.startswith(content.plain.rstrip(" ").removesuffix("…"))
    assert fit("客户经理", 5) == "客户…" and fit("客户经理", 6) == "客户… "
    assert all(cell_len(line) <= 7 for line in wrap_cells("上海明达汽车有限公司的新年活动", 7, 3))


async def test_the_flow_chart_in_chinese_has_its_legend_outside_plotext(demo_config):
    from amtui.ui.widgets.charts import FlowScreen

    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(FlowScreen())
        await until(pilot, lambda: hasattr(app.screen, "flow_data"), what="the flow")
        await pilot.pause()
        text = screen_text(app)
        assert "看板流量" in text and "■ 进行中" in text
        # every line of the plots is the screen's width: no wide character pushed a border
        assert all(cell_len(line) == SIZE[0] for line in text.split("\n"))
        assert app.errors == []
    app.store.close()


async def test_the_sync_screens_and_dialogs_in_chinese(demo_config):
    from amtui.ui.screens.confirm import ConfirmScreen
    from amtui.ui.screens.pickers import PickerScreen

    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for action, words in (("conflicts", ("冲突", "没有待处理的冲突")),
                              ("problems", ("问题", "单元格", "无法读取的原因")),
                              ("sync_log", ("同步日志", "开始时间", "API 调用")),
                              ("alerts", ("提醒", "记录"))):
            await app.run_action(action)
            await pilot.pause()
            text = screen_text(app)
            assert all(w in text for w in words), (action, text)
            assert "escape 返回" in text or "返回" in text
        await app.push_screen(ConfirmScreen("？"))
        await pilot.pause()
        assert "确定吗？" in screen_text(app) and "是 (y)" in screen_text(app)
        await pilot.press("n")
        await app.push_screen(PickerScreen("客户经理", ["王芳", "李伟"]))
        await pilot.pause()
        assert "全部（清除此筛选）" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.errors == []
    app.store.close()
