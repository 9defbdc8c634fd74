"""``amtui doctor``: checks a person can read at a glance, each with what to do about it.

    for ok, label, detail in run_checks(workspace): ...
"""

from __future__ import annotations

import os
import stat

from amtui.domain.i18n import _


def run_checks(workspace) -> list[tuple[bool, str, str]]:
    config = workspace.config
    results = [(True, _("config"), str(config.path))]
    try:
        store = workspace.store
        counts = _("{managers} managers, {projects} projects, {feedback} feedback").format(
            **{t: store.count(t) for t in ("managers", "projects", "feedback")})
        results.append((True, _("database"), f"{config.database} ({counts})"))
    except Exception as err:  # a locked or damaged file
        results.append((False, _("database"), f"{config.database}: {err}"))
        return results
    results.append(_writable_check(store))
    if config.backend == "google" and config.credentials:
        results.append(_credentials_check(config.credentials))
    results.append(_sheet_check(workspace))
    from amtui.services.notify import doctor_check  # reminders' targets, secrets masked

    results.append(doctor_check(workspace))
    return results


def _writable_check(store) -> tuple[bool, str, str]:
    """Edits are saved to the database file, and SQLite keeps its -wal/-shm beside it."""
    from amtui.core.store import StoreError

    try:
        store.check_writable()
    except StoreError as err:
        return False, _("database writable"), str(err)
    return True, _("database writable"), _("{path} and its folder").format(path=store.path)


def _credentials_check(path) -> tuple[bool, str, str]:
    if not path.exists():
        return False, _("credentials"), _("{path} does not exist").format(path=path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH) and os.name == "posix":
        return (False, _("credentials"),
                _("{path} can be read by other users; run: chmod 600 {path}").format(path=path))
    from sync.gclient import CredentialsError, load_credentials_file

    try:  # a key that is not JSON, or not a key, fails here (its text is never shown)
        load_credentials_file(path)
    except CredentialsError as err:
        return False, _("credentials"), str(err)
    return True, _("credentials"), _("{path} (a usable key, readable only by you)").format(
        path=path)


def _sheet_check(workspace) -> tuple[bool, str, str]:
    from amtui.domain import schema
    from sync.errors import describe_sync_error
    from sync.reconcile import map_headers

    try:
        backend = workspace.backend()
        specs = workspace.specs()
        grids = backend.read([s.title for s in specs])
    except Exception as err:
        message, _code = describe_sync_error(err)
        return False, _("sheet"), message
    missing = []
    for spec in specs:
        grid = grids.get(spec.title)
        if grid is None:
            missing.append(_("tab {title}").format(title=spec.title))
            continue
        _found, problems = map_headers(spec, grid[0] if grid else [])
        missing += problems
    if missing:
        return (False, _("sheet"), _("{missing} (run `amtui init-sheet` to add what is missing)")
                .format(missing="; ".join(missing[:5])))
    return True, _("sheet"), _("{backend}: {n} tabs with their headers").format(
        backend=backend.name, n=len(schema.TABS))
