"""The ``amtui`` command line (``amtui.cli.main``)."""

from amtui.cli.main import main

__all__ = ["main"]
