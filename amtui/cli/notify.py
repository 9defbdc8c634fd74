"""``amtui notify`` and ``amtui digest``: thin printing around amtui.services.notify/digest.

Exit codes as the rest of the CLI: 0 ok, 1 a delivery failed or a target is unusable.
"""

from __future__ import annotations

import json

from amtui.services.notify import describe, mask


def notify_command(workspace, args) -> int:
    from amtui.services.notify import run_notify

    result = run_notify(workspace, dry_run=args.dry_run)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        lang = result.language
        cfg = workspace.config
        print(f"{len(result.reminders)} reminder(s) hold at "
              f"{result.now.isoformat(timespec='minutes')}")
        for r in result.reminders:
            print(f"  {describe(r, lang, cfg)}")
        for error in result.errors:
            print(f"target skipped: {error}")
        if result.held_back:
            print(f"held back: {result.held_back}")
        for label, reminders in result.planned:
            print(f"dry run: would send {len(reminders)} to {label}")
            for r in reminders:
                print(f"    {describe(r, lang, cfg)}")
        sent = {}
        for _key, label in result.sent:
            sent[label] = sent.get(label, 0) + 1
        for label, n in sent.items():
            print(f"sent {n} to {label}")
        for key, label, error in result.failed:
            print(f"FAILED {key} to {label}: {error} (retried at a later run)")
        for key, label, when in result.waiting:
            print(f"waiting: {key} to {label}, next try after {when}")
        for key, label in result.gave_up:
            print(f"gave up: {key} to {label} (too many failed attempts)")
        if not (result.sent or result.failed or result.planned or result.held_back):
            print("nothing new to send")
    return 1 if (result.failed or result.errors) else 0


def digest_command(workspace, args, usage_error) -> int:
    from amtui.services.digest import build_digest, render, send_digests

    if args.send:
        out = send_digests(workspace, period=args.period, dry_run=args.dry_run)
        for item in out["planned"]:
            print(f"dry run: would send {item['title']!r} to {item['target']}")
        for item in out["sent"]:
            print(f"sent {item['title']!r} to {item['target']}")
        for item in out["failed"]:
            print(f"FAILED {item['title']!r} to {item['target']}: {item['error']}")
        for error in out["errors"]:
            print(f"target skipped: {mask(error)}")
        return 1 if (out["failed"] or out["errors"]) else 0
    manager = None
    if args.manager:
        manager = workspace.store.refs().resolve("managers", args.manager)
        if manager is None:
            raise usage_error(f"no manager {args.manager!r}")
    data = build_digest(workspace, period=args.period, manager=manager)
    print(render(data, args.format), end="")
    return 0
