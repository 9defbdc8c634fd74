"""People (placeholder until the KPI screen lands)."""

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class PeopleScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Static("People: managers, reviews and development.")
        yield Footer()
