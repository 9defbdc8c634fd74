"""``amtui notify`` and ``amtui digest``: thin printing around amtui.services.notify/digest.

Exit codes as the rest of the CLI: 0 ok, 1 a delivery failed or a target is unusable.
"""

from __future__ import annotations

import json

from amtui.domain.i18n import _
from amtui.services.notify import describe, mask


def notify_command(workspace, args) -> int:
    from amtui.services.notify import run_notify

    result = run_notify(workspace, dry_run=args.dry_run)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        lang = result.language
        cfg = workspace.config
        print(_("{n} reminder(s) hold at {time}").format(
            n=len(result.reminders), time=result.now.isoformat(timespec="minutes")))
        for r in result.reminders:
            print(f"  {describe(r, lang, cfg)}")
        for error in result.errors:
            print(_("target skipped: {error}").format(error=error))
        if result.held_back:
            print(_("held back: {reason}").format(reason=result.held_back))
        for label, reminders in result.planned:
            print(_("dry run: would send {n} to {target}").format(n=len(reminders), target=label))
            for r in reminders:
                print(f"    {describe(r, lang, cfg)}")
        sent = {}
        for _key, label in result.sent:
            sent[label] = sent.get(label, 0) + 1
        for label, n in sent.items():
            print(_("sent {n} to {target}").format(n=n, target=label))
        for key, label, error in result.failed:
            print(_("FAILED {key} to {target}: {error} (retried at a later run)")
                  .format(key=key, target=label, error=error))
        for key, label, when in result.waiting:
            print(_("waiting: {key} to {target}, next try after {time}")
                  .format(key=key, target=label, time=when))
        for key, label in result.gave_up:
            print(_("gave up: {key} to {target} (too many failed attempts)")
                  .format(key=key, target=label))
        if not (result.sent or result.failed or result.planned or result.held_back):
            print(_("nothing new to send"))
    return 1 if (result.failed or result.errors) else 0


def digest_command(workspace, args, usage_error) -> int:
    from amtui.services.digest import build_digest, render, send_digests

    if args.send:
        out = send_digests(workspace, period=args.period, dry_run=args.dry_run)
        for item in out["planned"]:
            print(_("dry run: would send {title} to {target}")
                  .format(title=repr(item["title"]), target=item["target"]))
        for item in out["sent"]:
            print(_("sent {title} to {target}").format(title=repr(item["title"]),
                                                       target=item["target"]))
        for item in out["failed"]:
            print(_("FAILED {title} to {target}: {error}").format(
                title=repr(item["title"]), target=item["target"], error=item["error"]))
        for error in out["errors"]:
            print(_("target skipped: {error}").format(error=mask(error)))
        return 1 if (out["failed"] or out["errors"]) else 0
    manager = None
    if args.manager:
        manager = workspace.store.refs().resolve("managers", args.manager)
        if manager is None:
            raise usage_error(_("no manager {name}").format(name=repr(args.manager)))
    data = build_digest(workspace, period=args.period, manager=manager)
    print(render(data, args.format), end="")
    return 0
