"""The project form: every field of a project, checked as you type (see ``RecordForm``).

    app.open_form(ProjectForm("P-0042"), on_saved)               # edit
    app.open_form(ProjectForm(None, stage="Planning"), on_saved)  # new, in a column
"""

from __future__ import annotations

from amtui.ui.screens.record_form import RecordForm


class ProjectForm(RecordForm):
    MULTILINE = ("retro",)

    def __init__(self, record_id: str | None = None, *, stage: str = "",
                 defaults: dict[str, str] | None = None):
        values = dict(defaults or {})
        if record_id is None:
            values.setdefault("stage", stage)
            values.setdefault("priority", "Medium")
            values.setdefault("health", "On track")
        super().__init__("projects", record_id, defaults=values)
