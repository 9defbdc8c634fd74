"""The interface language: English or 简体中文.

Texts go through gettext catalogs kept with Babel (``amtui/locale``); dates, numbers and
money in Chinese come from Babel's CLDR data. One language is in use at a time, for the
whole process; the app switches it live from the command palette.

    >>> use("zh-CN")
    'zh-CN'
    >>> _("Board"), day_text(date(2026, 12, 3)), weekday_text(date(2026, 12, 3))
    ('看板', '12月3日', '周四')
    >>> money_text(1330000), money_text(1330000, "wan"), ago_text(timedelta(days=3))
    ('¥1,330,000', '¥133万', '3天前')
    >>> use("en")
    'en'
    >>> _("Board"), day_text(date(2026, 12, 3)), money_text(1330000)
    ('Board', '03 Dec', '¥1,330,000')

Mark a text that is defined before the language is known (a ``Binding`` description, a
module-level table) with :func:`N_` and translate it where it is shown with :func:`_`.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "amtui"
LANGUAGES = ("en", "zh-CN")
# gettext and Babel spell the locale with an underscore
_LOCALE = {"en": "en", "zh-CN": "zh_CN"}

_language = "en"
_translations: gettext.NullTranslations = gettext.NullTranslations()


class _ThreadLanguage(threading.local):
    """A thread's own language for a while (see :func:`speaking`); None: the process's.
    Class defaults, so reading an unset one is an attribute hit, not a caught miss."""

    language: str | None = None
    translations: gettext.NullTranslations | None = None


_thread = _ThreadLanguage()


def resolve(setting: str = "auto", environ: Mapping[str, str] | None = None) -> str:
    """The language a setting means: ``"en"``, ``"zh-CN"``, or for ``"auto"`` the first of
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (Chinese when it starts with zh).

        >>> resolve("auto", {"LANG": "zh_CN.UTF-8"}), resolve("auto", {"LANG": "C.UTF-8"})
        ('zh-CN', 'en')
        >>> resolve("auto", {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"})
        'en'
        >>> resolve("zh_CN"), resolve("zh"), resolve("EN")
        ('zh-CN', 'zh-CN', 'en')
    """
    wanted = (setting or "auto").strip()
    if wanted.casefold() == "auto":
        environ = os.environ if environ is None else environ
        wanted = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)),
                      "en")
    return "zh-CN" if wanted.casefold().replace("_", "-").startswith("zh") else "en"


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[_LOCALE[language]])


def use(language: str) -> str:
    """Switch the whole process to ``language`` (a setting: ``"auto"`` is resolved); returns
    the language now in use."""
    global _language, _translations
    _language = resolve(language)
    _translations = _catalog(_language)
    return _language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """This thread speaks ``language`` inside the block, whatever the process speaks (the
    sync keeps problems in English while the UI thread draws Chinese)::

        with speaking("en"):
            issues = validate_all(records, rules)
    """
    before = _thread.language, _thread.translations
    _thread.language = resolve(language)
    _thread.translations = _catalog(_thread.language)
    try:
        yield
    finally:
        _thread.language, _thread.translations = before


def current() -> str:
    """The language in use (this thread's, see :func:`speaking`): ``"en"`` or ``"zh-CN"``."""
    return _thread.language or _language


def is_chinese() -> bool:
    return current() == "zh-CN"


def _(message: str) -> str:
    """``message`` in the language in use (the English text when it has no translation)."""
    return (_thread.translations or _translations).gettext(message)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``, where one English word has two translations:
    ``pgettext("kpi", "Value")`` is 数值, a project's "Value" is 金额."""
    return (_thread.translations or _translations).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural text for ``n`` (Chinese has one form)."""
    return (_thread.translations or _translations).ngettext(
        singular, plural, n)


def in_language(language: str, message: str) -> str:
    """``message`` in a given language, whatever the UI speaks (a digest mailed in Chinese
    from an English session): ``in_language("zh-CN", "Board") == "看板"``."""
    return _catalog(resolve(language)).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (translate it when shown)."""
    return message


# -- dates, numbers, money ------------------------------------------------------------
# English keeps amtui's own compact formats (no Babel import on the English path).

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@lru_cache(maxsize=4096)
def _skeleton(skeleton: str, day: date, language: str) -> str:
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, day, locale=_LOCALE[language])


def day_text(day: date, today: date | None = None, language: str | None = None) -> str:
    """A short day: ``03 Dec`` / ``12月3日``; with ``today`` in another year, the year too
    (``03 Dec '27`` / ``2027年12月3日``). ``language``: another than the one in use (a
    message sent in its own language)."""
    language = language or current()
    other_year = today is not None and day.year != today.year
    if language == "en":
        text = f"{day.day:02d} {MONTH_ABBR[day.month - 1]}"
        return text + f" '{day.year % 100:02d}" if other_year else text
    return _skeleton("yMMMd" if other_year else "MMMd", day, language)


def date_text(day: date, language: str | None = None) -> str:
    """A full date: ``2026-12-03`` / ``2026年12月3日``."""
    language = language or current()
    if language == "en":
        return day.isoformat()
    return _skeleton("yMMMd", day, language)


def weekday_text(day: date, language: str | None = None) -> str:
    """``Thu`` / ``周四``."""
    language = language or current()
    if language == "en":
        return _WEEKDAYS[day.weekday()]
    return _skeleton("E", day, language)


def number_text(value: float, places: int = 0) -> str:
    """``1,234,567`` (both languages group by thousands)."""
    return f"{value:,.{places}f}"


def money_text(value: float, style: str = "full", currency: str = "¥") -> str:
    """Money: ``¥1,330,000`` (``full``) or ``¥133万`` (``wan``, in Chinese; English shows
    ``¥1.33M``)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if style != "wan":
        return f"{sign}{currency}{value:,.0f}"
    if current() == "en":
        for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if value >= size:
                return f"{sign}{currency}{_trim(value / size, 2)}{unit}"
        return f"{sign}{currency}{value:,.0f}"
    for size, unit in ((1e8, "亿"), (1e4, "万")):
        if value >= size:
            return f"{sign}{currency}{_trim(value / size, 1 if size == 1e4 else 2)}{unit}"
    return f"{sign}{currency}{value:,.0f}"


def _trim(number: float, places: int) -> str:
    text = f"{number:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ago_text(delta: timedelta) -> str:
    """How long ago: ``3 days ago`` / ``3天前``, ``2 h ago`` / ``2小时前``, ``just now`` /
    ``刚刚``."""
    seconds = max(delta.total_seconds(), 0)
    if seconds >= 86400:
        n = int(seconds // 86400)
        return ngettext("{n} day ago", "{n} days ago", n).format(n=n)
    if seconds >= 3600:
        return _("{n} h ago").format(n=int(seconds // 3600))
    if seconds >= 60:
        return _("{n} min ago").format(n=int(seconds // 60))
    return _("just now")
