"""``python -m amtui``: the same as the ``amtui`` command."""

from amtui.cli.main import main

raise SystemExit(main())
