"""Standup (placeholder until the KPI screen lands)."""

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class StandupScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Static("Standup: `amtui standup` prints it for now.")
        yield Footer()
